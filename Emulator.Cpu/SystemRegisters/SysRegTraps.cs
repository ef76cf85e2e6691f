namespace Aegis.Emulator.Cpu.SystemRegisters;

/// <summary>Named control bits and the configurable-trap checks of the table (Arm ARM D1.14 / D13).</summary>
public static class SysRegTraps
{
    // SCTLR_EL1 EL0 enables.
    public const ulong SCTLR_UMA = 1UL << 9, SCTLR_DZE = 1UL << 14, SCTLR_UCT = 1UL << 15,
        SCTLR_nTWI = 1UL << 16, SCTLR_nTWE = 1UL << 18, SCTLR_UCI = 1UL << 26;

    // HCR_EL2 trap and routing bits (Armv8.0).
    public const ulong HCR_FMO = 1UL << 3, HCR_IMO = 1UL << 4, HCR_TWI = 1UL << 13, HCR_TWE = 1UL << 14,
        HCR_TID1 = 1UL << 16, HCR_TID2 = 1UL << 17, HCR_TID3 = 1UL << 18, HCR_TSC = 1UL << 19,
        HCR_TIDCP = 1UL << 20, HCR_TACR = 1UL << 21, HCR_TSW = 1UL << 22, HCR_TPC = 1UL << 23, HCR_TPU = 1UL << 24,
        HCR_TTLB = 1UL << 25, HCR_TVM = 1UL << 26, HCR_TGE = 1UL << 27, HCR_TDZ = 1UL << 28,
        HCR_HCD = 1UL << 29, HCR_TRVM = 1UL << 30, HCR_RW = 1UL << 31;
    /// <summary>HCR_EL2 bits that exist in Armv8.0 (QEMU's valid mask: bits [33:0]).</summary>
    public const ulong HCR_ValidMask = (1UL << 34) - 1;

    // CPACR_EL1 / CPTR_EL2.
    public const ulong CPACR_FPEN = 3UL << 20, CPACR_TTA = 1UL << 28;
    public const ulong CPTR_TFP = 1UL << 10, CPTR_TTA = 1UL << 20, CPTR_TCPAC = 1UL << 31;

    // MDCR_EL2 / MDSCR_EL1 / PMUSERENR_EL0.
    public const ulong MDCR_TPMCR = 1UL << 5, MDCR_TPM = 1UL << 6, MDCR_TDE = 1UL << 8, MDCR_TDA = 1UL << 9,
        MDCR_TDOSA = 1UL << 10, MDCR_TDRA = 1UL << 11;
    public const ulong MDSCR_TDCC = 1UL << 12;
    public const ulong PMUSERENR_EN = 1, PMUSERENR_SW = 2, PMUSERENR_CR = 4, PMUSERENR_ER = 8;

    // CNTKCTL_EL1 / CNTHCTL_EL2.
    public const ulong CNTKCTL_EL0PCTEN = 1, CNTKCTL_EL0VCTEN = 2, CNTKCTL_EL0VTEN = 1UL << 8, CNTKCTL_EL0PTEN = 1UL << 9;
    public const ulong CNTHCTL_EL1PCTEN = 1, CNTHCTL_EL1PCEN = 2;

    /// <summary>An EL0 access allowed only while SCTLR_EL1 has <paramref name="enable"/> set (UCT, UMA, UCI, DZE).</summary>
    public static SysRegCheck El0Enable(ulong enable) =>
        (cpu, _) => cpu.EL == 0 && (cpu.MmuRegs.SCTLR_EL1 & enable) == 0 ? SysRegAccess.TrapToEl1 : SysRegAccess.Ok;

    /// <summary>AArch64.CheckFPAdvSIMDEnabled: CPACR_EL1.FPEN (EL0/EL1), then CPTR_EL2.TFP (EL0-EL2).</summary>
    public static SysRegAccess FpAccess(Cpu cpu)
    {
        if (cpu.EL <= 1)
        {
            ulong fpen = (cpu.Sys.CPACR_EL1 & CPACR_FPEN) >> 20;
            if (fpen == 0b00 || fpen == 0b10 || (fpen == 0b01 && cpu.EL == 0)) return SysRegAccess.FpTrapToEl1;
        }
        if (cpu.HasEl2 && (cpu.Sys.CPTR_EL2 & CPTR_TFP) != 0) return SysRegAccess.FpTrapToEl2;
        return SysRegAccess.Ok;
    }

    public static readonly SysRegCheck Fp = (cpu, _) => FpAccess(cpu);

    /// <summary>SP_EL0 is UNDEFINED while PSTATE.SP = 0 (it is then the current SP).</summary>
    public static readonly SysRegCheck SpEl0 = (cpu, _) => cpu.SpSel ? SysRegAccess.Ok : SysRegAccess.Undefined;

    /// <summary>CPACR_EL1 at EL1 traps to EL2 under CPTR_EL2.TCPAC.</summary>
    public static readonly SysRegCheck Cpacr = (cpu, _) =>
        cpu.EL == 1 && cpu.HasEl2 && (cpu.Sys.CPTR_EL2 & CPTR_TCPAC) != 0 ? SysRegAccess.TrapToEl2 : SysRegAccess.Ok;

