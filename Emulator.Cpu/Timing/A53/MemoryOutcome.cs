namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// What one access did in the memory hierarchy: the cycles it costs beyond an L1 hit (an L1 hit is 0; the pipeline
/// model already charges the 3-cycle load-use) and how many of each cache event it caused. The counts map one to
/// one onto PMU events (Arm ARM D7 common events, A53 TRM §12.9):
/// <list type="bullet">
/// <item><see cref="L1Accesses"/>: L1D_CACHE (0x04) for Data/Walk, L1I_CACHE (0x14) for Fetch.</item>
/// <item><see cref="L1Refills"/>: L1D_CACHE_REFILL (0x03) / L1I_CACHE_REFILL (0x01).</item>
/// <item><see cref="L1WriteBacks"/>: L1D_CACHE_WB (0x15), dirty L1D lines written back (victims and maintenance).</item>
/// <item><see cref="L2Accesses"/>: L2D_CACHE (0x16): refill lookups plus L1D victims written into L2.</item>
/// <item><see cref="L2Refills"/>: L2D_CACHE_REFILL (0x17): L2 lookups that had to go to memory.</item>
/// <item><see cref="L2WriteBacks"/>: L2D_CACHE_WB (0x18), dirty L2 lines written to memory.</item>
/// <item><see cref="BusAccesses"/>: BUS_ACCESS (0x19): every transfer on the master interface, reads and writes.</item>
/// </list>
/// A line-crossing access is two line accesses merged (<see cref="Merge"/>): counts add, cycles take the larger.
/// </summary>
public readonly struct MemoryOutcome
{
    public MemoryOutcome(int extraCycles, byte l1Accesses = 0, byte l1Refills = 0, byte l1WriteBacks = 0,
        byte l2Accesses = 0, byte l2Refills = 0, byte l2WriteBacks = 0, byte busAccesses = 0)
    {
        ExtraCycles = extraCycles;
        L1Accesses = l1Accesses;
        L1Refills = l1Refills;
        L1WriteBacks = l1WriteBacks;
        L2Accesses = l2Accesses;
        L2Refills = l2Refills;
        L2WriteBacks = l2WriteBacks;
        BusAccesses = busAccesses;
    }

    /// <summary>Cycles beyond an L1 hit that the pipeline sees (0 for a hit, and for stores: see MemorySystemConfig).</summary>
    public int ExtraCycles { get; }

    public byte L1Accesses { get; }
    public byte L1Refills { get; }
    public byte L1WriteBacks { get; }
    public byte L2Accesses { get; }
    public byte L2Refills { get; }
    public byte L2WriteBacks { get; }
    public byte BusAccesses { get; }

    /// <summary>Every line looked up in L1 was there.</summary>
    public bool L1Hit => L1Accesses != 0 && L1Refills == 0;

    /// <summary>At least one line was refilled into L1.</summary>
    public bool L1Refill => L1Refills != 0;

    public bool L1WriteBack => L1WriteBacks != 0;
    public bool L2Access => L2Accesses != 0;

    /// <summary>L2 was accessed and nothing had to come from memory.</summary>
    public bool L2Hit => L2Accesses != 0 && L2Refills == 0;

    public bool L2Refill => L2Refills != 0;
    public bool L2WriteBack => L2WriteBacks != 0;
    public bool BusAccess => BusAccesses != 0;

    /// <summary>
    /// Two line accesses of one instruction: counts add; cycles are the larger, because the second linefill is
    /// requested right behind the first and the A53 L1 is non-blocking (CAQA), so the two waits overlap.
    /// </summary>
    public static MemoryOutcome Merge(MemoryOutcome a, MemoryOutcome b) => new(
        Math.Max(a.ExtraCycles, b.ExtraCycles),
        (byte)(a.L1Accesses + b.L1Accesses), (byte)(a.L1Refills + b.L1Refills), (byte)(a.L1WriteBacks + b.L1WriteBacks),
        (byte)(a.L2Accesses + b.L2Accesses), (byte)(a.L2Refills + b.L2Refills), (byte)(a.L2WriteBacks + b.L2WriteBacks),
        (byte)(a.BusAccesses + b.BusAccesses));

    public override string ToString() =>
        $"+{ExtraCycles} L1 {L1Accesses}/{L1Refills} refill/{L1WriteBacks} wb, L2 {L2Accesses}/{L2Refills} refill/{L2WriteBacks} wb, bus {BusAccesses}";
}
