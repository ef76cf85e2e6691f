namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The A53's L1I, L1D, unified L2 and DRAM as tag arrays and latencies. Each call is one access of the pipeline;
/// the result says what it cost beyond an L1 hit and which events it caused (<see cref="MemoryOutcome"/>).
/// Addresses are physical. Cache state changes exactly as the access would change it on silicon under this
/// model's policies:
/// <list type="bullet">
/// <item>L1D: write-back, allocates on read and write misses (DDI0500 §6, "Read allocate mode": "normally allocates a
/// cache line on either a read miss or a write miss"); the switch to read-allocate (write-streaming) mode after
/// consecutive full-line writes is not modelled.</item>
/// <item>L2 for data "tends towards exclusive": a line fetched from DRAM for L1D is not allocated in L2; L1D victims,
/// clean or dirty, are allocated into L2 when evicted (A53 TRM L2 chapter, as quoted by NXP / Arm: "Data is allocated
/// to the L2 cache only when evicted from the L1 memory system, not when first fetched from the system"). A line
/// found in L2 stays there when L1D takes a copy (not strictly exclusive).</item>
/// <item>L2 for instructions "tends towards inclusive": a fetch miss allocates in L2 and L1I. L1I lines are clean and
/// are dropped on eviction. L2 evictions never invalidate L1 copies (no inclusion is enforced).</item>
/// </list>
/// </summary>
public sealed partial class MemorySystem
{
    private readonly int _lineBytes;

    public MemorySystem(MemorySystemConfig? config = null)
    {
        Config = config ?? MemorySystemConfig.CortexA53;
        if (Config.L1I.LineBytes != Config.L2.LineBytes || Config.L1D.LineBytes != Config.L2.LineBytes)
            throw new ArgumentException("L1I, L1D and L2 must have the same line length.", nameof(config));
        _lineBytes = Config.L1D.LineBytes;
        L1I = new SetAssociativeCache(Config.L1I, Config.L1IReplacement, writeBack: false);
        L1D = new SetAssociativeCache(Config.L1D, Config.L1DReplacement, writeBack: true);
        L2 = new SetAssociativeCache(Config.L2, Config.L2Replacement, writeBack: true);
    }

    public MemorySystemConfig Config { get; }
    public SetAssociativeCache L1I { get; }
    public SetAssociativeCache L1D { get; }
    public SetAssociativeCache L2 { get; }

    /// <summary>A load or store of <paramref name="size"/> bytes. Non-cacheable here means Device (see the MemoryClass overload).</summary>
    public MemoryOutcome Data(ulong pa, int size, bool write, bool cacheable) =>
        Data(pa, size, write, cacheable ? MemoryClass.Cacheable : MemoryClass.Device);