    /// <summary>
    /// PMU registers: EL0 needs PMUSERENR_EL0.EN or one of <paramref name="el0ReadAlso"/> for reads
    /// (CR for the cycle counter, ER for event counters, SW for PMSWINC); MDCR_EL2.TPM traps EL0/EL1 to EL2.
    /// </summary>
    public static SysRegCheck Pmu(ulong el0ReadAlso = 0, ulong el0WriteAlso = 0, bool pmcr = false) => (cpu, read) =>
    {
        if (cpu.EL == 0)
        {
            ulong allow = PMUSERENR_EN | (read ? el0ReadAlso : el0WriteAlso);
            if ((cpu.Pmu.PMUSERENR_EL0 & allow) == 0) return SysRegAccess.TrapToEl1;
        }
        if (cpu.EL <= 1 && cpu.HasEl2)
        {
            ulong mdcr = cpu.Sys.MDCR_EL2;
            if ((mdcr & MDCR_TPM) != 0 || (pmcr && (mdcr & MDCR_TPMCR) != 0)) return SysRegAccess.TrapToEl2;
        }
        return SysRegAccess.Ok;
    };

    /// <summary>
    /// Debug registers at EL0/EL1 trap to EL2 under MDCR_EL2.<paramref name="mdcrTrap"/> or MDCR_EL2.TDE
    /// (TDA: breakpoints, watchpoints, MDSCR, DCC; TDOSA: OS lock and power-down; TDRA: MDRAR).
    /// </summary>
    public static SysRegCheck DebugEl2(ulong mdcrTrap, SysRegCheck? el0 = null) => (cpu, read) =>
    {
        if (el0 is not null && el0(cpu, read) is var a && a != SysRegAccess.Ok) return a;
        if (cpu.EL <= 1 && cpu.HasEl2 && (cpu.Sys.MDCR_EL2 & (mdcrTrap | MDCR_TDE)) != 0) return SysRegAccess.TrapToEl2;
        return SysRegAccess.Ok;
    };

    /// <summary>Debug communications channel at EL0: trapped while MDSCR_EL1.TDCC is set.</summary>
    public static readonly SysRegCheck DebugComms = (cpu, _) =>
        cpu.EL == 0 && (cpu.Sys.MDSCR_EL1 & MDSCR_TDCC) != 0 ? SysRegAccess.TrapToEl1 : SysRegAccess.Ok;

    /// <summary>CNTFRQ_EL0: EL0 needs EL0PCTEN or EL0VCTEN; writable only at the highest implemented EL (QEMU gt_cntfrq_access).</summary>
    public static readonly SysRegCheck CounterFrequency = (cpu, read) =>
    {
        if (cpu.EL == 0 && (cpu.Timer.CNTKCTL_EL1 & (CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN)) == 0) return SysRegAccess.TrapToEl1;
        if (!read && cpu.EL < (cpu.HasEl2 ? 2 : 1)) return SysRegAccess.Undefined;
        return SysRegAccess.Ok;
    };

    /// <summary>CNTPCT_EL0 / CNTVCT_EL0: EL0 needs EL0PCTEN / EL0VCTEN; the physical count at EL0/EL1 needs
    /// CNTHCTL_EL2.EL1PCTEN (Arm ARM pseudocode; QEMU 7.2 tests EL1PCEN at EL0 instead).</summary>
    public static SysRegCheck Counter(bool physical) => (cpu, _) =>
    {
        if (cpu.EL == 0 && (cpu.Timer.CNTKCTL_EL1 & (physical ? CNTKCTL_EL0PCTEN : CNTKCTL_EL0VCTEN)) == 0)
            return SysRegAccess.TrapToEl1;
        if (physical && cpu.EL <= 1 && cpu.HasEl2 && (cpu.Timer.CNTHCTL_EL2 & CNTHCTL_EL1PCTEN) == 0)
            return SysRegAccess.TrapToEl2;
        return SysRegAccess.Ok;
    };

    /// <summary>CNTP_* / CNTV_*: EL0 needs EL0PTEN / EL0VTEN; the physical timer at EL0/EL1 needs CNTHCTL_EL2.EL1PCEN.</summary>
    public static SysRegCheck TimerRegs(bool physical) => (cpu, _) =>
    {
        if (cpu.EL == 0 && (cpu.Timer.CNTKCTL_EL1 & (physical ? CNTKCTL_EL0PTEN : CNTKCTL_EL0VTEN)) == 0)
            return SysRegAccess.TrapToEl1;
        if (physical && cpu.EL <= 1 && cpu.HasEl2 && (cpu.Timer.CNTHCTL_EL2 & CNTHCTL_EL1PCEN) == 0)
            return SysRegAccess.TrapToEl2;
        return SysRegAccess.Ok;
    };
}
