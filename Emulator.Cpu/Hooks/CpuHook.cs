using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.SystemRegisters;

namespace Aegis.Emulator.Cpu.Hooks;

/// <summary>
/// An observer of the executing guest (tracers, checkers, profilers, embedders): the one subscription mechanism of the
/// CPU. Override only what you need; attach with <see cref="Cpu.AddHook"/>, optionally for an address range, and
/// keep the returned <see cref="HookHandle"/> to remove it. What is overridden decides what it costs
/// (<see cref="HookKinds"/>): fetch and retire hooks run the per-instruction loop, but only on the code pages their
/// range covers; memory-access hooks keep the data fast path off only on the pages their range covers; the other
/// kinds are called from paths that are slow anyway. A hook may call <see cref="Cpu.RequestStop"/> to end the run
/// (from <see cref="OnFetch"/>: before that instruction executes).
/// </summary>
public abstract class CpuHook
{
    /// <summary>Before the instruction at <paramref name="pc"/> executes (translated to <paramref name="pa"/>, decoded).</summary>
    public virtual void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding) { }

    /// <summary>After the instruction executed (completed, or took a synchronous exception: see <see cref="OnExceptionEntry"/>); cpu.PC is the next PC.</summary>
    public virtual void OnRetire(Cpu cpu, ulong pc, uint encoding) { }

    /// <summary>A successful data access by the guest (loads, stores, exclusives, DC ZVA), after it was made.</summary>
    public virtual void OnMemoryAccess(Cpu cpu, in MemoryAccess access) { }

    /// <summary>An exception is being taken, before any state changes: PSTATE.EL and the registers are still the
    /// interrupted context's; <paramref name="esr"/> is 0 for interrupts.</summary>
    public virtual void OnExceptionEntry(Cpu cpu, int targetEl, ExceptionVector vector, uint esr, ulong preferredReturn) { }

    /// <summary>After an ERET set PSTATE (EL is the returned-to level; cpu.NextPc the target).</summary>
    public virtual void OnExceptionReturn(Cpu cpu) { }

    /// <summary>After an MSR to a system register (op0 = 2, 3) took effect.</summary>
    public virtual void OnSystemRegisterWrite(Cpu cpu, SystemRegister register, ulong value) { }

    /// <summary>After a SYS operation (op0 = 1: TLBI, DC, IC, AT) took effect; <paramref name="operand"/> is X[t].</summary>
    public virtual void OnMaintenance(Cpu cpu, SystemRegister operation, ulong operand) { }

    /// <summary>
    /// A write (by the guest, a device or the host) reached a page holding decoded instructions, at physical address
    /// <paramref name="physicalPage"/>: its decoded code is dropped. Once per page until code is decoded there again.
    /// </summary>
    public virtual void OnCodePageWrite(Cpu cpu, ulong physicalPage) { }

    /// <summary>After a translation was cached in the modelled TLB (a table walk completed).</summary>
    public virtual void OnTlbFill(Cpu cpu, in Mmu.TlbEntry entry) { }
}
