using Aegis.Emulator.Cpu.Timing.A53;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Timing;

/// <summary>
/// The A53 model's issue stage on straight-line code, with hand-computed expectations: each instruction's issue
/// cycle follows from the latencies and pairing rules in IssueProfile (figures: insn_bench_aarch64 on a Raspberry
/// Pi 3; pairing: GCC cortex-a53.md). The snippet runs twice and the second run is measured, so the instruction
/// cache is warm (SCTLR_EL1.I = 1 makes MMU-off fetches cacheable, Arm ARM D5.2.9).
/// </summary>
[TestFixture]
public sealed class A53PipelineTests
{
    private static ulong Cycles(params string[] asm)
    {
        var h = CpuHarness.FromAsm(asm);
        h.Cpu.MmuRegs.SCTLR_EL1 |= 1UL << 12;
        h.Cpu.Sys.CPACR_EL1 = 3UL << 20; // FP/SIMD enabled
        h.Cpu.Timing = new A53Model();
        h.Run();
        h.Cpu.Reset(CpuHarness.CodeBase);
        // A gap on the clock: the pipeline has drained, so nothing of the warm-up run pairs with the measured one.
        h.Cpu.WarpClock(h.Cpu.Cycles + 100);
        ulong start = h.Cpu.Cycles;
        h.Run();
        Assert.That(h.Cpu.PC, Is.EqualTo(CpuHarness.CodeBase + (ulong)h.Code.Length * 4), "ran to the end");
        return h.Cpu.Cycles - start;
    }

    private static string[] Repeat(int n, params string[] lines) => Enumerable.Repeat(lines, n).SelectMany(l => l).ToArray();

    [Test] // 1 cycle each: the first issues one cycle after the last of the warm-up run
    public void DependentAddsIssueOneCycleApart() => Assert.That(Cycles(Repeat(8, "add x0, x0, x1")), Is.EqualTo(8));

    [Test] // pairs: cycles 1,1,2,2,3,3,4,4
    public void IndependentAddsDualIssue() =>
        Assert.That(Cycles("add x0, x9, x9", "add x1, x9, x9", "add x2, x9, x9", "add x3, x9, x9",
            "add x4, x9, x9", "add x5, x9, x9", "add x6, x9, x9", "add x7, x9, x9"), Is.EqualTo(4));

    // The clock is the youngest instruction's issue cycle: a chain of n costs 1 + (n - 1) x latency.

    [Test] // a shifted operand's result is 2 cycles away: 1 + 5 x 2
    public void ShiftedAddChainTakesTwo() => Assert.That(Cycles(Repeat(6, "add x0, x0, x0, lsl #2")), Is.EqualTo(11));

    [Test] // 4 cycles per 64-bit MUL in a chain: 1 + 3 x 4
    public void MulChainTakesFour() => Assert.That(Cycles(Repeat(4, "mul x0, x0, x1")), Is.EqualTo(13));

    [Test] // independent 64-bit MULs: the multiplier accepts one every 2 cycles: issues at 1,3,5,7
    public void IndependentMulsOneEveryTwoCycles() =>
        Assert.That(Cycles("mul x0, x9, x9", "mul x1, x9, x9", "mul x2, x9, x9", "mul x3, x9, x9"), Is.EqualTo(7));

    [Test] // madd 5 per link: 1 + 2 x 5
    public void MaddChainTakesFive() => Assert.That(Cycles(Repeat(3, "madd x0, x0, x1, x2")), Is.EqualTo(11));

    [Test] // smull 3 per link: 1 + 2 x 3
    public void SmullChainTakesThree() => Assert.That(Cycles(Repeat(3, "smull x0, w0, w1")), Is.EqualTo(7));

    [Test] // smulh 6 per link: 1 + 6
    public void SmulhChainTakesSix() => Assert.That(Cycles(Repeat(2, "smulh x0, x0, x1")), Is.EqualTo(7));

    [Test] // shift-by-register forms share one shifter: one per cycle even when independent
    public void VariableShiftsDoNotPair() =>
        Assert.That(Cycles("lsl x0, x9, x10", "lsl x1, x9, x10", "lsl x2, x9, x10", "lsl x3, x9, x10"), Is.EqualTo(4));

