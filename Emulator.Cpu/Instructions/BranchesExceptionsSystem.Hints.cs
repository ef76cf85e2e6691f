using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.SystemRegisters;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>Hints (Arm ARM C6.2: NOP, YIELD, WFE, WFI, SEV, SEVL; every other hint executes as NOP).</summary>
internal static unsafe partial class BranchesExceptionsSystem
{
    /// <summary>ISS of a WFx trap (EC 0x01) from A64: CV = 1, COND = 0b1110, TI = 1 for WFE (QEMU syn_wfx(1, 0xe, ti, false)).</summary>
    public const uint WfiTrapIss = 0x01E0_0000, WfeTrapIss = 0x01E0_0001;

    internal static void Nop(Cpu cpu, ref DecodedInst i) { }

    internal static void Sev(Cpu cpu, ref DecodedInst i) => cpu.Sys.EventRegister = true;

    internal static void Sevl(Cpu cpu, ref DecodedInst i) => cpu.Sys.EventRegister = true;

    /// <summary>
    /// WFI, as QEMU's helper_wfi: with an interrupt pending (masked or not) it completes at once, and only
    /// then are the traps checked (SCTLR_EL1.nTWI at EL0, HCR_EL2.TWI at EL0/EL1). Otherwise the core sleeps
    /// until the next scheduled event: the clock jumps there and the run loop services it; with nothing
    /// scheduled nothing can ever wake it, and the run stops with <see cref="StopReason.WaitForever"/>.
    /// </summary>
    internal static void Wfi(Cpu cpu, ref DecodedInst i)
    {
        if (cpu.InterruptPending) return;
        if (WfxTrapped(cpu, SysRegTraps.SCTLR_nTWI, SysRegTraps.HCR_TWI, WfiTrapIss)) return;
        SleepUntilNextEvent(cpu);
    }

    /// <summary>
    /// WFE: consumes a set event register; a deliverable interrupt is a wake-up event. Otherwise the traps
    /// (SCTLR_EL1.nTWE at EL0, HCR_EL2.TWE) apply, because the core would enter the low-power state, and it
    /// sleeps as WFI does. (QEMU 7.2 treats WFE as YIELD and never traps it; the Arm ARM allows both.)
    /// The generic timer event stream (CNTKCTL_EL1.EVNTEN) is not modelled.
    /// </summary>
    internal static void Wfe(Cpu cpu, ref DecodedInst i)
    {
        if (cpu.Sys.EventRegister) { cpu.Sys.EventRegister = false; return; }
        if (cpu.InterruptDeliverableNow) return;
        if (WfxTrapped(cpu, SysRegTraps.SCTLR_nTWE, SysRegTraps.HCR_TWE, WfeTrapIss)) return;
        SleepUntilNextEvent(cpu);
    }

    private static bool WfxTrapped(Cpu cpu, ulong sctlrEnable, ulong hcrTrap, uint iss)
    {
        if (cpu.EL == 0 && (cpu.MmuRegs.SCTLR_EL1 & sctlrEnable) == 0)
        {
            cpu.TakeSyncException(ExceptionClass.WfxTrap, iss, cpu.PC);
            return true;
        }
        if (cpu.EL <= 1 && cpu.HasEl2 && (cpu.MmuRegs.HCR_EL2 & hcrTrap) != 0)
        {
            cpu.TakeSyncException(ExceptionClass.WfxTrap, iss, cpu.PC, targetEl: 2);
            return true;
        }
        return false;
    }

    private static void SleepUntilNextEvent(Cpu cpu)
    {
        ulong next = cpu.Events.NextCycle;
        if (next == ulong.MaxValue) cpu.RequestWaitForever();
        else if (next > cpu.Cycles) cpu.SleepUntil(next);
    }
}
