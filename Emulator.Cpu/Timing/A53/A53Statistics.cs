namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// What the A53 model saw that the PMU has no event for (totals since the model was attached). Cache, TLB and
/// branch counts are PMU events: read them from <see cref="Cpu.PerfEvents"/> (see <see cref="A53Model.EventsCounted"/>).
/// </summary>
public sealed partial class A53Statistics
{
    public ulong DualIssued, SleptCycles, Walks, WalkReads;
    /// <summary>Mispredictions by <see cref="BranchKind"/>.</summary>
    public readonly ulong[] MispredictsByKind = new ulong[6];
}