    [Test] // a variable shift pairs with an ordinary ALU op: cycles 1,1,2,2
    public void VariableShiftPairsWithAlu() =>
        Assert.That(Cycles("lsl x0, x9, x10", "add x1, x9, x9", "lsl x2, x9, x10", "add x3, x9, x9"), Is.EqualTo(2));

    [Test] // two multiplies never share a cycle; a multiply and an add do: 1,1 (mul+add) then mul at 3 (unit busy 2), add pairs
    public void OneMultiplyPerCycle() =>
        Assert.That(Cycles("mul x0, x9, x9", "add x1, x9, x9", "mul x2, x9, x9", "add x3, x9, x9"), Is.EqualTo(3));

    [Test] // the divider: slot 0 only and busy until its result (3 cycles for 1/1); the add after it pairs
    public void DivideIssuesInSlotZeroOnly() =>
        Assert.That(Cycles("mov x9, #1", "udiv x0, x9, x9", "add x1, x9, x9", "udiv x2, x9, x9"), Is.EqualTo(1 + 3 + 1));

    [Test] // data-dependent divide: 2^40 / 1 has a 41-bit quotient: 3 + (41 - 1) / 4 = 13. mov 1, lsl 2, udiv 4, add 17
    public void DivideTerminatesEarlyByQuotientLength() =>
        Assert.That(Cycles("mov x9, #1", "lsl x8, x9, #40", "udiv x0, x8, x9", "add x1, x0, x0"), Is.EqualTo(17));

    [Test] // not-taken conditional branches: one branch per cycle (cbz x(=1) to pc+4: 1.01 on silicon)
    public void NotTakenBranchesOnePerCycle() =>
        Assert.That(Cycles(["mov x1, #1", .. Repeat(6, "cbz x1, 1f", "1:")]), Is.EqualTo(1 + 6 - 1 + 1));

    [Test] // a serialising instruction (DMB) waits for the older MUL's result and issues alone
    public void BarrierWaitsForOlderResults() =>
        Assert.That(Cycles("mul x0, x9, x9", "dmb ish", "add x1, x9, x9", "add x2, x9, x9"), Is.EqualTo(4 + 1 + 1));

    // x9 = 0x4010_0000 (CpuHarness.DataBase): loads and stores hit RAM. With the MMU off they are Device accesses,
    // which changes their latency, not the issue rules checked here. The movz issues in cycle 1 and its result is
    // ready in cycle 2, so the first access issues in cycle 2.

    [Test] // one load/store per cycle: ldr 2 (slot 0), ldr 3 (slot 0) + add 3 (slot 1), add 4
    public void OneLoadStorePerCycle() =>
        Assert.That(Cycles("movz x9, #0x4010, lsl #16", "ldr x0, [x9]", "ldr x1, [x9, #8]", "add x2, x8, x8", "add x3, x8, x8"),
            Is.EqualTo(4));

    [Test] // a load and a store do not share a cycle either: ldr 2, str 3 + add 3 (slot 1)
    public void LoadAndStoreDoNotPair() =>
        Assert.That(Cycles("movz x9, #0x4010, lsl #16", "ldr x0, [x9]", "str x8, [x9, #8]", "add x2, x8, x8"), Is.EqualTo(3));

    [Test] // LDP of X registers issues alone: ldp 2, add 3 (no slot 1 beside it)
    public void LoadPairOfXRegistersIsSingleIssue() =>
        Assert.That(Cycles("movz x9, #0x4010, lsl #16", "ldp x0, x1, [x9]", "add x2, x8, x8"), Is.EqualTo(3));

    [Test] // a plain load pairs with an ALU op: ldr 2, add 2
    public void LoadPairsWithAlu() =>
        Assert.That(Cycles("movz x9, #0x4010, lsl #16", "ldr x0, [x9]", "add x2, x8, x8"), Is.EqualTo(2));

    [Test] // a branch pairs with an older ALU op: add + cbnz xzr (never taken) in cycle 1
    public void BranchPairsWithAlu() => Assert.That(Cycles("add x1, x9, x9", "cbnz xzr, 1f", "1:"), Is.EqualTo(1));

    [Test] // one branch per cycle: two not-taken branches issue in cycles 1 and 2
    public void OneBranchPerCycle() => Assert.That(Cycles("cbnz xzr, 1f", "1:", "cbnz xzr, 2f", "2:"), Is.EqualTo(2));

