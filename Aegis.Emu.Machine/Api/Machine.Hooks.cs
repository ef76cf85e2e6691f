using Aegis.Emulator.Cpu.Hooks;

namespace Aegis.Emu;

/// <summary>
/// Hooks by kind and address range (Unicorn's <c>uc_hook_add</c>): each returns a <see cref="HookHandle"/> whose
/// <see cref="HookHandle.Remove"/> detaches it. A hook with a range costs only inside it: fetch and retire hooks
/// slow down only the code pages their range covers, memory-access hooks only the data pages (docs/API.md).
/// </summary>
public sealed partial class Machine
{
    /// <summary>Any <see cref="CpuHook"/> subclass, for every kind it overrides.</summary>
    public HookHandle AddHook(CpuHook hook, ulong lo = 0, ulong hi = ulong.MaxValue) => Cpu.AddHook(hook, lo, hi);

    /// <summary>Before each instruction whose VA is in [lo, hi] executes; the hook may <see cref="RequestStop"/> to stop before it.</summary>
    public HookHandle OnFetch(FetchCallback callback, ulong lo = 0, ulong hi = ulong.MaxValue) => Cpu.AddHook(Hook.Fetch(callback), lo, hi);

    /// <summary>After each instruction whose VA is in [lo, hi] retired (or took a synchronous exception).</summary>
    public HookHandle OnRetire(RetireCallback callback, ulong lo = 0, ulong hi = ulong.MaxValue) => Cpu.AddHook(Hook.Retire(callback), lo, hi);

    /// <summary>After each data access whose VA is in [lo, hi] (loads, stores, exclusives, DC ZVA).</summary>
    public HookHandle OnMemoryAccess(MemoryAccessCallback callback, ulong lo = 0, ulong hi = ulong.MaxValue) =>
        Cpu.AddHook(Hook.MemoryAccess(callback), lo, hi);

    /// <summary>As an exception whose preferred return address is in [lo, hi] is taken (state still the interrupted one's).</summary>
    public HookHandle OnExceptionEntry(ExceptionEntryCallback callback, ulong lo = 0, ulong hi = ulong.MaxValue) =>
        Cpu.AddHook(Hook.ExceptionEntry(callback), lo, hi);

    /// <summary>After each ERET whose target is in [lo, hi].</summary>
    public HookHandle OnExceptionReturn(Action<Emulator.Cpu.Cpu> callback, ulong lo = 0, ulong hi = ulong.MaxValue) =>
        Cpu.AddHook(Hook.ExceptionReturn(callback), lo, hi);

    /// <summary>After each MSR to a system register.</summary>
    public HookHandle OnSystemRegisterWrite(SystemRegisterCallback callback) => Cpu.AddHook(Hook.SystemRegisterWrite(callback));

    /// <summary>After each TLBI, DC, IC or AT whose operand X[t] is in [lo, hi].</summary>
    public HookHandle OnMaintenance(SystemRegisterCallback callback, ulong lo = 0, ulong hi = ulong.MaxValue) =>
        Cpu.AddHook(Hook.Maintenance(callback), lo, hi);

    /// <summary>When a write reaches a page holding decoded code whose PA is in [lo, hi].</summary>
    public HookHandle OnCodePageWrite(Action<Emulator.Cpu.Cpu, ulong> callback, ulong lo = 0, ulong hi = ulong.MaxValue) =>
        Cpu.AddHook(Hook.CodePageWrite(callback), lo, hi);

    /// <summary>After each TLB fill whose VA range meets [lo, hi].</summary>
    public HookHandle OnTlbFill(TlbFillCallback callback, ulong lo = 0, ulong hi = ulong.MaxValue) => Cpu.AddHook(Hook.TlbFill(callback), lo, hi);
}
