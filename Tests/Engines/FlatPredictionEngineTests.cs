using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.Engines;

/// <summary>
/// Under `a53` with the MMU off, translated blocks build in the MMU-off costs of their fetches, loads, stores and
/// branches (A53Model.PredictsFlat), after a check that the translation context is the one those costs were seen in.
/// A loop of loads, stores and a branch over two fetch lines runs three times: translated with the prediction; after an
/// SVC (a new context: the check fails once, the block finishes its instruction without the prediction and leaves); and
/// after SCTLR_EL1.I is set (fetches cacheable: the block is dropped and made again without it). The interpreter is the
/// reference: the same cycles, registers and PMU counts on both engines, and the translator's blocks did leave early.
/// </summary>
[TestFixture]
public class FlatPredictionEngineTests
{
    private const ulong Base = CpuHarness.CodeBase;

    [Test]
    public void PredictedMmuOffCostsMatchTheInterpreterAcrossContextChanges()
    {
        var (reference, _) = Run(ExecutionEngine.Interpreter);
        var (translated, mispredicted) = Run(ExecutionEngine.Translator);
        Assert.That(reference.Svcs, Is.EqualTo(1UL));
        Assert.That(translated, Is.EqualTo(reference));
        Assert.That(mispredicted, Is.GreaterThanOrEqualTo(2), "the SVC's new context and the cacheable fetches each left a block early");
    }

    private static ((ulong Svcs, ulong Sum, ulong Cycles, ulong Retired, ulong Bus, ulong Mispredicts, ulong Immediate, ulong L1i), long)
        Run(ExecutionEngine engine)
    {
        var code = Layout(
            (0x000, """
                mov x3, #300
                blr x20
                svc #0
                mov x3, #300
                blr x20
                mrs x0, sctlr_el1
                orr x0, x0, #0x1000
                msr sctlr_el1, x0
                isb
                mov x3, #300
                blr x20
                b .
                """),
            // The loop crosses from one 64-byte line into the next at 0x140.
            (0x130, """
                loop:
                ldr x10, [x2]
                add x11, x11, x10
                str x11, [x2, #8]
                ldp x12, x13, [x2, #16]
                add x11, x11, x12
                subs x3, x3, #1
                b.ne loop
                ret
                """),
            // SVC from the current EL with SP_ELx.
            (0xA00, """
                add x14, x14, #1
                eret
                """));
        var h = new CpuHarness(code, options: new VirtBoardOptions { Timing = TimingModels.A53, Engine = engine });
        h.Cpu.HotBlock = 1;
        h.Cpu.VbarEl[1] = Base + 0x800;
        h.Write(CpuHarness.DataBase, 8, 3);
        h.Write(CpuHarness.DataBase + 16, 8, 5);
        h.SetX(2, CpuHarness.DataBase).SetX(20, Base + 0x130);
        h.Cpu.Run(20_000);
        Assert.That(h.Cpu.PC, Is.EqualTo(Base + 0x2C), $"{engine}: at the end");
        Assert.That(h.Cpu.MmuRegs.SCTLR_EL1 & 1, Is.Zero, "the MMU stays off");
        var pmu = h.Cpu.PerfEvents;
        return ((h.X(14), h.X(11), h.Cpu.Cycles, h.Cpu.Retired, pmu.Total(PmuEvent.BUS_ACCESS, 1), pmu.Total(PmuEvent.BR_MIS_PRED, 1),
            pmu.Total(PmuEvent.BR_IMMED_RETIRED, 1), pmu.Total(PmuEvent.L1I_CACHE, 1)), h.Cpu.Translations.Mispredicted);
    }
}
