using static Aegis.Emulator.Cpu.SystemRegisters.SysRegTraps;

namespace Aegis.Emulator.Cpu.SystemRegisters;

public static partial class SystemRegisterTable
{
    /// <summary>Performance monitors (Arm ARM D13.5), state in <see cref="Pmu"/>.</summary>
    private static void AddPmu(List<SystemRegister> t)
    {
        var el0 = SysRegTraps.Pmu();
        t.Add(Rw("PMCR_EL0", 3, 3, 9, 12, 0, 0, static c => c.Pmu.PMCR_EL0, static (c, v) => c.Pmu.PMCR_EL0 = v, SysRegTraps.Pmu(pmcr: true)));
        t.Add(Rw("PMCNTENSET_EL0", 3, 3, 9, 12, 1, 0, static c => c.Pmu.PMCNTENSET,
            static (c, v) => c.Pmu.SetCountEnable(c.Pmu.PMCNTENSET | v), el0));
        t.Add(Rw("PMCNTENCLR_EL0", 3, 3, 9, 12, 2, 0, static c => c.Pmu.PMCNTENSET,
            static (c, v) => c.Pmu.SetCountEnable(c.Pmu.PMCNTENSET & ~v), el0));
        t.Add(Rw("PMOVSCLR_EL0", 3, 3, 9, 12, 3, 0, static c => c.Pmu.PMOVSSET, static (c, v) => c.Pmu.PMOVSSET &= ~v, el0));
        t.Add(Wo("PMSWINC_EL0", 3, 3, 9, 12, 4, 0, static (c, v) => c.Pmu.SoftwareIncrement(v), SysRegTraps.Pmu(el0WriteAlso: PMUSERENR_SW)));
        t.Add(Rw("PMSELR_EL0", 3, 3, 9, 12, 5, 0, static c => c.Pmu.PMSELR_EL0, static (c, v) => c.Pmu.PMSELR_EL0 = v & 31,
            SysRegTraps.Pmu(el0ReadAlso: PMUSERENR_ER, el0WriteAlso: PMUSERENR_ER)));
        t.Add(Ro("PMCEID0_EL0", 3, 3, 9, 12, 6, 0, static _ => Pmu.PMCEID0, el0));
        t.Add(Ro("PMCEID1_EL0", 3, 3, 9, 12, 7, 0, static _ => Pmu.PMCEID1, el0));
        t.Add(Rw("PMCCNTR_EL0", 3, 3, 9, 13, 0, 0, static c => c.Pmu.PMCCNTR_EL0, static (c, v) => c.Pmu.PMCCNTR_EL0 = v,
            SysRegTraps.Pmu(el0ReadAlso: PMUSERENR_CR)));
        t.Add(Rw("PMXEVTYPER_EL0", 3, 3, 9, 13, 1, 0, static c => c.Pmu.SelectedType, static (c, v) => c.Pmu.SelectedType = v, el0));
        t.Add(Rw("PMXEVCNTR_EL0", 3, 3, 9, 13, 2, 0, static c => c.Pmu.SelectedCounter, static (c, v) => c.Pmu.SelectedCounter = v,
            SysRegTraps.Pmu(el0ReadAlso: PMUSERENR_ER)));
        // PMUSERENR_EL0 is read-only at EL0.
        t.Add(Rw("PMUSERENR_EL0", 3, 3, 9, 14, 0, 0, static c => c.Pmu.PMUSERENR_EL0, static (c, v) => c.Pmu.PMUSERENR_EL0 = v & 0xF,
            static (c, read) => c.EL == 0 && !read ? SysRegAccess.Undefined : SysRegTraps.Pmu()(c, read)));
        t.Add(Rw("PMINTENSET_EL1", 3, 0, 9, 14, 1, 1, static c => c.Pmu.PMINTENSET, static (c, v) => c.Pmu.PMINTENSET |= v & Pmu.CounterMask, el0));
        t.Add(Rw("PMINTENCLR_EL1", 3, 0, 9, 14, 2, 1, static c => c.Pmu.PMINTENSET, static (c, v) => c.Pmu.PMINTENSET &= ~v, el0));
        t.Add(Rw("PMOVSSET_EL0", 3, 3, 9, 14, 3, 0, static c => c.Pmu.PMOVSSET, static (c, v) => c.Pmu.PMOVSSET |= v & Pmu.CounterMask, el0));
        for (int n = 0; n < Pmu.EventCounters; n++)
        {
            int i = n;
            t.Add(Rw($"PMEVCNTR{n}_EL0", 3, 3, 14, 8 + (n >> 3), n & 7, 0, c => c.Pmu.PMEVCNTR[i], (c, v) => c.Pmu.PMEVCNTR[i] = (uint)v,
                SysRegTraps.Pmu(el0ReadAlso: PMUSERENR_ER)));
            t.Add(Rw($"PMEVTYPER{n}_EL0", 3, 3, 14, 12 + (n >> 3), n & 7, 0, c => c.Pmu.PMEVTYPER[i], (c, v) => c.Pmu.PMEVTYPER[i] = v & 0xF800_03FF, el0));
        }
        t.Add(Rw("PMCCFILTR_EL0", 3, 3, 14, 15, 7, 0, static c => c.Pmu.PMCCFILTR_EL0, static (c, v) => c.Pmu.PMCCFILTR_EL0 = v & 0xF800_0000, el0));
    }

