using static Aegis.Emulator.Cpu.SystemRegisters.SysRegTraps;

namespace Aegis.Emulator.Cpu.SystemRegisters;

public static partial class SystemRegisterTable
{
    /// <summary>
    /// Self-hosted debug registers (Arm ARM D2, D13.3): writes to MDSCR_EL1 and the breakpoint and watchpoint
    /// controls re-arm the debug checks (Emulator.Cpu/Debug/Cpu.SelfHostedDebug.cs).
    /// </summary>
    private static void AddDebug(List<SystemRegister> t)
    {
        t.Add(Rw("OSDTRRX_EL1", 2, 0, 0, 0, 2, 1, static c => c.Sys.OSDTRRX_EL1, static (c, v) => c.Sys.OSDTRRX_EL1 = (uint)v, DebugEl2(MDCR_TDA)));
        t.Add(Rw("MDCCINT_EL1", 2, 0, 0, 2, 0, 1, static c => c.Sys.MDCCINT_EL1, static (c, v) => c.Sys.MDCCINT_EL1 = (uint)v, DebugEl2(MDCR_TDA)));
        t.Add(Rw("MDSCR_EL1", 2, 0, 0, 2, 2, 1, static c => c.Sys.MDSCR_EL1, static (c, v) => { c.Sys.MDSCR_EL1 = (uint)v; c.DebugConfigurationChanged(); }, DebugEl2(MDCR_TDA)));
        t.Add(Rw("OSDTRTX_EL1", 2, 0, 0, 3, 2, 1, static c => c.Sys.OSDTRTX_EL1, static (c, v) => c.Sys.OSDTRTX_EL1 = (uint)v, DebugEl2(MDCR_TDA)));
        t.Add(Rw("OSECCR_EL1", 2, 0, 0, 6, 2, 1, static c => c.Sys.OSECCR_EL1, static (c, v) => c.Sys.OSECCR_EL1 = (uint)v, DebugEl2(MDCR_TDA)));
        for (int n = 0; n < 6; n++)
        {
            int i = n;
            t.Add(Rw($"DBGBVR{n}_EL1", 2, 0, 0, n, 4, 1, c => c.Sys.DBGBVR[i], (c, v) => c.Sys.DBGBVR[i] = v, DebugEl2(MDCR_TDA)));
            t.Add(Rw($"DBGBCR{n}_EL1", 2, 0, 0, n, 5, 1, c => c.Sys.DBGBCR[i], (c, v) => { c.Sys.DBGBCR[i] = (uint)v; c.DebugConfigurationChanged(); }, DebugEl2(MDCR_TDA)));
        }
        for (int n = 0; n < 4; n++)
        {
            int i = n;
            t.Add(Rw($"DBGWVR{n}_EL1", 2, 0, 0, n, 6, 1, c => c.Sys.DBGWVR[i], (c, v) => c.Sys.DBGWVR[i] = v, DebugEl2(MDCR_TDA)));
            t.Add(Rw($"DBGWCR{n}_EL1", 2, 0, 0, n, 7, 1, c => c.Sys.DBGWCR[i], (c, v) => { c.Sys.DBGWCR[i] = (uint)v; c.DebugConfigurationChanged(); }, DebugEl2(MDCR_TDA)));
        }
        t.Add(Ro("MDRAR_EL1", 2, 0, 1, 0, 0, 1, static _ => 0, DebugEl2(MDCR_TDRA)));
        // OSLAR_EL1.OSLK sets the OS lock that OSLSR_EL1 reports (OSLM = 0b10: OSLSR reads 0xA locked, 0x8 unlocked).
        t.Add(Wo("OSLAR_EL1", 2, 0, 1, 0, 4, 1, static (c, v) => c.Sys.OsLock = (v & 1) != 0, DebugEl2(MDCR_TDOSA)));
        t.Add(Ro("OSLSR_EL1", 2, 0, 1, 1, 4, 1, static c => 0x8UL | (c.Sys.OsLock ? 2UL : 0), DebugEl2(MDCR_TDOSA)));
        t.Add(Rw("OSDLR_EL1", 2, 0, 1, 3, 4, 1, static c => c.Sys.OSDLR_EL1, static (c, v) => c.Sys.OSDLR_EL1 = v & 1, DebugEl2(MDCR_TDOSA)));
        t.Add(Rw("DBGPRCR_EL1", 2, 0, 1, 4, 4, 1, static c => c.Sys.DBGPRCR_EL1, static (c, v) => c.Sys.DBGPRCR_EL1 = v & 1, DebugEl2(MDCR_TDOSA)));
        t.Add(Rw("DBGCLAIMSET_EL1", 2, 0, 7, 8, 6, 1, static _ => 0xFF, static (c, v) => c.Sys.DBGCLAIM |= v & 0xFF, DebugEl2(MDCR_TDA)));
        t.Add(Rw("DBGCLAIMCLR_EL1", 2, 0, 7, 9, 6, 1, static c => c.Sys.DBGCLAIM, static (c, v) => c.Sys.DBGCLAIM &= ~(v & 0xFF), DebugEl2(MDCR_TDA)));
        // Debug communications channel: no external debugger, so DCC reads as empty.
        t.Add(Ro("MDCCSR_EL0", 2, 3, 0, 1, 0, 0, static _ => 0, DebugEl2(MDCR_TDA, DebugComms)));
        t.Add(Rw("DBGDTR_EL0", 2, 3, 0, 4, 0, 0, static _ => 0, static (_, _) => { }, DebugEl2(MDCR_TDA, DebugComms)));
        // One encoding: MRS reads DBGDTRRX_EL0, MSR writes DBGDTRTX_EL0.
        t.Add(Rw("DBGDTRRX_EL0/DBGDTRTX_EL0", 2, 3, 0, 5, 0, 0, static _ => 0, static (_, _) => { }, DebugEl2(MDCR_TDA, DebugComms)));
    }
}
