using Aegis.Emulator.Cpu.Timing.A53;
using NUnit.Framework;

namespace Aegis.Tests.Timing;

/// <summary>
/// The Cortex-A53 branch predictor against hand-computed expectations. Default config: 2048 counters, 11 bits of
/// global history, gshare index ((pc / 4) XOR history) mod 2048, counters from weakly not-taken (1).
/// </summary>
public class BranchPredictorTests
{
    private static BranchPrediction Cond(BranchPredictor p, ulong pc, bool taken, ulong target) =>
        p.Resolve(pc, BranchKind.Conditional, taken, target, predictionEnabled: true);

    private static BranchPrediction Run(BranchPredictor p, ulong pc, BranchKind kind, ulong target) =>
        p.Resolve(pc, kind, taken: true, target, predictionEnabled: true);

    [Test]
    public void AlwaysTakenBranchIsPredictedTakenFromItsThirteenthExecution()
    {
        // The history fills with ones over 11 executions (0, 1, 3, ... 0x7FF), each a fresh weakly-not-taken
        // counter: executions 0..11 mispredict (11 partial histories + the first visit of 0x7FF, which moves its
        // counter to weakly taken). Execution 12 sees 0x7FF again, counter 2: predicted taken.
        var p = new BranchPredictor();
        var outcomes = Enumerable.Range(0, 16).Select(_ => Cond(p, 0x1000, true, 0xFF0).Outcome).ToArray();

        Assert.That(outcomes.Take(12), Is.All.EqualTo(BranchOutcome.Mispredicted));
        // The BTIC has held this branch since its first taken execution: no bubble once the direction is right.
        Assert.That(outcomes.Skip(12), Is.All.EqualTo(BranchOutcome.CorrectTakenEarly));
        Assert.That(p.Conditional.History, Is.EqualTo(0x7FFu));
        Assert.That(p.Conditional.CounterAt(0x1000), Is.EqualTo(3), "strongly taken after 4 correct takens");
    }

    [Test]
    public void TwentyTripLoopMispredictsWarmupAndExit()
    {
        var p = new BranchPredictor();
        int[] RunLoop()
        {
            var mis = new List<int>();
            for (int k = 0; k < 20; k++)
                if (Cond(p, 0x1000, taken: k < 19, 0xFF0).Outcome == BranchOutcome.Mispredicted) mis.Add(k);
            return mis.ToArray();
        }

        // First run: warm-up 0..11 as above, 12..18 correct, the exit (k = 19, history 0x7FF, counter 3) mispredicts.
        Assert.That(RunLoop(), Is.EqualTo(Enumerable.Range(0, 12).Append(19).ToArray()));
        // Second run: the exit's 0 walks up the history (0x7FE, 0x7FD, ... 0x5FF): ten fresh counters mispredict.
        // At k = 10 it reaches bit 10 (0x3FF), the history run 1 trained at its k = 10, so from there on it is right
        // until the exit mispredicts again.
        Assert.That(RunLoop(), Is.EqualTo(Enumerable.Range(0, 10).Append(19).ToArray()));
    }

    [Test]
    public void AlternatingBranchIsLearnedThroughGlobalHistory()
    {
        // T,N,T,N...: before a T the history is ...1010 (0x2AA once full, reached at k = 10), before an N ...0101.
        // The T histories 0, 0x2, 0xA, 0x2A, 0xAA, 0x2AA are each met cold once (weakly not-taken: mispredict);
        // the N histories are cold too but cold predicts not-taken, which is right. A per-pc 2-bit counter
        // would instead keep mispredicting.
        var p = new BranchPredictor();
        var mis = Enumerable.Range(0, 40)
            .Where(k => Cond(p, 0x2000, taken: k % 2 == 0, 0x2100).Outcome == BranchOutcome.Mispredicted)
            .ToArray();
        Assert.That(mis, Is.EqualTo(new[] { 0, 2, 4, 6, 8, 10 }));
    }

