using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Timer;
using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.SystemInstructions;

/// <summary>
/// The generic timer (Arm ARM D11.2): counter = cycles / 16 (1 GHz core, CNTFRQ 62.5 MHz as QEMU's virt),
/// ISTATUS = enabled and count >= CVAL, the PPI level = ISTATUS and not IMASK.
/// </summary>
public class TimerTests
{
    private static (CpuHarness H, List<(int Intid, bool Level)> Log) WithLog(string asm, bool el2 = false)
    {
        var h = Harness(asm, el2);
        var log = new List<(int, bool)>();
        var previous = h.Cpu.TimerOutput;
        h.Cpu.TimerOutput = (id, level) => { log.Add((id, level)); previous(id, level); };
        return (h, log);
    }

    [Test]
    public void CvalInThePastFiresThePhysicalTimerPpi()
    {
        var (h, log) = WithLog("msr cntp_cval_el0, x0\nmsr cntp_ctl_el0, x1\nmrs x2, cntp_ctl_el0");
        h.Cpu.WarpClock(16 * 500);
        h.SetX(0, 100).SetX(1, 1);
        h.Run();
        Assert.That(log, Is.EqualTo(new[] { (30, true) }));
        Assert.That(h.X(2), Is.EqualTo(5UL), "ENABLE | ISTATUS");
    }

    [Test]
    public void ImaskMasksTheOutputButNotIstatus()
    {
        var (h, log) = WithLog("msr cntv_cval_el0, x0\nmsr cntv_ctl_el0, x1\nmrs x2, cntv_ctl_el0\nmsr cntv_ctl_el0, x3");
        h.SetX(0, 0).SetX(1, 3).SetX(3, 1);
        h.Run();
        Assert.That(h.X(2), Is.EqualTo(7UL), "ENABLE | IMASK | ISTATUS");
        Assert.That(log, Is.EqualTo(new[] { (27, true) }), "only unmasking raised the virtual timer PPI");
    }

    [Test]
    public void TvalArmsADeadlineOnTheClock()
    {
        var (h, log) = WithLog("msr cntp_tval_el0, x0\nmsr cntp_ctl_el0, x1\nmrs x2, cntp_tval_el0\nmrs x3, cntp_cval_el0");
        h.Cpu.WarpClock(16 * 1000);
        h.SetX(0, 250).SetX(1, 1);
        h.Run();
        Assert.That(h.X(3), Is.EqualTo(1250UL), "CVAL = count + TVAL");
        Assert.That(h.X(2), Is.EqualTo(250UL), "count has not reached the next tick yet (3 cycles < 16)");
        Assert.That(h.Cpu.Events.NextCycle, Is.EqualTo(1250UL * 16));
        Assert.That(log, Is.Empty);
        h.Cpu.WarpClock(1250UL * 16);
        h.Cpu.Events.RunDue(h.Cpu.Cycles);
        Assert.That(log, Is.EqualTo(new[] { (30, true) }));
    }

    [Test]
    public void NegativeTvalReadsAsElapsedTime()
    {
        var h = Harness("msr cntp_cval_el0, x0\nmrs x1, cntp_tval_el0");
        h.Cpu.WarpClock(16 * 1000);
        h.SetX(0, 990);
        h.Run();
        Assert.That(h.X(1), Is.EqualTo(0xFFFF_FFF6UL), "TVAL = (CVAL - count)[31:0]");
    }

    [Test]
    public void WfiSkipsToTheTimerDeadline()
    {
        var (h, log) = WithLog("msr cntp_tval_el0, x0\nmsr cntp_ctl_el0, x1\nwfi\nnop");
        h.SetX(0, 1000).SetX(1, 1);
        h.Run();
        // TVAL written at cycle 0: CVAL = 1000 ticks = cycle 16000. WFI sleeps there and retires (+1);
        // the NOP's loop iteration services the deadline, then retires (+1).
        Assert.That(h.Cpu.Cycles, Is.EqualTo(16_002UL));
        Assert.That(log, Is.EqualTo(new[] { (30, true) }));
    }

    [Test]
    public void WfiWithNothingScheduledStopsTheRun()
    {
        var h = Harness("wfi\nnop");
        Assert.That(h.Cpu.Run(10), Is.EqualTo(StopReason.WaitForever));
        Assert.That(h.Cpu.PC, Is.EqualTo(CpuHarness.CodeBase + 4), "WFI completed; a later interrupt resumes after it");
    }

    [Test]
    public void WfiWithAPendingMaskedInterruptContinues()
    {
        var h = Harness("msr cntp_tval_el0, x0\nmsr cntp_ctl_el0, x1\nwfi\nnop");
        h.SetX(0, 1000).SetX(1, 1);
        h.Cpu.IrqLine = true; // masked by PSTATE.I: WFI still wakes (QEMU cpu_has_work)
        h.Run();
        Assert.That(h.Cpu.Cycles, Is.EqualTo(4UL));
    }

