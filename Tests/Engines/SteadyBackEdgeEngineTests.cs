using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using Aegis.Tests.Tracing;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.Engines;

/// <summary>
/// A self-loop's back edge in the predictor's steady state (its counter strongly taken, its target in the BTIC) is
/// predicted by a translated block without a call (FrontEnd.TakenSteadily), which shifts the global history as the call
/// would: the history need not be all taken, so a loop's first passes after other branches count. A loop runs: with the
/// MMU and caches on, long enough to reach that state; then a loop with a branch to the next instruction inside, taken
/// for 16 passes of every 32 (the history leaves the steady state, and the BTIC holds the other branch); the first loop
/// again, entered with the other loop's state; and the first loop with the MMU off and the instruction cache on: the
/// same block, the predictor still in the loop's steady state, but prediction disabled, so that each taken branch is
/// not predicted. And a long loop stopped in its steady state, where the MMU is turned off from the host: the block
/// enters with the predictor steady for its back edge, which must not be predicted now. The interpreter is the reference:
/// the same cycles, registers and branch events on both engines.
/// </summary>
[TestFixture]
public class SteadyBackEdgeEngineTests
{
    private const ulong Base = CpuHarness.CodeBase;

    /// <param name="sliced">The translated run in slices of 1 to 100 steps: blocks stop inside their passes.</param>
    [TestCase(false)]
    [TestCase(true)]
    public void BackEdgesPredictedInlineMatchTheInterpreter(bool sliced)
    {
        var reference = Run(ExecutionEngine.Interpreter);
        var translated = Run(ExecutionEngine.Translator, sliced);
        Assert.That(reference.Loops, Is.EqualTo(3 * 60 + 80 * 81 / 2UL), "every loop ran every pass");
        Assert.That(reference.Predicted, Is.GreaterThanOrEqualTo(3 * 60UL), "the MMU-on loops' branches are predicted");
        Assert.That(reference.Mispredicted, Is.GreaterThanOrEqualTo(59UL), "the MMU-off loop's taken branches are not predicted");
        Assert.That(translated.BlocksRun, Is.GreaterThan(0L));
        Assert.That(translated with { BlocksRun = 0 }, Is.EqualTo(reference with { BlocksRun = 0 }));
    }

    /// <summary>
    /// A loop whose block has a forward conditional branch inside, taken every eighth pass: the back edge's history then
    /// holds both outcomes, its counters are met in every state, and the block leaves at the taken branch; then the same
    /// loop with the MMU off and the instruction cache on: prediction disabled, so the back edge is never predicted
    /// inline. The interpreter is the reference: the same cycles, registers and branch events.
    /// </summary>
    /// <param name="sliced">The translated run in slices of 1 to 100 steps.</param>
    [TestCase(false)]
    [TestCase(true)]
    public void LoopsWithForwardBranchesMatchTheInterpreter(bool sliced)
    {
        var reference = RunForward(ExecutionEngine.Interpreter);
        var translated = RunForward(ExecutionEngine.Translator, sliced);
        Assert.That(reference.Loops, Is.EqualTo(2 * 96UL), "both loops ran every pass");
        Assert.That(reference.Predicted, Is.GreaterThanOrEqualTo(2 * 96UL), "the MMU-on loop's branches are predicted");
        Assert.That(reference.Mispredicted, Is.GreaterThanOrEqualTo(96UL), "the MMU-off loop's taken branches are not predicted");
        Assert.That(translated.BlocksRun, Is.GreaterThan(0L));
        Assert.That(translated with { BlocksRun = 0 }, Is.EqualTo(reference with { BlocksRun = 0 }));
    }

    private static Outcome RunForward(ExecutionEngine engine, bool sliced = false)
    {
        var code = Layout([
            (0x000, EngineRuns.MmuAndCachesOn + """
                mov x3, #96
                blr x20
                mrs x0, sctlr_el1
                bic x0, x0, #1
                msr sctlr_el1, x0
                isb
                mov x3, #96
                blr x20
                b .
                """),
            (0x200, """
                loop:
                add x5, x5, #1
                and x6, x3, #7
                cbz x6, skip
                add x7, x7, x3
                skip:
                subs x3, x3, #1
                b.ne loop
                ret
                """)]);
        var h = Board(code, engine);
        h.SetX(20, Base + 0x200);
        EngineRuns.Run(h.Cpu, 3_000, sliced);
        Assert.That(h.Read(h.Cpu.PC, 4), Is.EqualTo(0x1400_0000UL), $"{engine}: at the final b .");
        Assert.That(h.X(7), Is.EqualTo(2 * (96UL * 97 / 2 - 8UL * (12 * 13 / 2))), $"{engine}: the not-taken passes' sums");
        return Outcome.Of(h);
    }

