using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.Timing;

/// <summary>
/// The performance monitors over the CPU's own INST_RETIRED and CPU_CYCLES, under the default one-cycle-per-
/// instruction model: a write counts from within the writing instruction, a read sees up to the instruction before.
/// </summary>
public class PmuTests
{
    private const ulong Base = CpuHarness.CodeBase;
    private const ulong E = Pmu.PMCR_E, C = 1UL << 31;
    private const ulong InstRetired = (ulong)PmuEvent.INST_RETIRED;

    [Test]
    public void CycleAndInstructionCountersCountTheSnippet()
    {
        var h = Harness("""
            msr pmevtyper0_el0, x4
            msr pmcr_el0, x0
            msr pmcntenset_el0, x1
            nop
            nop
            nop
            nop
            nop
            mrs x2, pmccntr_el0
            mrs x3, pmevcntr0_el0
            """).SetX(4, InstRetired).SetX(0, E).SetX(1, C | 1);
        h.Run();
        // Counting starts inside the PMCNTENSET write: it, the 5 NOPs (6 cycles) are before the first MRS;
        // the second MRS also sees the first one (7 instructions).
        Assert.That(h.X(2), Is.EqualTo(6UL));
        Assert.That(h.X(3), Is.EqualTo(7UL));
        Assert.That(h.Cpu.Pmu.PMCCNTR_EL0, Is.EqualTo(8UL), "both MRS have retired since");
        Assert.That(h.Cpu.Pmu.GetEventCounter(0), Is.EqualTo(8UL));
    }

    /// <summary>
    /// EL1 sets up and ERETs to EL0 at 0x100 (3 NOPs and an SVC), the SVC returns to EL1 at the lower-EL
    /// vector 0x1400, which reads the counters. Counter 0: INST_RETIRED with P (EL0 only); counter 1:
    /// INST_RETIRED with U (EL1 only); counter 2: EXC_TAKEN; counter 3: EXC_RETURN; PMCCNTR with P (EL0 cycles).
    /// </summary>
    [Test]
    public void FiltersSeparateEl0FromEl1AcrossAnSvcRoundTrip()
    {
        var code = Layout(
            (0x000, """
                msr pmccfiltr_el0, x5
                msr pmevtyper0_el0, x4
                msr pmevtyper1_el0, x6
                msr pmevtyper2_el0, x11
                msr pmevtyper3_el0, x12
                msr pmcr_el0, x0
                msr spsr_el1, xzr
                msr elr_el1, x7
                msr pmcntenset_el0, x1
                eret
                """),
            (0x100, "nop\nnop\nnop\nsvc #0"),
            (0x1400, """
                nop
                nop
                mrs x2, pmccntr_el0
                mrs x3, pmevcntr0_el0
                mrs x8, pmevcntr1_el0
                mrs x9, pmevcntr2_el0
                mrs x10, pmevcntr3_el0
                """));
        var h = new CpuHarness(code);
        h.Cpu.VbarEl[1] = Base + 0x1000;
        h.SetX(5, Pmu.FILTER_P).SetX(4, Pmu.FILTER_P | InstRetired).SetX(6, Pmu.FILTER_U | InstRetired)
            .SetX(11, (ulong)PmuEvent.EXC_TAKEN).SetX(12, (ulong)PmuEvent.EXC_RETURN)
            .SetX(0, E).SetX(7, Base + 0x100).SetX(1, C | 0xF);
        ulong el1Before = 0;
        h.Cpu.Run(8);
        el1Before = h.Cpu.RetiredAtEl(1);
        h.Run();
        Assert.That(h.Cpu.EL, Is.EqualTo(1));
        Assert.That(h.X(2), Is.EqualTo(4UL), "EL0 cycles: 3 NOPs and the SVC");
        Assert.That(h.X(3), Is.EqualTo(4UL), "EL0 instructions: 3 NOPs and the SVC");
        // EL1: PMCNTENSET and ERET before the round trip, then 2 NOPs and 2 MRS before the read of counter 1.
        Assert.That(h.X(8), Is.EqualTo(2UL + 4));
        Assert.That(h.X(9), Is.EqualTo(1UL), "one exception taken (the SVC)");
        Assert.That(h.X(10), Is.EqualTo(1UL), "one exception return");
        Assert.That(h.Cpu.RetiredAtEl(0), Is.EqualTo(4UL));
        Assert.That(h.Cpu.CyclesAtEl(0), Is.EqualTo(4UL));
        Assert.That(h.Cpu.RetiredAtEl(1), Is.EqualTo(el1Before + 2 + 7), "MSR PMCNTENSET, ERET, then the 7 vector instructions");
        Assert.That(h.Cpu.RetiredAtEl(0) + h.Cpu.RetiredAtEl(1), Is.EqualTo(h.Cpu.Retired));
        Assert.That(h.Cpu.CyclesAtEl(0) + h.Cpu.CyclesAtEl(1), Is.EqualTo(h.Cpu.Cycles));
    }

