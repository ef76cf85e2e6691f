using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.Engines;

/// <summary>
/// A PMU counter on LD_RETIRED with its overflow interrupt, under `a53`: the interrupt is taken right after the load
/// that wraps the counter (the interpreter is the reference). Translated blocks add their loads' LD_RETIRED on the way
/// out (A53Model.CountInBlock), so while such an alarm is armed the run loop interprets: the same instruction and
/// cycle on both engines, the wrapping load being in the middle of a 4-instruction loop block.
/// </summary>
[TestFixture]
public class PmuAlarmEngineTests
{
    private const ulong Base = CpuHarness.CodeBase;

    [Test]
    public void AnOverflowOnLoadsInterruptsAtTheSameInstructionOnBothEngines()
    {
        var reference = Run(ExecutionEngine.Interpreter);
        var translated = Run(ExecutionEngine.Translator);
        Assert.That(reference.Irqs, Is.EqualTo(1UL), "one overflow in 2,000 loads");
        Assert.That(reference.Elr, Is.EqualTo(Base + 0x18), "after the loop's load (the add next)");
        Assert.That(translated, Is.EqualTo(reference));
    }

    private static (ulong Irqs, ulong Elr, ulong Sum, ulong Cycles, ulong Retired, ulong Loads) Run(ExecutionEngine engine)
    {
        // Counter 0 counts LD_RETIRED at EL1 from 0xFFFF_FFFF - 700: the 701st load wraps it. The loop is one block.
        var code = Layout(
            (0x000, PmuCounterSetup + "\n" + """
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
        EnablePmuInterrupt(h);
        h.Cpu.VbarEl[1] = Base + 0x800;
        h.Cpu.Daif = 0;
        h.Write(CpuHarness.DataBase, 8, 3);
        h.SetX(4, (ulong)PmuEvent.LD_RETIRED).SetX(5, 0xFFFF_FFFFUL - 700).SetX(6, 1).SetX(0, Pmu.PMCR_E)
            .SetX(2, CpuHarness.DataBase).SetX(3, 2000);
        h.Cpu.Run(10_000);
        Assert.That(h.Cpu.PC, Is.EqualTo(Base + 0x24), $"{engine}: at the loop's end");
        return (h.X(13), h.X(12), h.X(11), h.Cpu.Cycles, h.Cpu.Retired, h.Cpu.PerfEvents.Total(PmuEvent.LD_RETIRED, 1));
    }
}