    [Test]
    public void ReturnStackPairsCallsWithReturns()
    {
        var p = new BranchPredictor();
        Assert.That(Run(p, 0x1000, BranchKind.Call, 0x8000).Outcome, Is.EqualTo(BranchOutcome.CorrectTakenLate));
        Assert.That(p.ReturnStack.Count, Is.EqualTo(1));
        var hit = Run(p, 0x8000, BranchKind.Return, 0x1004);
        Assert.That(hit.Outcome, Is.EqualTo(BranchOutcome.ReturnStackHit));
        Assert.That(hit.BubbleCycles, Is.EqualTo(2));

        // Empty stack: nothing to predict with.
        Assert.That(Run(p, 0x8000, BranchKind.Return, 0x1004).Outcome, Is.EqualTo(BranchOutcome.Mispredicted));

        // A return somewhere else than the pushed pc + 4 (e.g. a longjmp) mispredicts and still pops.
        Run(p, 0x1000, BranchKind.Call, 0x8000);
        Assert.That(Run(p, 0x8000, BranchKind.Return, 0x1008).Outcome, Is.EqualTo(BranchOutcome.Mispredicted));
        Assert.That(p.ReturnStack.Count, Is.EqualTo(0));

        // BLR pushes too.
        p.Resolve(0x3000, BranchKind.IndirectCall, true, 0x9000, true);
        Assert.That(Run(p, 0x9000, BranchKind.Return, 0x3004).Outcome, Is.EqualTo(BranchOutcome.ReturnStackHit));
    }

    [Test]
    public void NineNestedCallsOverflowTheEightEntryStack()
    {
        var p = new BranchPredictor();
        ulong Site(int depth) => 0x1_0000 + (ulong)depth * 0x100;
        for (int d = 0; d < 9; d++) Run(p, Site(d), BranchKind.Call, Site(d + 1));
        Assert.That(p.ReturnStack.Count, Is.EqualTo(8));

        var returns = new List<BranchOutcome>();
        for (int d = 8; d >= 0; d--) returns.Add(Run(p, Site(d + 1) + 0x80, BranchKind.Return, Site(d) + 4).Outcome);

        // The 8 innermost returns hit; the outermost call's return address was overwritten by the 9th push.
        Assert.That(returns.Take(8), Is.All.EqualTo(BranchOutcome.ReturnStackHit));
        Assert.That(returns[8], Is.EqualTo(BranchOutcome.Mispredicted));
    }

    [Test]
    public void IndirectTargetIsLearnedOnTheSecondVisit()
    {
        var p = new BranchPredictor();
        Assert.That(Run(p, 0x2000, BranchKind.Indirect, 0x3000).Outcome, Is.EqualTo(BranchOutcome.Mispredicted));
        var second = Run(p, 0x2000, BranchKind.Indirect, 0x3000);
        Assert.That(second.Outcome, Is.EqualTo(BranchOutcome.IndirectHit));
        Assert.That(second.BubbleCycles, Is.EqualTo(BranchPenalty.IndirectHitBubble));

        // A new target mispredicts once, then is the prediction.
        Assert.That(Run(p, 0x2000, BranchKind.Indirect, 0x4000).Outcome, Is.EqualTo(BranchOutcome.Mispredicted));
        Assert.That(Run(p, 0x2000, BranchKind.Indirect, 0x4000).Outcome, Is.EqualTo(BranchOutcome.IndirectHit));

        // 256 tagless entries by pc / 8: a site 2 KiB away shares the entry (a site 1 KiB away does not), and with
        // another target it replaces the prediction; the pc + 4 neighbour shares it too, and with the same target hits.
        Run(p, 0x2000 + 1024, BranchKind.Indirect, 0x5000);
        Assert.That(Run(p, 0x2000, BranchKind.Indirect, 0x4000).Outcome, Is.EqualTo(BranchOutcome.IndirectHit));
        Assert.That(Run(p, 0x2004, BranchKind.Indirect, 0x4000).Outcome, Is.EqualTo(BranchOutcome.IndirectHit));
        Run(p, 0x2000 + 2048, BranchKind.Indirect, 0x5000);
        Assert.That(Run(p, 0x2000, BranchKind.Indirect, 0x4000).Outcome, Is.EqualTo(BranchOutcome.Mispredicted));

        // BLR: same BTAC, the silicon-measured BLR bubble.
        Run(p, 0x7000, BranchKind.IndirectCall, 0x3000);
        var blr = Run(p, 0x7000, BranchKind.IndirectCall, 0x3000);
        Assert.That(blr.Outcome, Is.EqualTo(BranchOutcome.IndirectHit));
        Assert.That(blr.BubbleCycles, Is.EqualTo(4));
    }

