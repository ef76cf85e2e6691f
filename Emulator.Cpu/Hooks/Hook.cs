using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Cpu.Hooks;

public delegate void FetchCallback(Cpu cpu, ulong pc, ulong pa, uint encoding);
public delegate void RetireCallback(Cpu cpu, ulong pc, uint encoding);
public delegate void MemoryAccessCallback(Cpu cpu, in MemoryAccess access);
public delegate void ExceptionEntryCallback(Cpu cpu, int targetEl, ExceptionVector vector, uint esr, ulong preferredReturn);
public delegate void SystemRegisterCallback(Cpu cpu, SystemRegister register, ulong value);
public delegate void TlbFillCallback(Cpu cpu, in TlbEntry entry);

/// <summary>
/// One-kind <see cref="CpuHook"/>s made from a delegate, for callers that want Unicorn's style
/// (<c>cpu.AddHook(Hook.Fetch((c, pc, pa, op) => ...), lo, hi)</c>) rather than a class of their own.
/// </summary>
public static class Hook
{
    public static CpuHook Fetch(FetchCallback f) => new FetchHook(f);
    public static CpuHook Retire(RetireCallback f) => new RetireHook(f);
    public static CpuHook MemoryAccess(MemoryAccessCallback f) => new MemoryHook(f);
    public static CpuHook ExceptionEntry(ExceptionEntryCallback f) => new EntryHook(f);
    public static CpuHook ExceptionReturn(Action<Cpu> f) => new ReturnHook(f);
    public static CpuHook SystemRegisterWrite(SystemRegisterCallback f) => new SysRegHook(f);
    public static CpuHook Maintenance(SystemRegisterCallback f) => new MaintenanceHook(f);
    public static CpuHook CodePageWrite(Action<Cpu, ulong> f) => new CodeWriteHook(f);
    public static CpuHook TlbFill(TlbFillCallback f) => new TlbHook(f);

    private sealed class FetchHook(FetchCallback f) : CpuHook
    {
        public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding) => f(cpu, pc, pa, encoding);
    }

    private sealed class RetireHook(RetireCallback f) : CpuHook
    {
        public override void OnRetire(Cpu cpu, ulong pc, uint encoding) => f(cpu, pc, encoding);
    }

    private sealed class MemoryHook(MemoryAccessCallback f) : CpuHook
    {
        public override void OnMemoryAccess(Cpu cpu, in MemoryAccess access) => f(cpu, in access);
    }

    private sealed class EntryHook(ExceptionEntryCallback f) : CpuHook
    {
        public override void OnExceptionEntry(Cpu cpu, int targetEl, ExceptionVector vector, uint esr, ulong preferredReturn) =>
            f(cpu, targetEl, vector, esr, preferredReturn);
    }

    private sealed class ReturnHook(Action<Cpu> f) : CpuHook
    {
        public override void OnExceptionReturn(Cpu cpu) => f(cpu);
    }

    private sealed class SysRegHook(SystemRegisterCallback f) : CpuHook
    {
        public override void OnSystemRegisterWrite(Cpu cpu, SystemRegister register, ulong value) => f(cpu, register, value);
    }

    private sealed class MaintenanceHook(SystemRegisterCallback f) : CpuHook
    {
        public override void OnMaintenance(Cpu cpu, SystemRegister operation, ulong operand) => f(cpu, operation, operand);
    }

    private sealed class CodeWriteHook(Action<Cpu, ulong> f) : CpuHook
    {
        public override void OnCodePageWrite(Cpu cpu, ulong physicalPage) => f(cpu, physicalPage);
    }

    private sealed class TlbHook(TlbFillCallback f) : CpuHook
    {
        public override void OnTlbFill(Cpu cpu, in TlbEntry entry) => f(cpu, in entry);
    }
}
