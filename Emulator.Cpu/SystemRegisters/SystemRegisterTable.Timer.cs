using static Aegis.Emulator.Cpu.SystemRegisters.SysRegTraps;

namespace Aegis.Emulator.Cpu.SystemRegisters;

public static partial class SystemRegisterTable
{
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
}