    [Test]
    public void PredictionDisabledPredictsNothingAndLearnsNothing()
    {
        var p = new BranchPredictor();
        foreach (BranchKind kind in Enum.GetValues<BranchKind>())
        {
            var r = p.Resolve(0x2000, kind, true, 0x3000, predictionEnabled: false);
            Assert.That(r.Outcome, Is.EqualTo(BranchOutcome.NotPredicted), kind.ToString());
            Assert.That(r.BrPred, Is.False);
            Assert.That(r.BrMisPred, Is.True, "Arm ARM: BR_MIS_PRED counts branches not predicted");
            Assert.That(r.BubbleCycles, Is.EqualTo(BranchPenalty.MispredictBubble), "taken: sequential fetch flushed");
        }
        var notTaken = p.Resolve(0x2000, BranchKind.Conditional, false, 0x3000, predictionEnabled: false);
        Assert.That(notTaken.BubbleCycles, Is.EqualTo(0));

        // Nothing was trained: the BTAC is still cold, the return stack empty, the history untouched.
        Assert.That(p.ReturnStack.Count, Is.EqualTo(0));
        Assert.That(p.Conditional.History, Is.EqualTo(0u));
        Assert.That(Run(p, 0x2000, BranchKind.Indirect, 0x3000).Outcome, Is.EqualTo(BranchOutcome.Mispredicted));
    }

    [Test]
    public void BticGivesATightLoopNoBubbleButAChainOfDistinctBranchesAlwaysMisses()
    {
        var p = new BranchPredictor();
        // `b .`: one taken branch repeated: first late, then early from the single-entry BTIC.
        var loop = Enumerable.Range(0, 5).Select(_ => Run(p, 0x5000, BranchKind.Unconditional, 0x5000).Outcome).ToArray();
        Assert.That(loop, Is.EqualTo(new[] { BranchOutcome.CorrectTakenLate, BranchOutcome.CorrectTakenEarly,
            BranchOutcome.CorrectTakenEarly, BranchOutcome.CorrectTakenEarly, BranchOutcome.CorrectTakenEarly }));

        // Four `b .+4` in a ring, 5 laps: each replaces the BTIC's one entry before it comes round again.
        var chain = new List<BranchOutcome>();
        for (int lap = 0; lap < 5; lap++)
            for (ulong i = 0; i < 4; i++)
                chain.Add(Run(p, 0x6000 + 4 * i, BranchKind.Unconditional, i == 3 ? 0x6000 : 0x6004 + 4 * i).Outcome);
        Assert.That(chain, Is.All.EqualTo(BranchOutcome.CorrectTakenLate));

        // A loop whose body calls a function: the BL refills the BTIC, so the back edge comes round late.
        Run(p, 0x7000, BranchKind.Unconditional, 0x6F00);
        Run(p, 0x6F00, BranchKind.Call, 0x9000);
        Assert.That(Run(p, 0x7000, BranchKind.Unconditional, 0x6F00).Outcome, Is.EqualTo(BranchOutcome.CorrectTakenLate));
    }

    [Test]
    public void PmuFlagsFollowTheOutcome()
    {
        var p = new BranchPredictor();
        var miss = Run(p, 0x2000, BranchKind.Indirect, 0x3000);
        Assert.That((miss.BrPred, miss.BrMisPred), Is.EqualTo((true, true)));
        var hit = Run(p, 0x2000, BranchKind.Indirect, 0x3000);
        Assert.That((hit.BrPred, hit.BrMisPred), Is.EqualTo((true, false)));
        var nt = Cond(p, 0x2100, false, 0x2200);
        Assert.That((nt.Outcome, nt.BrPred, nt.BrMisPred), Is.EqualTo((BranchOutcome.CorrectNotTaken, true, false)));
    }