    [Test]
    public void UnfilteredCycleCounterAndEl2OnlyWithNsh()
    {
        // At EL2 (virtualization on): NSH clear does not count EL2, NSH set does.
        var h = Harness("""
            msr pmevtyper0_el0, x4
            msr pmevtyper1_el0, x5
            msr pmcr_el0, x0
            msr pmcntenset_el0, x1
            nop
            nop
            mrs x2, pmevcntr0_el0
            mrs x3, pmevcntr1_el0
            """, el2: true).SetX(4, InstRetired).SetX(5, Pmu.FILTER_NSH | InstRetired).SetX(0, E).SetX(1, 3);
        h.Run();
        Assert.That(h.Cpu.EL, Is.EqualTo(2));
        Assert.That(h.X(2), Is.Zero);
        Assert.That(h.X(3), Is.EqualTo(4UL), "PMCNTENSET, 2 NOPs, the first MRS");
    }

    [TestCase(0UL, 202UL)]
    [TestCase(Pmu.PMCR_D, 3UL)]
    public void PmcrDDividesTheCycleCountBy64(ulong d, ulong expected)
    {
        var h = Harness("""
            msr pmcr_el0, x0
            msr pmcntenset_el0, x1
            mov x9, #100
            1: subs x9, x9, #1
            b.ne 1b
            mrs x2, pmccntr_el0
            """).SetX(0, E | d).SetX(1, C);
        h.Run();
        // PMCNTENSET, MOV, 100 x (SUBS, B.NE) = 202 cycles before the MRS; 202 / 64 = 3.
        Assert.That(h.X(2), Is.EqualTo(expected));
    }

    [Test]
    public void PmcrCResetsTheCycleCounter()
    {
        var h = Harness("""
            msr pmcr_el0, x0
            msr pmcntenset_el0, x1
            nop
            nop
            msr pmcr_el0, x3
            nop
            mrs x2, pmccntr_el0
            """).SetX(0, E).SetX(1, C).SetX(3, E | Pmu.PMCR_C);
        h.Run();
        Assert.That(h.X(2), Is.EqualTo(2UL), "the resetting MSR and the NOP");
    }

    private static CpuHarness OverflowHarness(ulong handlerOffset = 0xA80)
    {
        // The IRQ vector (current EL, SP_ELx) is VBAR_EL1 + 0x280 = 0x800 + 0x280.
        var code = Layout(
            (0x000, PmuCounterSetup + string.Concat(Enumerable.Repeat("\nnop", 24))),
            ((int)handlerOffset, "msr pmovsclr_el0, x6\nmrs x9, pmovsclr_el0"));
        var h = new CpuHarness(code);
        h.Cpu.VbarEl[1] = Base + 0x800;
        h.SetX(4, InstRetired).SetX(5, 0xFFFF_FFF0).SetX(6, 1).SetX(0, E);
        return h;
    }