    [Test] // with the MMU off nothing is predicted (A53 TRM): a taken B refetches as a mispredict does, 1 + 7
    public void TakenBranchWithTheMmuOffIsNotPredicted() =>
        Assert.That(Cycles("b 1f", "1:", "add x1, x9, x9"), Is.EqualTo(1 + 1 + BranchPenalty.MispredictBubble));

    // FP/SIMD (docs/TIMING-FPSIMD.md): the datapath is 64 bits wide. Scalar and 64-bit ops take half of it.

    [Test] // scalar FP ops pair with each other (fadd.s 1.99 per cycle): 1,1,2,2
    public void ScalarFpOpsDualIssue() =>
        Assert.That(Cycles("fadd s0, s8, s8", "fadd s1, s8, s8", "fmul d2, d8, d8", "fadd s3, s8, s8"), Is.EqualTo(2));

    [Test] // a 128-bit op holds the whole datapath: one per cycle (fadd.4s 0.99)
    public void QuadwordOpsIssueOnePerCycle() =>
        Assert.That(Cycles("fadd v0.4s, v8.4s, v8.4s", "fadd v1.4s, v8.4s, v8.4s", "add v2.16b, v8.16b, v8.16b", "add v3.16b, v8.16b, v8.16b"), Is.EqualTo(4));

    [Test] // a 128-bit op and an integer op share a cycle: 1,1,2,2
    public void QuadwordOpPairsWithAlu() =>
        Assert.That(Cycles("add v0.16b, v8.16b, v8.16b", "add x1, x9, x9", "add v2.16b, v8.16b, v8.16b", "add x3, x9, x9"), Is.EqualTo(2));

    [Test] // a 64-bit op pairs with a load (fadd.2s beside ldr d, qsdr-benchmarks): movz 1, ldr 2 + fadd 2
    public void DoublewordOpPairsWithLoad() =>
        Assert.That(Cycles("movz x9, #0x4010, lsl #16", "ldr d0, [x9]", "fadd v1.2s, v8.2s, v8.2s"), Is.EqualTo(2));

    [Test] // a 128-bit op does not: movz 1, ldr 2, fadd.4s 3
    public void QuadwordOpDoesNotPairWithLoad() =>
        Assert.That(Cycles("movz x9, #0x4010, lsl #16", "ldr d0, [x9]", "fadd v1.4s, v8.4s, v8.4s"), Is.EqualTo(3));

    [Test] // fmla through its accumulator only: 4 per link (fmla.s acc. fwd. 4.02), 1 + 3 x 4
    public void FmlaChainedByItsAccumulatorTakesFour() =>
        Assert.That(Cycles(Repeat(4, "fmla v0.4s, v1.4s, v2.4s")), Is.EqualTo(13));

    [Test] // the same register as multiplicand and accumulator: the full 8 per link, 1 + 3 x 8
    public void FmlaChainedByAMultiplicandTakesEight() =>
        Assert.That(Cycles(Repeat(4, "fmla v0.4s, v0.4s, v2.4s")), Is.EqualTo(25));

    [Test] // the divide unit is busy 13 cycles per fdiv.s (GCC cortex-a53.md); the fadd beside the first pairs: 1, 14
    public void FpDividesWaitForTheUnit() =>
        Assert.That(Cycles("fdiv s0, s8, s8", "fadd s1, s8, s8", "fdiv s2, s8, s8"), Is.EqualTo(14));

    [Test] // a load of a Q register holds the pipe 2 cycles (ldr.q 0.50 per cycle): movz 1, ldr 2, ldr 4
    public void QuadwordLoadsHoldThePipeTwoCycles() =>
        Assert.That(Cycles("movz x9, #0x4010, lsl #16", "ldr q0, [x9]", "ldr q1, [x9, #16]"), Is.EqualTo(4));

    [Test] // moving the upper doubleword out (Q = 1 in the encoding) is still a 64-bit transfer: two per cycle, 1,1
    public void UmovOfTheUpperHalfDualIssues() =>
        Assert.That(Cycles("umov x0, v8.d[1]", "umov x1, v9.d[1]"), Is.EqualTo(1));
}
