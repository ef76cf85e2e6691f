namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// Sizes of the Cortex-A53 prediction structures. Defaults: A53 TRM DDI0500, Instruction Fetch Unit (single-entry
/// BTIC; 256-entry BTAC that predicts indirect branches), and the project's reference sheet
/// (shared/design/CORTEX-A53-TIMING.md, citing TRM §6.4 and CAQA: 4 Kbit conditional predictor, 8-entry return
/// stack). No public source gives the history length or index hash: ours is gshare with log2(counters) bits of
/// history, so each history pattern of one branch reaches its own counter.
/// </summary>
/// <param name="ConditionalCounters">2-bit counters in the conditional predictor: 4 Kbit / 2 = 2048. A power of
/// two. (CAQA §3.12 says "3072-entry hybrid predictor"; the TRM sheet's 4 Kbit is used.)</param>
/// <param name="GlobalHistoryBits">Conditional outcomes kept in the global history register, 1..30.</param>
/// <param name="BticEntries">Branch Target Instruction Cache entries: 1 on the A53.</param>
/// <param name="BtacEntries">Branch Target Address Cache (indirect predictor) entries, direct-mapped by pc. A power of two.</param>
/// <param name="ReturnStackEntries">Return stack depth.</param>
public sealed record BranchPredictorConfig(
    int ConditionalCounters = 2048,
    int GlobalHistoryBits = 11,
    int BticEntries = 1,
    int BtacEntries = 256,
    int ReturnStackEntries = 8)
{
    /// <summary>The Cortex-A53 r0p4 defaults.</summary>
    public static BranchPredictorConfig CortexA53 { get; } = new();

    internal void Validate()
    {
        if (ConditionalCounters <= 0 || !int.IsPow2(ConditionalCounters))
            throw new ArgumentOutOfRangeException(nameof(ConditionalCounters), ConditionalCounters, "a power of two");
        if (GlobalHistoryBits is < 1 or > 30)
            throw new ArgumentOutOfRangeException(nameof(GlobalHistoryBits), GlobalHistoryBits, "1..30");
        if (BticEntries < 1)
            throw new ArgumentOutOfRangeException(nameof(BticEntries), BticEntries, "at least 1");
        if (BtacEntries <= 0 || !int.IsPow2(BtacEntries))
            throw new ArgumentOutOfRangeException(nameof(BtacEntries), BtacEntries, "a power of two");
        if (ReturnStackEntries < 1)
            throw new ArgumentOutOfRangeException(nameof(ReturnStackEntries), ReturnStackEntries, "at least 1");
    }
}
