namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// Geometry, replacement and latencies of the A53 memory hierarchy. Defaults: a Raspberry Pi 3 class part
/// (BCM2837 / RP3A0) at 1 GHz. A board option can replace any field with <c>with</c>.
/// All latencies are cycles beyond an L1 hit (the pipeline already charges the 3-cycle L1 load-use).
/// </summary>
public sealed record MemorySystemConfig
{
    /// <summary>32 KiB 2-way, 64-byte lines (DDI0500 §2.1.1; RPi 3 size per the shared timing doc).</summary>
    public CacheGeometry L1I { get; init; } = new("L1I", 32 * 1024, 2);

    /// <summary>32 KiB 4-way, 64-byte lines, write-back (DDI0500 §2.1.6).</summary>
    public CacheGeometry L1D { get; init; } = new("L1D", 32 * 1024, 4);

    /// <summary>512 KiB 16-way, 64-byte lines, PIPT (DDI0500 §2.1.7; RPi 3 size per the shared timing doc).</summary>
    public CacheGeometry L2 { get; init; } = new("L2", 512 * 1024, 16);

    /// <summary>DDI0500 §2.1.1: "Pseudo-random cache replacement policy".</summary>
    public ReplacementPolicy L1IReplacement { get; init; } = ReplacementPolicy.PseudoRandom;

    /// <summary>DDI0500 §2.1.6: "Pseudo-random cache replacement policy".</summary>
    public ReplacementPolicy L1DReplacement { get; init; } = ReplacementPolicy.PseudoRandom;

    /// <summary>
    /// The TRM pages consulted do not name the L2 policy; pseudo-random like the L1s is an assumption.
    /// </summary>
    public ReplacementPolicy L2Replacement { get; init; } = ReplacementPolicy.PseudoRandom;

    /// <summary>
    /// An L1 miss served by L2. tinymembench's 128 KiB random reads (L2-resident; RP3A0 = BCM2710A1 at 1 GHz) took
    /// 10.0 ns more than an L1 hit, micro-TLB refills included: 32 pages against 10 micro-TLB entries miss it on
    /// 68 % of the reads in this model (measured on the suite's 128 KiB ring), 0.68 × 2 = 1.4, so the L2 part is
    /// 8.6 ≈ 9. CAQA's "about 13 cycles" L2 load-to-use (3 + 10) agrees within a cycle.
    /// </summary>
    public int L2HitExtraCycles { get; init; } = 9;

    /// <summary>
    /// DRAM, from tinymembench's 8 MiB random reads: 176.3 ns more than an L1 hit at 1 GHz, translation included.
    /// In this model that chase misses the micro-TLB on 99.5 % of reads (2 cycles), the main TLB on 75 % (2048 pages
    /// against 512 entries: 20 cycles plus the descriptor read, about 6.7 through L1D/L2 as measured on the suite's
    /// 8 MiB ring), and no data hits L2 (L2 allocates data on L1 eviction only): 176.3 − 2.0 − 0.75 × 26.7 = 154.3.
    /// DRAM latency is a time, so at another clock scale it by f / 1 GHz.
    /// </summary>
    public int DramExtraCycles { get; init; } = 154;

    /// <summary>
    /// A Normal Non-cacheable read (or a fetch with SCTLR_ELx.I = 0): one bus read to DRAM, so the DRAM figure.
    /// </summary>
    public int NormalNonCacheableExtraCycles { get; init; } = 154;

    /// <summary>
    /// A Device read. An estimate: no public A53 figure was found and QEMU virt has no real interconnect, so it is
    /// set to the DRAM figure (a peripheral read crosses the same master interface and interconnect). Note that
    /// with the MMU off every data access is Device-nGnRnE (Arm ARM, stage 1 translation disabled), so early boot pays this per load.
    /// </summary>
    public int DeviceExtraCycles { get; init; } = 154;

    /// <summary>
    /// What the pipeline sees for any store, hit or miss, cacheable or not: 0. A committed store waits in the store
    /// buffer (DDI0500 §2.1.6, "Store Buffer"), which asks for the linefill or bus write on its own; the pipeline
    /// stalls only when the buffer is full or a barrier drains it, which this component does not model. The cache
    /// state and the event counts of the store (refill, write-backs, bus access) are still recorded.
    /// </summary>
    public int StoreExtraCycles { get; init; } = 0;

    /// <summary>
    /// Cycles a dirty victim's write-back adds: 0, it leaves through the write buffer / eviction path and no
    /// documented A53 figure says it delays the refill.
    /// </summary>
    public int WriteBackExtraCycles { get; init; } = 0;

    /// <summary>The Raspberry Pi 3 class defaults above.</summary>
    public static MemorySystemConfig CortexA53 { get; } = new();
}
