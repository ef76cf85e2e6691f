using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// Front-end bubbles a Cortex-A53 pipeline model charges per <see cref="BranchOutcome"/>: cycles after the
/// branch's own issue cycle before the next correct-path instruction can issue. Chosen so that
/// "1 issue cycle per instruction + these bubbles" reproduces the Raspberry Pi 3 rows of ocxtal/insn_bench_aarch64
/// (results/raspberry-pi-3_cortex-a53.md; its branch kernels are src/branch.cc). Where that silicon disagrees
/// with Hennessy &amp; Patterson's A53 case study (CAQA 6th ed. §3.12: BTIC 0, conditional predictor in F3 2,
/// indirect predictor and return stack in F4 3, mispredict 8), silicon wins. Derivations: docs/TIMING-BRANCHES.md.
/// </summary>
public static class BranchPenalty
{
    /// <summary>Not-taken, predicted not-taken: `cbz x(=1), pc+4` chain measures 1.01 = 1 + 0.</summary>
    public const int CorrectNotTakenBubble = 0;

    /// <summary>
    /// Taken with a BTIC hit: the single-entry Branch Target Instruction Cache "enables the branch shadow of
    /// predicted taken branch instructions to be eliminated" (A53 TRM, Instruction Fetch Unit); CAQA: no delay
    /// cycles. No insn_bench row isolates it (its chains never repeat one branch back to back).
    /// </summary>
    public const int CorrectTakenEarlyBubble = 0;

    /// <summary>
    /// Taken, predicted taken, BTIC miss (direct target computed in the front end): `b .+4` chain 3.03 = 1 + 2;
    /// `cbnz x(=1), pc+4` (taken) 3.03 = 1 + 2. Agrees with CAQA (conditional predictor in F3, 2 cycles).
    /// </summary>
    public const int CorrectTakenLateBubble = 2;

    /// <summary>
    /// RET with a correct return-stack target: `bl`+`ret` pair 6.05 = bl (1 + 2) + ret (1 + 2). CAQA says the
    /// return stack sits in F4 with 3 cycles, which would give 7: silicon says 2.
    /// </summary>
    public const int ReturnStackHitBubble = 2;

    /// <summary>
    /// BR with a correct BTAC target: `adr x0, .+8; br x0` pair 4.03 = adr 1 + br 1 + 2, the br issuing a cycle
    /// after the adr it reads (a GPR-reading branch does not dual-issue with its producer: random `and`→`cbz`
    /// costs about 1.1 more per branch than random `tbz`). CAQA's indirect predictor gives 3; that would need the
    /// adr and br to issue together. A pipeline that pairs them must charge 3 instead.
    /// </summary>
    public const int IndirectHitBubble = 2;

    /// <summary>
    /// BLR with a correct BTAC target: `blr`+`ret` pair 8.04 = blr (1 + 4) + ret (1 + 2), so BLR costs two cycles
    /// more than BR on silicon. No public source explains it; this is the one row that cannot share
    /// <see cref="IndirectHitBubble"/> with the `adr`→`br` row, hence a separate constant.
    /// </summary>
    public const int IndirectCallHitBubble = 4;

    /// <summary>
    /// Direction or target wrong: 7 bubbles, so a mispredicted branch costs 1 + 7 = 8 cycles, CAQA's 8-cycle
    /// penalty (LLVM AArch64SchedA53.td says 9). Random-bit runs, mispredicting half the time, with a correct
    /// taken branch costing 1 + 2, and the kernel's ldr/lsr overhead about 0.16 per branch:
    /// `tbz` 5.15 ≈ 1 + 0.16 + 0.25 × 2 + 0.5 × M ⇒ M ≈ 7.0; `and`→`cbz` 6.27 ≈ 2.25 + 0.16 + 0.5 × M ⇒ M ≈ 7.7
    /// (the and pairs with a not-taken cbz, not after a redirect). M = 7 gives 5.16 and 5.91; M = 8 gives 5.66
    /// and 6.41: 7 is the closer fit overall.
    /// </summary>
    public const int MispredictBubble = 7;

    /// <summary>
    /// Prediction disabled (MMU off): fetch runs on sequentially, so a taken branch flushes like a mispredict
    /// ("with program flow prediction disabled, all taken branches incur a penalty associated with flushing the
    /// pipeline", Arm TRMs of the A53's successors) and a not-taken one costs nothing.
    /// </summary>
    public const int NotPredictedTakenBubble = MispredictBubble;

    /// <summary>The bubble for one retired branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per retired branch
    public static int For(BranchOutcome outcome, BranchKind kind, bool taken) => outcome switch
    {
        BranchOutcome.CorrectNotTaken => CorrectNotTakenBubble,
        BranchOutcome.CorrectTakenEarly => CorrectTakenEarlyBubble,
        BranchOutcome.CorrectTakenLate => CorrectTakenLateBubble,
        BranchOutcome.ReturnStackHit => ReturnStackHitBubble,
        BranchOutcome.IndirectHit => kind == BranchKind.IndirectCall ? IndirectCallHitBubble : IndirectHitBubble,
        BranchOutcome.Mispredicted => MispredictBubble,
        _ => taken ? NotPredictedTakenBubble : 0,
    };
}