    [Test]
    public void WfiAtEl0TrapsOnlyWithoutAPendingInterrupt()
    {
        var h = Harness("wfi").AtEl(0);
        h.Cpu.MmuRegs.SCTLR_EL1 &= ~(1UL << 16); // nTWI = 0
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x07E0_0000UL), "EC 0x01, CV = 1, COND = 0xE, TI = 0 (QEMU syn_wfx)");
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(CpuHarness.CodeBase));

        // At EL0 a pending IRQ would be taken before WFI; at EL1 with PSTATE.I set it stays pending, and
        // the HCR_EL2.TWI trap is then not taken either.
        var pending = Harness("wfi", el2: true).AtEl(1);
        pending.Cpu.MmuRegs.HCR_EL2 |= 1UL << 13; // TWI
        pending.Cpu.IrqLine = true;
        pending.Cpu.Run(1);
        Assert.That(pending.Cpu.EL, Is.EqualTo(1), "QEMU checks the trap only when no interrupt is pending");
    }

    [Test]
    public void WfiTrapsToEl2UnderHcrTwi()
    {
        var h = Harness("wfi", el2: true).AtEl(1);
        h.Cpu.MmuRegs.HCR_EL2 |= 1UL << 13;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(2));
        Assert.That(h.Cpu.EsrEl[2], Is.EqualTo(0x07E0_0000UL));
        Assert.That(h.Cpu.ElrEl[2], Is.EqualTo(CpuHarness.CodeBase));
    }

    [Test]
    public void WfeTrapsToEl2UnderHcrTwe()
    {
        var h = Harness("wfe", el2: true).AtEl(1);
        h.Cpu.MmuRegs.HCR_EL2 |= 1UL << 14;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(2));
        Assert.That(h.Cpu.EsrEl[2], Is.EqualTo(0x07E0_0001UL), "TI = 1 for WFE");
    }

    [Test]
    public void SevlMakesTheNextWfeCompleteAtOnce()
    {
        var h = Harness("sevl\nwfe\nwfe");
        h.Cpu.Run(2);
        Assert.That(h.Cpu.Sys.EventRegister, Is.False, "WFE consumed the event");
        Assert.That(h.Cpu.Run(1), Is.EqualTo(StopReason.WaitForever), "the second WFE sleeps with nothing to wake it");
    }

    [Test]
    public void El0TimerAccessFollowsCntkctl()
    {
        var h = Harness("mrs x0, cntv_ctl_el0\nmrs x1, cntpct_el0").AtEl(0);
        h.Cpu.Timer.CNTKCTL_EL1 = 1UL << 8 | 1; // EL0VTEN, EL0PCTEN
        h.Cpu.WarpClock(160);
        h.Run();
        Assert.That(h.Cpu.EsrEl[1], Is.Zero);
        Assert.That(h.X(1), Is.EqualTo(10UL));
    }

    [Test]
    public void CnthctlTrapsEl1PhysicalTimerToEl2()
    {
        var h = Harness("mrs x0, cntpct_el0", el2: true).AtEl(1);
        h.Cpu.Timer.CNTHCTL_EL2 = 0;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(2));
        Assert.That(Ec(h.Cpu.EsrEl[2]), Is.EqualTo(0x18u));

        var v = Harness("mrs x0, cntvct_el0", el2: true).AtEl(1);
        v.Cpu.Timer.CNTHCTL_EL2 = 0;
        v.Cpu.Run(1);
        Assert.That(v.Cpu.EL, Is.EqualTo(1), "the virtual counter is never trapped by CNTHCTL_EL2");
    }

    [Test]
    public void CntvoffShiftsTheVirtualCountAndTimer()
    {
        var (h, log) = WithLog("msr cntvoff_el2, x0\nmsr cntv_cval_el0, x1\nmsr cntv_ctl_el0, x2\nmrs x3, cntvct_el0", el2: true);
        h.Cpu.WarpClock(16 * 5000);
        h.SetX(0, 4000).SetX(1, 1500).SetX(2, 1);
        h.Run();
        Assert.That(h.X(3), Is.EqualTo(1000UL));
        Assert.That(h.Cpu.Events.NextCycle, Is.EqualTo(5500UL * 16), "virtual 1500 = physical 5500");
        Assert.That(log, Is.Empty);
    }

    [Test]
    public void CounterConstantsAreInOnePlace()
    {
        Assert.That(GenericTimer.CyclesPerTick, Is.EqualTo(16UL));
        Assert.That(GenericTimer.CounterFrequencyHz * GenericTimer.CyclesPerTick, Is.EqualTo(Cpu.ClockHz));
    }
}