    /// <summary>Generic timer registers (Arm ARM D11), state in <see cref="Timer.GenericTimer"/>.</summary>
    private static void AddTimer(List<SystemRegister> t)
    {
        t.Add(Rw("CNTKCTL_EL1", 3, 0, 14, 1, 0, 1, static c => c.Timer.CNTKCTL_EL1, static (c, v) => c.Timer.CNTKCTL_EL1 = v & 0x3FF));
        t.Add(Rw("CNTFRQ_EL0", 3, 3, 14, 0, 0, 0, static c => c.Timer.CNTFRQ_EL0, static (c, v) => c.Timer.CNTFRQ_EL0 = (uint)v, CounterFrequency));
        t.Add(Ro("CNTPCT_EL0", 3, 3, 14, 0, 1, 0, static c => c.Timer.PhysicalCount, Counter(physical: true)));
        t.Add(Ro("CNTVCT_EL0", 3, 3, 14, 0, 2, 0, static c => c.Timer.VirtualCount, Counter(physical: false)));

        var p = TimerRegs(physical: true);
        t.Add(Rw("CNTP_TVAL_EL0", 3, 3, 14, 2, 0, 0, static c => c.Timer.El1Physical.Tval, static (c, v) => c.Timer.El1Physical.Tval = v, p));
        t.Add(Rw("CNTP_CTL_EL0", 3, 3, 14, 2, 1, 0, static c => c.Timer.El1Physical.Ctl, static (c, v) => c.Timer.El1Physical.Ctl = v, p));
        t.Add(Rw("CNTP_CVAL_EL0", 3, 3, 14, 2, 2, 0, static c => c.Timer.El1Physical.CvalRegister, static (c, v) => c.Timer.El1Physical.CvalRegister = v, p));
        var v = TimerRegs(physical: false);
        t.Add(Rw("CNTV_TVAL_EL0", 3, 3, 14, 3, 0, 0, static c => c.Timer.El1Virtual.Tval, static (c, x) => c.Timer.El1Virtual.Tval = x, v));
        t.Add(Rw("CNTV_CTL_EL0", 3, 3, 14, 3, 1, 0, static c => c.Timer.El1Virtual.Ctl, static (c, x) => c.Timer.El1Virtual.Ctl = x, v));
        t.Add(Rw("CNTV_CVAL_EL0", 3, 3, 14, 3, 2, 0, static c => c.Timer.El1Virtual.CvalRegister, static (c, x) => c.Timer.El1Virtual.CvalRegister = x, v));

        t.Add(Rw("CNTVOFF_EL2", 3, 4, 14, 0, 3, 2, static c => c.Timer.CNTVOFF_EL2, static (c, x) => c.Timer.CNTVOFF_EL2 = x));
        t.Add(Rw("CNTHCTL_EL2", 3, 4, 14, 1, 0, 2, static c => c.Timer.CNTHCTL_EL2, static (c, x) => c.Timer.CNTHCTL_EL2 = x & 0xFF));
        t.Add(Rw("CNTHP_TVAL_EL2", 3, 4, 14, 2, 0, 2, static c => c.Timer.El2Physical.Tval, static (c, x) => c.Timer.El2Physical.Tval = x));
        t.Add(Rw("CNTHP_CTL_EL2", 3, 4, 14, 2, 1, 2, static c => c.Timer.El2Physical.Ctl, static (c, x) => c.Timer.El2Physical.Ctl = x));
        t.Add(Rw("CNTHP_CVAL_EL2", 3, 4, 14, 2, 2, 2, static c => c.Timer.El2Physical.CvalRegister, static (c, x) => c.Timer.El2Physical.CvalRegister = x));
    }

    /// <summary>Cortex-A53 IMPLEMENTATION DEFINED registers (TRM 4.2): QEMU gives them constant values, so do we.</summary>
    private static void AddImplementationDefined(List<SystemRegister> t)
    {
        // L2CTLR_EL1.NumCores [25:24] = cores - 1 = 0; writes ignored (QEMU a57_a53_l2ctlr_read / arm_cp_write_ignore).
        t.Add(RazWi("L2CTLR_EL1", 3, 1, 11, 0, 2, 1, HCR_TACR));
        t.Add(RazWi("L2ECTLR_EL1", 3, 1, 11, 0, 3, 1, HCR_TACR));
        t.Add(RazWi("L2ACTLR_EL1", 3, 1, 15, 0, 0, 1, HCR_TACR));
        t.Add(RazWi("CPUACTLR_EL1", 3, 1, 15, 2, 0, 1, HCR_TACR));
        t.Add(RazWi("CPUECTLR_EL1", 3, 1, 15, 2, 1, 1, HCR_TACR));
        t.Add(RazWi("CPUMERRSR_EL1", 3, 1, 15, 2, 2, 1, HCR_TACR));
        t.Add(RazWi("L2MERRSR_EL1", 3, 1, 15, 2, 3, 1, HCR_TACR));
        t.Add(Ro("CBAR_EL1", 3, 1, 15, 3, 0, 1, static _ => IdRegisters.CBAR_EL1));
    }

    /// <summary>
    /// FPCR/FPSR: stored (FP execution comes later) behind the FP/SIMD access trap. FPCR keeps AHP, DN, FZ
    /// and RMode: the A53 does not trap FP exceptions, so the trap enables are RAZ/WI (as QEMU).
    /// </summary>
    private static void AddFloatingPoint(List<SystemRegister> t)
    {
        t.Add(Rw("FPCR", 3, 3, 4, 4, 0, 0, static c => c.Sys.FPCR, static (c, v) => c.Sys.FPCR = v & 0x07C0_0000, Fp));
        t.Add(Rw("FPSR", 3, 3, 4, 4, 1, 0, static c => c.Sys.FPSR, static (c, v) => c.Sys.FPSR = v & 0xF800_009F, Fp));
    }
}
