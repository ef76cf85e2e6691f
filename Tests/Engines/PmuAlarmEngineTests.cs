using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using Aegis.Tests.Tracing;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.Engines;

/// <summary>
/// A PMU counter on LD_RETIRED with its overflow interrupt, under `a53`: the interrupt is taken right after the load
/// that wraps the counter (the interpreter is the reference). Translated blocks add their loads' LD_RETIRED on the way
/// out (A53Model.CountInBlock), so while such an alarm is armed the run loop interprets: the same instruction and
/// cycle on both engines, the wrapping load being in the middle of a 4-instruction loop block. The same for L1D_CACHE
/// with the MMU and caches on, which a block counts on the way out for the loads it finds in the line its last load hit.
/// </summary>
[TestFixture]
public class PmuAlarmEngineTests
{
    private const ulong Base = CpuHarness.CodeBase;

    [Test]
    public void AnOverflowOnLoadsInterruptsAtTheSameInstructionOnBothEngines()
    {
        var reference = Run(ExecutionEngine.Interpreter, PmuEvent.LD_RETIRED, mmu: false);
        var translated = Run(ExecutionEngine.Translator, PmuEvent.LD_RETIRED, mmu: false);
        Assert.That(reference.Irqs, Is.EqualTo(1UL), "one overflow in 2,000 loads");
        Assert.That(reference.Elr, Is.EqualTo(Base + 0x18), "after the loop's load (the add next)");
        Assert.That(translated, Is.EqualTo(reference));
    }

    [Test]
    public void AnOverflowOnL1dAccessesInterruptsAtTheSameInstructionOnBothEngines()
    {
        var reference = Run(ExecutionEngine.Interpreter, PmuEvent.L1D_CACHE, mmu: true);
        var translated = Run(ExecutionEngine.Translator, PmuEvent.L1D_CACHE, mmu: true);
        Assert.That(reference.Irqs, Is.EqualTo(1UL), "one overflow in 2,000 loads");
        Assert.That(translated, Is.EqualTo(reference));
    }

    private static (ulong Irqs, ulong Elr, ulong Sum, ulong Cycles, ulong Retired, ulong Counted) Run(ExecutionEngine engine, PmuEvent counted,
        bool mmu)
    {
        // Counter 0 counts the event at EL1 from 0xFFFF_FFFF - 700: the 701st wraps it. The loop is one block. With the
        // MMU on, the caches too (SCTLR.C, SCTLR.I), the data in a Normal write-back page.
        string enable = mmu ? string.Join("\n", CheckerGuests.EnableMmu) + """

            mrs x0, sctlr_el1
            mov x1, #0x1004
            orr x0, x0, x1
            msr sctlr_el1, x0
            isb
            mov x0, x7

            """ : "";
        ulong data = mmu ? 0x4010_5000 : CpuHarness.DataBase;
        var code = Layout(
            (0x000, enable + PmuCounterSetup + "\n" + """
                loop:
                ldr x10, [x2]
                add x11, x11, x10
                subs x3, x3, #1
                b.ne loop
                b .
                """),
            // The IRQ vector (current EL, SP_ELx): where the interrupt landed, and the overflow flag cleared.
            (0xA80, """
                mrs x12, elr_el1
                add x13, x13, #1
                msr pmovsclr_el0, x6
                isb
                eret
                """));
        var h = new CpuHarness(code, options: new VirtBoardOptions { Timing = TimingModels.A53, Engine = engine });
        h.Cpu.HotBlock = 1;
        if (mmu) CheckerGuests.BuildTables(h, CheckerGuests.Rw);
        EnablePmuInterrupt(h);
        h.Cpu.VbarEl[1] = Base + 0x800;
        h.Cpu.Daif = 0;
        h.Write(data, 8, 3);
        h.SetX(4, (ulong)counted).SetX(5, 0xFFFF_FFFFUL - 700).SetX(6, 1).SetX(0, Pmu.PMCR_E).SetX(7, Pmu.PMCR_E)
            .SetX(2, data).SetX(3, 2000);
        h.Cpu.Run(10_000);
        Assert.That(h.Read(h.Cpu.PC, 4), Is.EqualTo(0x1400_0000UL), $"{engine}: at the final b .");
        return (h.X(13), h.X(12), h.X(11), h.Cpu.Cycles, h.Cpu.Retired, h.Cpu.PerfEvents.Total(counted, 1));
    }
}