    [Test]
    public void EventCounterOverflowsAtExactlyTheSixteenthInstruction()
    {
        var h = OverflowHarness();
        var gic = h.Board.Gic;
        // Steps 1-4 configure; step 5 (PMCNTENSET) is the first counted instruction, step 20 the 16th.
        h.Cpu.Run(19);
        Assert.That(h.Cpu.Pmu.GetEventCounter(0), Is.EqualTo(0xFFFF_FFFFUL));
        Assert.That(h.Cpu.Pmu.InterruptLevel, Is.False);
        Assert.That(gic.IsPending(Pmu.InterruptId), Is.False);
        h.Cpu.Run(1);
        Assert.That(h.Cpu.Pmu.GetEventCounter(0), Is.Zero);
        // The deadline is due at the top of the next step, before the 17th instruction.
        Assert.That(h.Cpu.Events.NextCycle, Is.EqualTo(h.Cpu.Cycles));
        h.Cpu.Run(1);
        Assert.That(gic.IsPending(Pmu.InterruptId), Is.True, "INTID 23 pending at the GIC");
        Assert.That(h.Cpu.Pmu.InterruptLevel, Is.True);
        Assert.That(h.Cpu.Pmu.PMOVSSET, Is.EqualTo(1UL));
        Assert.That(h.Cpu.Pmu.GetEventCounter(0), Is.EqualTo(1UL), "IRQs masked: the 17th instruction ran");
        Assert.That(h.Cpu.PC, Is.EqualTo(Base + 4 * 21));
    }

