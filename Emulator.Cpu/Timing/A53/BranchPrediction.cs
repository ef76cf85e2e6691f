namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The predictor's verdict on one retired branch: how the front end handled it and the PMU events it raises.
/// A small value type so <see cref="BranchPredictor.Resolve"/> allocates nothing.
/// </summary>
public readonly struct BranchPrediction
{
    public BranchPrediction(BranchOutcome outcome, BranchKind kind, bool taken)
    {
        Outcome = outcome;
        Kind = kind;
        Taken = taken;
    }

    public BranchOutcome Outcome { get; }
    public BranchKind Kind { get; }
    /// <summary>The branch's real direction (always true for every kind but <see cref="BranchKind.Conditional"/>).</summary>
    public bool Taken { get; }

    /// <summary>
    /// PMU event 0x12 BR_PRED, "predictable branch speculatively executed" (Arm ARM D7.10): every branch the
    /// predictor handled, right or wrong; none while prediction is disabled.
    /// </summary>
    public bool BrPred => Outcome != BranchOutcome.NotPredicted;

    /// <summary>
    /// PMU event 0x10 BR_MIS_PRED, "mispredicted or not predicted branch speculatively executed" (Arm ARM D7.10):
    /// so a branch retired with prediction disabled counts too.
    /// </summary>
    public bool BrMisPred => Outcome is BranchOutcome.Mispredicted or BranchOutcome.NotPredicted;

    /// <summary>Cycles the pipeline adds to the branch's issue cycle; <see cref="BranchPenalty.For"/>.</summary>
    public int BubbleCycles => BranchPenalty.For(Outcome, Kind, Taken);

    public override string ToString() => $"{Kind} {(Taken ? "taken" : "not taken")}: {Outcome}";
}
