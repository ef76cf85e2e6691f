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
            static (c, v) => c.Pmu.PMCNTENSET |= v, el0));
        t.Add(Rw("PMCNTENCLR_EL0", 3, 3, 9, 12, 2, 0, static c => c.Pmu.PMCNTENSET,
            static (c, v) => c.Pmu.PMCNTENSET &= ~v, el0));
        t.Add(Rw("PMOVSCLR_EL0", 3, 3, 9, 12, 3, 0, static c => c.Pmu.PMOVSSET, static (c, v) => c.Pmu.PMOVSSET &= ~v, el0));
        t.Add(Wo("PMSWINC_EL0", 3, 3, 9, 12, 4, 0, static (c, v) => c.Pmu.SoftwareIncrement(v), SysRegTraps.Pmu(el0WriteAlso: PMUSERENR_SW)));
        t.Add(Rw("PMSELR_EL0", 3, 3, 9, 12, 5, 0, static c => c.Pmu.PMSELR_EL0, static (c, v) => c.Pmu.PMSELR_EL0 = v & 31,
            SysRegTraps.Pmu(el0ReadAlso: PMUSERENR_ER, el0WriteAlso: PMUSERENR_ER)));
        t.Add(Ro("PMCEID0_EL0", 3, 3, 9, 12, 6, 0, static c => c.Pmu.PMCEID0, el0));
        t.Add(Ro("PMCEID1_EL0", 3, 3, 9, 12, 7, 0, static c => c.Pmu.PMCEID1, el0));
        t.Add(Rw("PMCCNTR_EL0", 3, 3, 9, 13, 0, 0, static c => c.Pmu.PMCCNTR_EL0, static (c, v) => c.Pmu.PMCCNTR_EL0 = v,
            SysRegTraps.Pmu(el0ReadAlso: PMUSERENR_CR)));
        t.Add(Rw("PMXEVTYPER_EL0", 3, 3, 9, 13, 1, 0, static c => c.Pmu.SelectedType, static (c, v) => c.Pmu.SelectedType = v, el0));
        t.Add(Rw("PMXEVCNTR_EL0", 3, 3, 9, 13, 2, 0, static c => c.Pmu.SelectedCounter, static (c, v) => c.Pmu.SelectedCounter = v,
            SysRegTraps.Pmu(el0ReadAlso: PMUSERENR_ER)));
        // PMUSERENR_EL0 is read-only at EL0.
        t.Add(Rw("PMUSERENR_EL0", 3, 3, 9, 14, 0, 0, static c => c.Pmu.PMUSERENR_EL0, static (c, v) => c.Pmu.PMUSERENR_EL0 = v & 0xF,
            (c, read) => c.EL == 0 && !read ? SysRegAccess.Undefined : el0(c, read)));
        t.Add(Rw("PMINTENSET_EL1", 3, 0, 9, 14, 1, 1, static c => c.Pmu.PMINTENSET, static (c, v) => c.Pmu.PMINTENSET |= v, el0));
        t.Add(Rw("PMINTENCLR_EL1", 3, 0, 9, 14, 2, 1, static c => c.Pmu.PMINTENSET, static (c, v) => c.Pmu.PMINTENSET &= ~v, el0));
        t.Add(Rw("PMOVSSET_EL0", 3, 3, 9, 14, 3, 0, static c => c.Pmu.PMOVSSET, static (c, v) => c.Pmu.PMOVSSET |= v, el0));
        for (int n = 0; n < Pmu.EventCounters; n++)
        {
            int i = n;
            t.Add(Rw($"PMEVCNTR{n}_EL0", 3, 3, 14, 8 + (n >> 3), n & 7, 0, c => c.Pmu.GetEventCounter(i), (c, v) => c.Pmu.SetEventCounter(i, v),
                SysRegTraps.Pmu(el0ReadAlso: PMUSERENR_ER)));
            t.Add(Rw($"PMEVTYPER{n}_EL0", 3, 3, 14, 12 + (n >> 3), n & 7, 0, c => c.Pmu.GetEventType(i), (c, v) => c.Pmu.SetEventType(i, v), el0));
        }
        t.Add(Rw("PMCCFILTR_EL0", 3, 3, 14, 15, 7, 0, static c => c.Pmu.PMCCFILTR_EL0, static (c, v) => c.Pmu.PMCCFILTR_EL0 = v, el0));
    }
}