    [Test]
    public void OverflowInterruptIsTakenWhenUnmaskedAndPmovsclrDropsTheLine()
    {
        var h = OverflowHarness();
        var b = h.Board;
        EnablePmuInterrupt(h);
        h.Cpu.Daif = 0;
        h.Cpu.Run(21);
        // 20 instructions, then the IRQ instead of the 17th counted one.
        Assert.That(h.Cpu.PC, Is.EqualTo(Base + 0xA80));
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(Base + 4 * 20));
        Assert.That(h.Cpu.Retired, Is.EqualTo(20UL));
        Assert.That(h.Cpu.IrqLine, Is.True);
        h.Cpu.Run(2);
        Assert.That(h.X(9), Is.Zero, "PMOVSCLR read back after the clear");
        Assert.That(b.Gic.IsPending(Pmu.InterruptId), Is.False, "the level dropped");
        Assert.That(h.Cpu.IrqLine, Is.False);
        Assert.That(h.Cpu.Pmu.InterruptLevel, Is.False);
    }

    [Test]
    public void CycleCounterOverflowsAt32BitsUnlessLc()
    {
        foreach (bool lc in new[] { false, true })
        {
            var h = Harness("msr pmccntr_el0, x2\nmsr pmcr_el0, x0\nmsr pmcntenset_el0, x1" + string.Concat(Enumerable.Repeat("\nnop", 20)))
                .SetX(2, 0xFFFF_FFF0).SetX(0, E | (lc ? Pmu.PMCR_LC : 0)).SetX(1, C);
            h.Cpu.Run(3);
            // Counting started within step 3 at cycle 2: the 32-bit wrap is 16 cycles later, the 64-bit one 2^64 - 0xFFFF_FFF0.
            Assert.That(h.Cpu.Events.NextCycle, Is.EqualTo(lc ? 0xFFFF_FFFF_0000_0012UL : 2UL + 16), $"LC={lc}");
            h.Cpu.Run(15); // steps 3-18: 16 cycles
            Assert.That(h.Cpu.Cycles, Is.EqualTo(18UL));
            Assert.That(h.Cpu.Pmu.PMCCNTR_EL0, Is.EqualTo(0x1_0000_0000UL), "the counter is 64 bits wide either way");
            Assert.That(h.Cpu.Pmu.PMOVSSET, Is.EqualTo(lc ? 0 : C), $"LC={lc}");
        }
    }

    [Test]
    public void UnimplementedEventsCountNothingAndPmceidAdvertisesTheCountedOnes()
    {
        var h = Harness("""
            msr pmevtyper0_el0, x4
            msr pmevtyper1_el0, x5
            msr pmcr_el0, x0
            msr pmcntenset_el0, x1
            nop
            nop
            mrs x2, pmevcntr0_el0
            mrs x3, pmevcntr1_el0
            mrs x6, pmceid0_el0
            mrs x7, pmceid1_el0
            """).SetX(4, (ulong)PmuEvent.L1D_CACHE_REFILL).SetX(5, 0x3FF).SetX(0, E).SetX(1, 3);
        h.Run();
        Assert.That(h.X(2), Is.Zero);
        Assert.That(h.X(3), Is.Zero);
        // SW_INCR, INST_RETIRED, EXC_TAKEN, EXC_RETURN, CID_WRITE_RETIRED, CPU_CYCLES, BUS_CYCLES.
        Assert.That(h.X(6), Is.EqualTo(0x2002_0F01UL));
        Assert.That(h.X(7), Is.Zero);
    }

    [Test]
    public void TimingModelEventsCountAndOverflowAtTheExactAdd()
    {
        var h = Harness("msr pmevtyper0_el0, x4\nmsr pmevcntr0_el0, x5\nmsr pmintenset_el1, x1\nmsr pmcr_el0, x0\nmsr pmcntenset_el0, x1")
            .SetX(4, Pmu.FILTER_U | (ulong)PmuEvent.L1D_CACHE_REFILL).SetX(5, 0xFFFF_FFFD).SetX(0, E).SetX(1, 1);
        var ev = h.Cpu.PerfEvents;
        ev.Implemented |= 1UL << (int)PmuEvent.L1D_CACHE_REFILL;
        h.Run();
        Assert.That(h.Cpu.Pmu.PMCEID0 & (1UL << 3), Is.Not.Zero);
        ev.Add(0, PmuEvent.L1D_CACHE_REFILL, 100); // EL0: filtered out by U
        ev.Add(1, PmuEvent.L1D_CACHE_REFILL, 2);
        Assert.That(h.Cpu.Pmu.GetEventCounter(0), Is.EqualTo(0xFFFF_FFFFUL));
        Assert.That(h.Cpu.Pmu.InterruptLevel, Is.False);
        ev.Add(1, PmuEvent.L1D_CACHE_REFILL);
        Assert.That(h.Cpu.Pmu.InterruptLevel, Is.True, "raised within the Add that wrapped the counter");
        Assert.That(h.Board.Gic.IsPending(Pmu.InterruptId), Is.True);
        Assert.That(h.Cpu.Pmu.GetEventCounter(0), Is.Zero);
        Assert.That(ev.Total(PmuEvent.L1D_CACHE_REFILL, 1), Is.EqualTo(3UL));
        Assert.That(ev.Total(PmuEvent.L1D_CACHE_REFILL, 0), Is.EqualTo(100UL));
    }

    [Test]
    public void SoftwareIncrementStillCounts()
    {
        var h = Harness("msr pmcr_el0, x0\nmsr pmcntenset_el0, x1\nmsr pmswinc_el0, x1\nmsr pmswinc_el0, x1\nmrs x2, pmevcntr0_el0")
            .SetX(0, E).SetX(1, 1);
        h.Run();
        Assert.That(h.X(2), Is.EqualTo(2UL));
    }

    [Test]
    public void PerformanceEventsAlarmFiresOnceWhenCrossed()
    {
        var ev = new PerformanceEvents();
        var calls = new List<(int, PmuEvent)>();
        ev.AlarmCrossed = (el, e) => calls.Add((el, e));
        ev.SetAlarm(1, PmuEvent.L2D_CACHE, 10);
        ev.Add(1, PmuEvent.L2D_CACHE, 9);
        ev.Add(0, PmuEvent.L2D_CACHE, 50);
        ev.Add(1, PmuEvent.BR_MIS_PRED, 50);
        Assert.That(calls, Is.Empty);
        ev.Add(1, PmuEvent.L2D_CACHE);
        Assert.That(calls, Is.EqualTo(new[] { (1, PmuEvent.L2D_CACHE) }));
        ev.Add(1, PmuEvent.L2D_CACHE);
        Assert.That(calls, Has.Count.EqualTo(1), "disarmed until set again");
        Assert.That(ev.Total(PmuEvent.L2D_CACHE, 1), Is.EqualTo(11UL));
        Assert.That(ev.Total(PmuEvent.L2D_CACHE, 0), Is.EqualTo(50UL));
        ev.Reset();
        Assert.That(ev.Total(PmuEvent.L2D_CACHE, 1), Is.Zero);
        Assert.That(ev.Alarm(1, PmuEvent.L2D_CACHE), Is.EqualTo(ulong.MaxValue));
    }
}
