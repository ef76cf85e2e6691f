using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.SystemRegisters;

namespace Aegis.Emulator.Cpu.Hooks;

/// <summary>
/// An observer of the executing guest (tracers, checkers). Override only what you need; attach with
/// <see cref="Cpu.AttachHook"/>. While any hook is attached <see cref="Cpu.Run"/> takes its hooked loop and the
/// data fast path is bypassed, so every access is reported; with none attached the run loop pays one null test
/// per <see cref="Cpu.Run"/> call. A hook may call <see cref="Cpu.RequestStop"/> to end the run after the current step.
/// </summary>
public abstract class CpuHook
{
    /// <summary>Before the instruction at <paramref name="pc"/> executes (translated to <paramref name="pa"/>, decoded).</summary>
    public virtual void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding) { }

    /// <summary>After the instruction executed (completed, or took a synchronous exception: see <see cref="OnExceptionEntry"/>); cpu.PC is the next PC.</summary>
    public virtual void OnRetire(Cpu cpu, ulong pc, uint encoding) { }

    /// <summary>A successful data access by the guest (loads, stores, exclusives, DC ZVA), after it was made.</summary>
    public virtual void OnMemoryAccess(Cpu cpu, in MemoryAccess access) { }

    /// <summary>An exception is being taken; state is still the interrupted context's (as <see cref="Cpu.ExceptionTaken"/>).</summary>
    public virtual void OnExceptionEntry(Cpu cpu, int targetEl, ExceptionVector vector, uint esr, ulong preferredReturn) { }

    /// <summary>After an ERET set PSTATE (EL is the returned-to level; cpu.NextPc the target).</summary>
    public virtual void OnExceptionReturn(Cpu cpu) { }

    /// <summary>After an MSR to a system register (op0 = 2, 3) took effect.</summary>
    public virtual void OnSystemRegisterWrite(Cpu cpu, SystemRegister register, ulong value) { }

    /// <summary>After a SYS operation (op0 = 1: TLBI, DC, IC, AT) took effect; <paramref name="operand"/> is X[t].</summary>
    public virtual void OnMaintenance(Cpu cpu, SystemRegister operation, ulong operand) { }
}
