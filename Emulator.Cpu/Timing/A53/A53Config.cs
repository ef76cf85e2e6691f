namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// Board options of the A53 model, defaulting to a Raspberry Pi 3 (BCM2837: Cortex-A53 r0p4, 32 KiB L1I and L1D,
/// 512 KiB L2). Sources of every default: docs/TIMING.md.
/// </summary>
public sealed record A53Config
{
    /// <summary>
    /// Cycles from a redirect resolved at execute (mispredict, exception entry, ERET, ISB) until the new stream issues.
    /// Silicon: 8–10 from random-branch runs, LLVM AArch64SchedA53.td MispredictPenalty = 9. The A53 TRM says ERET
    /// and exception entries are not predicted, so they pay the same refill.
    /// </summary>
    public int MispredictPenalty { get; init; } = 8;

    /// <summary>Exception entry and return: a refill like a mispredict (not predicted, TRM DDI0500 §6.4).</summary>
    public int ExceptionRedirectCycles => MispredictPenalty;
}
