namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// Board options of the A53 model, defaulting to a Raspberry Pi 3 (BCM2837: Cortex-A53 r0p4, 32 KiB L1I and L1D,
/// 512 KiB L2). Sources of every default: docs/TIMING.md.
/// </summary>
public sealed record A53Config
{
    /// <summary>Caches, their latencies and DRAM (docs/TIMING-MEMORY.md).</summary>
    public MemorySystemConfig Memory { get; init; } = MemorySystemConfig.CortexA53;

    /// <summary>Branch predictor geometry (docs/TIMING-BRANCHES.md).</summary>
    public BranchPredictorConfig Predictor { get; init; } = BranchPredictorConfig.CortexA53;

    /// <summary>
    /// Cycles lost after exception entry and ERET: the A53 TRM says neither is predicted, so the new stream pays the
    /// same refill as a mispredicted branch (<see cref="BranchPenalty.MispredictBubble"/>).
    /// </summary>
    public int ExceptionRedirectCycles { get; init; } = BranchPenalty.MispredictBubble;
}