    /// <summary>
    /// A load or store of <paramref name="size"/> bytes. An access crossing a line boundary looks up both lines
    /// (<see cref="MemoryOutcome.Merge"/>). Loads see the refill latency, stores see
    /// <see cref="MemorySystemConfig.StoreExtraCycles"/>.
    /// </summary>
    public MemoryOutcome Data(ulong pa, int size, bool write, MemoryClass memoryClass)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "An access is at least one byte.");
        ulong last = pa + (ulong)(size - 1);
        ulong mask = ~(ulong)(_lineBytes - 1);
        MemoryOutcome first = DataLine(pa, write, memoryClass);
        if ((last & mask) == (pa & mask)) return first;
        return MemoryOutcome.Merge(first, DataLine(last & mask, write, memoryClass));
    }

    /// <summary>
    /// An instruction fetch of the line holding <paramref name="pa"/>. Not cacheable (SCTLR_ELx.I = 0 or a
    /// Non-cacheable page) costs one Normal Non-cacheable bus read.
    /// </summary>
    public MemoryOutcome Fetch(ulong pa, bool cacheable)
    {
        if (!cacheable) return new MemoryOutcome(Config.NormalNonCacheableExtraCycles, busAccesses: 1);
        if (L1I.Access(pa, write: false, out _, out _)) return new MemoryOutcome(0, l1Accesses: 1);
        // L1I victims are clean: dropped. Instruction lines are allocated in L2 on the way in.
        bool l2Hit = L2.Access(pa, write: false, out ulong l2Victim, out bool l2VictimDirty);
        byte l2Wb = (byte)(l2Victim != SetAssociativeCache.NoLine && l2VictimDirty ? 1 : 0);
        return l2Hit
            ? new MemoryOutcome(Config.L2HitExtraCycles, 1, 1, 0, 1, 0, l2Wb, l2Wb)
            : new MemoryOutcome(Config.DramExtraCycles, 1, 1, 0, 1, 1, l2Wb, (byte)(1 + l2Wb));
    }

    /// <summary>
    /// One translation table descriptor read by the hardware walker, with the walk's attributes Write-Back
    /// cacheable (TCR_ELx.IRGN/ORGN = WB, the usual setting). The A53 walker looks descriptors up in the L1 data
    /// cache ("If the encoding of the IRGN bits is Write-Back, an L1 data cache lookup is performed and data is read
    /// from the data cache": the "Memory access sequence" section of the Cortex-A7 TRM DDI0464 §5.5 and Cortex-A15 TRM
    /// DDI0438 §5.4, whose MMU the A53's follows; the A53 TRM's own wording was not available to check), so this is an
    /// 8-byte load through L1D; a miss allocates in L1D like a load (an assumption: the TRMs do not say).
    /// </summary>
    public MemoryOutcome Walk(ulong descriptorPa) => Walk(descriptorPa, cacheable: true);

    /// <summary>A descriptor read; not cacheable (IRGN Non-cacheable or Write-Through) goes to memory.</summary>
    public MemoryOutcome Walk(ulong descriptorPa, bool cacheable) =>
        DataLine(descriptorPa, write: false, cacheable ? MemoryClass.Cacheable : MemoryClass.NormalNonCacheable);

    /// <summary>Every cache empty (reset; the A53 invalidates its caches at reset, DDI0500 §6 "Data cache invalidate on reset").</summary>
    public void InvalidateAll()
    {
        L1I.InvalidateAll();
        L1D.InvalidateAll();
        L2.InvalidateAll();
    }

    /// <summary>IC IALLU: every L1I line invalid. L2 keeps its lines.</summary>
    public void InstructionInvalidateAll() => L1I.InvalidateAll();

    /// <summary>IC IVAU by physical line: the L1I line invalid.</summary>
    public void InstructionInvalidateLine(ulong pa) => L1I.Invalidate(pa);

    /// <summary>
    /// DC CIVAC by physical line: a dirty copy in L1D or L2 is written to memory (one bus write), then both
    /// copies are invalid. Maintenance cycles are the pipeline model's business: ExtraCycles is 0.
    /// </summary>
    public MemoryOutcome CleanInvalidateLine(ulong pa)
    {
        L1D.Invalidate(pa, out bool l1Dirty);
        L2.Invalidate(pa, out bool l2Dirty);
        return MaintenanceWriteBack(l1Dirty, l2Dirty);
    }

    /// <summary>DC CVAC by physical line: a dirty copy is written to memory and the lines stay valid, now clean.</summary>
    public MemoryOutcome CleanLine(ulong pa)
    {
        bool l1Dirty = L1D.Clean(pa);
        bool l2Dirty = L2.Clean(pa);
        return MaintenanceWriteBack(l1Dirty, l2Dirty);
    }

    /// <summary>DC IVAC by physical line: the L1D and L2 copies are dropped, dirty data discarded.</summary>
    public void InvalidateLine(ulong pa)
    {
        L1D.Invalidate(pa);
        L2.Invalidate(pa);
    }

    // The L1D copy is the newer one when both are dirty; either way one line goes to memory.
    private static MemoryOutcome MaintenanceWriteBack(bool l1Dirty, bool l2Dirty)
    {
        if (!l1Dirty && !l2Dirty) return default;
        return new MemoryOutcome(0, l1WriteBacks: (byte)(l1Dirty ? 1 : 0), l2WriteBacks: (byte)(l2Dirty ? 1 : 0), busAccesses: 1);
    }

    private MemoryOutcome DataLine(ulong pa, bool write, MemoryClass memoryClass)
    {
        if (memoryClass != MemoryClass.Cacheable)
        {
            int cycles = write ? Config.StoreExtraCycles
                : memoryClass == MemoryClass.Device ? Config.DeviceExtraCycles : Config.NormalNonCacheableExtraCycles;
            return new MemoryOutcome(cycles, busAccesses: 1);
        }

        if (L1D.Access(pa, write, out ulong victim, out bool victimDirty))
            return new MemoryOutcome(write ? Config.StoreExtraCycles : 0, l1Accesses: 1);

        // Refill: look the line up in L2 first (the victim must not displace the line being fetched), without
        // allocating: data lines from DRAM go to L1D only.
        byte l2Accesses = 1, l2Refills = 0, l2WriteBacks = 0, bus = 0, l1WriteBacks = 0;
        int cycles2;
        if (L2.Touch(pa, write: false))
            cycles2 = Config.L2HitExtraCycles;
        else
        {
            l2Refills = 1;
            bus = 1;
            cycles2 = Config.DramExtraCycles;
        }

        // The L1D victim moves into L2 (dirty or clean), which may push a dirty L2 line out to memory.
        if (victim != SetAssociativeCache.NoLine)
        {
            if (victimDirty)
            {
                l1WriteBacks = 1;
                cycles2 += Config.WriteBackExtraCycles;
            }
            l2Accesses++;
            L2.Fill(victim, victimDirty, out ulong l2Victim, out bool l2VictimDirty);
            if (l2Victim != SetAssociativeCache.NoLine && l2VictimDirty)
            {
                l2WriteBacks = 1;
                bus++;
            }
        }

        return new MemoryOutcome(write ? Config.StoreExtraCycles : cycles2,
            1, 1, l1WriteBacks, l2Accesses, l2Refills, l2WriteBacks, bus);
    }
}
