using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The Cortex-A53 instruction fetch unit's branch prediction (A53 TRM DDI0500, Instruction Fetch Unit; CAQA 6th
/// ed. §3.12): a single-entry BTIC checked in F1, a global-history conditional predictor, a 256-entry BTAC for
/// indirect targets and an 8-entry return stack. Pure and self-contained: the pipeline model calls
/// <see cref="Resolve"/> once per retired branch and charges <see cref="BranchPrediction.BubbleCycles"/>.
/// Deterministic; no allocation per call.
/// </summary>
public sealed partial class BranchPredictor
{
    private readonly ConditionalPredictor _conditional;
    private readonly BranchTargetInstructionCache _btic;
    private readonly BranchTargetAddressCache _btac;
    private readonly ReturnStack _returnStack;

    public BranchPredictor(BranchPredictorConfig? config = null)
    {
        Config = config ?? BranchPredictorConfig.CortexA53;
        Config.Validate();
        _conditional = new ConditionalPredictor(Config.ConditionalCounters, Config.GlobalHistoryBits);
        _btic = new BranchTargetInstructionCache(Config.BticEntries);
        _btac = new BranchTargetAddressCache(Config.BtacEntries);
        _returnStack = new ReturnStack(Config.ReturnStackEntries);
    }

    public BranchPredictorConfig Config { get; }

    internal ConditionalPredictor Conditional => _conditional;
    internal ReturnStack ReturnStack => _returnStack;

    /// <summary>
    /// Classifies a retired branch against what the predictor would have predicted for it, then trains.
    /// <paramref name="taken"/> matters only for <see cref="BranchKind.Conditional"/> (every other kind is taken);
    /// <paramref name="target"/> is the next PC when taken. With <paramref name="predictionEnabled"/> false (MMU
    /// off: the A53 predicts only with the MMU on) the result is <see cref="BranchOutcome.NotPredicted"/> and no
    /// state changes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // the MMU-off case (every branch of a bare-metal run) stays inline
    public BranchPrediction Resolve(ulong pc, BranchKind kind, bool taken, ulong target, bool predictionEnabled)
    {
        if (kind != BranchKind.Conditional) taken = true;
        if (!predictionEnabled) return new BranchPrediction(BranchOutcome.NotPredicted, kind, taken);
        return Predict(pc, kind, taken, target);
    }

    private BranchPrediction Predict(ulong pc, BranchKind kind, bool taken, ulong target)
    {
        BranchOutcome outcome;
        switch (kind)
        {
            case BranchKind.Conditional:
                outcome = ConditionalOutcome(pc, taken, target);
                break;

            case BranchKind.Unconditional:
            case BranchKind.Call:
                // Always taken with the target in the encoding: never mispredicted once fetched.
                outcome = _btic.Hit(pc, target) ? BranchOutcome.CorrectTakenEarly : BranchOutcome.CorrectTakenLate;
                _btic.Fill(pc, target);
                if (kind == BranchKind.Call) _returnStack.Push(pc + 4);
                break;

            case BranchKind.Indirect:
            case BranchKind.IndirectCall:
                outcome = _btac.TryPredict(pc, out ulong predicted) && predicted == target
                    ? BranchOutcome.IndirectHit
                    : BranchOutcome.Mispredicted;
                _btac.Train(pc, target);
                if (kind == BranchKind.IndirectCall) _returnStack.Push(pc + 4);
                break;

            case BranchKind.Return:
                outcome = _returnStack.TryPop(out ulong returnAddress) && returnAddress == target
                    ? BranchOutcome.ReturnStackHit
                    : BranchOutcome.Mispredicted;
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        return new BranchPrediction(outcome, kind, taken);
    }

    /// <summary>The outcome of a conditional branch with prediction enabled (<see cref="Resolve"/>), then trains: the global
    /// history's counter gives the direction, the BTIC whether a taken one's target came early.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal BranchOutcome ConditionalOutcome(ulong pc, bool taken, ulong target)
    {
        BranchOutcome outcome;
        bool predictedTaken = _conditional.PredictAndTrain(pc, taken);
        if (predictedTaken != taken) outcome = BranchOutcome.Mispredicted;
        else if (!taken) outcome = BranchOutcome.CorrectNotTaken;
        else outcome = _btic.Hit(pc, target) ? BranchOutcome.CorrectTakenEarly : BranchOutcome.CorrectTakenLate;
        if (taken) _btic.Fill(pc, target);
        return outcome;
    }

    /// <summary>Whether the conditional branch at <paramref name="pc"/>, taken to <paramref name="target"/> with prediction
    /// enabled, is predicted from the BTIC and changes no state but the global history: its counter strongly taken, the
    /// BTIC's entry holding it (<see cref="ConditionalOutcome"/> then gives CorrectTakenEarly). If so, shifts the history
    /// as ConditionalOutcome would; otherwise changes nothing. A loop's back edge, every pass but its first few. (Pricing
    /// every rightly predicted conditional branch inline, the BTIC's lookup and fill with it, made the boot 2-3 % slower:
    /// more host code at every branch.)</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TrainSteadyTaken(ulong pc, ulong target) => _btic.HoldsFirst(pc, target) && _conditional.TrainStronglyTaken(pc);

    /// <summary>Power-on state: counters weakly not-taken, empty history, BTIC, BTAC and return stack.</summary>
    public void Reset()
    {
        _conditional.Reset();
        InvalidateAll();
    }

    /// <summary>
    /// Forgets every stored target (BTIC, BTAC, return stack); direction counters and history stay, as they hold
    /// no addresses. The A53 need not run this on BPIALL or IC IALLU: the TRM calls its BTIC and BTAC
    /// "architecturally transparent, so it does not have to be flushed", and a stale target only costs a
    /// mispredict, never a wrong result. For callers that want a cold predictor; the pipeline may ignore
    /// branch-predictor maintenance.
    /// </summary>
    public void InvalidateAll()
    {
        _btic.Invalidate();
        _btac.Invalidate();
        _returnStack.Clear();
    }
}