    [Test]
    public void InvalidateAllForgetsTargetsAndResetForgetsDirections()
    {
        var p = new BranchPredictor();
        for (int i = 0; i < 14; i++) Cond(p, 0x1000, true, 0xFF0);
        Run(p, 0x2000, BranchKind.Indirect, 0x3000);
        Run(p, 0x4000, BranchKind.Call, 0x5000);

        p.InvalidateAll();
        Assert.That(p.ReturnStack.Count, Is.EqualTo(0));
        Assert.That(Run(p, 0x2000, BranchKind.Indirect, 0x3000).Outcome, Is.EqualTo(BranchOutcome.Mispredicted));
        // Direction kept (history still 0x7FF, counter 3), target instructions gone: late, not early.
        Assert.That(Cond(p, 0x1000, true, 0xFF0).Outcome, Is.EqualTo(BranchOutcome.CorrectTakenLate));

        p.Reset();
        Assert.That(p.Conditional.History, Is.EqualTo(0u));
        Assert.That(Cond(p, 0x1000, true, 0xFF0).Outcome, Is.EqualTo(BranchOutcome.Mispredicted));
    }

    [Test]
    public void OneIssueCyclePlusBubblesReproducesTheRaspberryPi3Rows()
    {
        // insn_bench_aarch64 kernels (src/branch.cc), measured on a third pass, as the benchmark loops. Two warm-up
        // passes: in the second, the first 11 conditional sites still meet the all-ones history for the first time.
        // Each instruction costs 1 issue cycle; each branch adds its bubble.
        static double PerStep(BranchPredictor p, int steps, Func<int, int> cyclesOfStep)
        {
            for (int pass = 0; pass < 2; pass++)
                for (int i = 0; i < steps; i++) cyclesOfStep(i);
            int total = 0;
            for (int i = 0; i < steps; i++) total += cyclesOfStep(i);
            return (double)total / steps;
        }
        const int N = 144;

        var p = new BranchPredictor();
        // `b .+4` chain: 3.03.
        Assert.That(PerStep(p, N, i => 1 + Run(p, 0x1_0000 + 4 * (ulong)i, BranchKind.Unconditional, 0x1_0004 + 4 * (ulong)i).BubbleCycles), Is.EqualTo(3));
        // A conditional branch to pc+4 that falls through (tbnz, not taken): 1.01; one that is taken (cbnz, tbz): 3.03.
        Assert.That(PerStep(p, N, i => 1 + Cond(p, 0x2_0000 + 4 * (ulong)i, false, 0x2_0004 + 4 * (ulong)i).BubbleCycles), Is.EqualTo(1));
        p.Reset();
        Assert.That(PerStep(p, N, i => 1 + Cond(p, 0x3_0000 + 4 * (ulong)i, true, 0x3_0004 + 4 * (ulong)i).BubbleCycles), Is.EqualTo(3));
        // `bl f` ... `f: ret`: 6.05 per pair.
        Assert.That(PerStep(p, N, i =>
        {
            ulong site = 0x4_0000 + 4 * (ulong)i;
            return 1 + Run(p, site, BranchKind.Call, 0x5_0000).BubbleCycles + 1 + Run(p, 0x5_0000, BranchKind.Return, site + 4).BubbleCycles;
        }), Is.EqualTo(6));
        // `blr x0` ... `ret`: 8.04 per pair.
        Assert.That(PerStep(p, N, i =>
        {
            ulong site = 0x6_0000 + 4 * (ulong)i;
            return 1 + Run(p, site, BranchKind.IndirectCall, 0x7_0000).BubbleCycles + 1 + Run(p, 0x7_0000, BranchKind.Return, site + 4).BubbleCycles;
        }), Is.EqualTo(8));
        // `adr x0, .+8; br x0`: 4.03 per pair (adr 1, br 1 a cycle later, bubble). 144 pairs (1152 bytes, the
        // benchmark's chain length) fit the 2 KiB the pc / 8 index spans.
        Assert.That(PerStep(p, 144, i =>
        {
            ulong br = 0x8_0004 + 8 * (ulong)i;
            return 1 + 1 + Run(p, br, BranchKind.Indirect, br + 4).BubbleCycles;
        }), Is.EqualTo(4));
    }
}