    [Test]
    public void ABackEdgeIsNotPredictedWhenTheMmuWasTurnedOffInsideItsLoop()
    {
        var reference = RunStopped(ExecutionEngine.Interpreter);
        var translated = RunStopped(ExecutionEngine.Translator);
        Assert.That(reference.Loops, Is.EqualTo(300UL), "the loop ran every pass");
        Assert.That(reference.Mispredicted, Is.GreaterThanOrEqualTo(200UL), "its taken branches after the MMU went off");
        Assert.That(translated.BlocksRun, Is.GreaterThan(0L));
        Assert.That(translated with { BlocksRun = 0 }, Is.EqualTo(reference with { BlocksRun = 0 }));
    }

    /// <summary>The loop of 300 passes, stopped after 80 (the predictor steady for 60 of them), and the MMU turned off
    /// through SCTLR_EL1 as an MSR would (the instruction cache stays on: fetches are cacheable, so the block is not one
    /// that predicts MMU-off costs).</summary>
    private static Outcome RunStopped(ExecutionEngine engine)
    {
        var code = Layout([
            (0x000, EngineRuns.MmuAndCachesOn + """
                mov x3, #300
                blr x20
                b .
                """),
            (0x200, Loop)]);
        var h = Board(code, engine);
        h.SetX(20, Base + 0x200);
        const int prologue = CheckerGuests.FirstMmuOnInstruction + 1 + 7;
        h.Cpu.Run(prologue + 80 * 3);
        Assert.That(h.Cpu.PC, Is.EqualTo(Base + 0x200), $"{engine}: stopped at the loop's start");
        var sctlr = SystemRegisterTable.Find(3, 0, 1, 0, 0)!;
        sctlr.Write!(h.Cpu, sctlr.Read!(h.Cpu) & ~1UL);
        h.Cpu.Run(2_000);
        Assert.That(h.Read(h.Cpu.PC, 4), Is.EqualTo(0x1400_0000UL), $"{engine}: at the final b .");
        return Outcome.Of(h);
    }

    private const string Loop = """
        loop:
        add x5, x5, #1
        subs x3, x3, #1
        b.ne loop
        ret
        """;

    private static Outcome Run(ExecutionEngine engine, bool sliced = false)
    {
        var code = Layout([
            (0x000, EngineRuns.MmuAndCachesOn + """
                mov x3, #60
                blr x20
                mov x3, #80
                blr x21
                mov x3, #60
                blr x20
                mrs x0, sctlr_el1
                bic x0, x0, #1
                msr sctlr_el1, x0
                isb
                mov x3, #60
                blr x20
                b .
                """),
            (0x200, Loop),
            (0x300, """
                loop2:
                add x5, x5, x3
                tst x3, #16
                b.ne next
                next:
                subs x3, x3, #1
                b.ne loop2
                ret
                """)]);
        var h = Board(code, engine);
        h.SetX(20, Base + 0x200).SetX(21, Base + 0x300);
        const ulong steps = 2_000;
        EngineRuns.Run(h.Cpu, steps, sliced);
        Assert.That(h.Read(h.Cpu.PC, 4), Is.EqualTo(0x1400_0000UL), $"{engine}: at the final b .");
        return Outcome.Of(h);
    }

    /// <summary>The board every loop runs on: a53 timing, blocks translated at once, page tables built.</summary>
    private static CpuHarness Board(uint[] code, ExecutionEngine engine)
    {
        var h = new CpuHarness(code, options: new VirtBoardOptions { Timing = TimingModels.A53, Engine = engine });
        h.Cpu.HotBlock = 1;
        CheckerGuests.BuildTables(h, CheckerGuests.Rw);
        return h;
    }

    /// <summary>What the engines must agree on (EL1's branch and fetch events), and the blocks the translator ran.</summary>
    private readonly record struct Outcome(ulong Pc, ulong Loops, ulong Cycles, ulong Retired, ulong Predicted,
        ulong Mispredicted, ulong Immediate, ulong L1i, long BlocksRun)
    {
        public static Outcome Of(CpuHarness h)
        {
            var pmu = h.Cpu.PerfEvents;
            return new(h.Cpu.PC, h.X(5), h.Cpu.Cycles, h.Cpu.Retired, pmu.Total(PmuEvent.BR_PRED, 1), pmu.Total(PmuEvent.BR_MIS_PRED, 1),
                pmu.Total(PmuEvent.BR_IMMED_RETIRED, 1), pmu.Total(PmuEvent.L1I_CACHE, 1), h.Cpu.Translations.BlocksRun);
        }
    }
}
