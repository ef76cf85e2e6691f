namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>The memory side: micro-TLBs, main TLB walks, L1I/L1D/L2 and DRAM, as cycles added to what asked.</summary>
internal sealed class MemoryTiming(A53Config config)
{
    public A53Config Config { get; } = config;

    public ulong Fetch(ulong pa, byte memAttr, A53Statistics stats) { stats.L1IAccesses++; return 0; }

    public ulong InstructionTlb(Cpu cpu, ulong va, A53Statistics stats) => 0;

    /// <summary>A data access: the extra load-to-use latency (beyond an L1 hit) and the stall of the load/store pipe.</summary>
    public void Data(Cpu cpu, in LoggedAccess a, A53Statistics stats, out ulong extraLatency, out ulong stall)
    {
        stats.L1DAccesses++;
        extraLatency = 0;
        stall = 0;
    }

    public ulong Walk(ulong descriptorPa, A53Statistics stats) { stats.WalkReads++; return 0; }
}
