namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>What the A53 model saw, for the run summary and ipc-stats (totals since the model was created).</summary>
public sealed class A53Statistics
{
    public ulong Instructions, DualIssued, Exceptions, SleptCycles;
    public ulong Branches, BranchesPredicted, Mispredicts;
    public ulong L1IAccesses, L1IMisses, L1DAccesses, L1DMisses, L2Accesses, L2Misses, BusAccesses;
    public ulong MicroTlbMisses, Walks, WalkReads;
    /// <summary>Mispredictions by <see cref="BranchKind"/>.</summary>
    public readonly ulong[] MispredictsByKind = new ulong[6];

    public static double Rate(ulong part, ulong whole) => whole == 0 ? 0 : (double)part / whole;
}
