namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// One A53 micro TLB: fully associative, 10 entries, one for instructions and one for data (DDI0500 §5.1 "About the
/// MMU"). Keyed by the 4 KiB VA page number (va >> 12), ASID, translation regime and the global flag; a larger
/// mapping is tracked per 4 KiB page it is used in. Replacement is round-robin over the 10 entries: the TRM names
/// none. Any main TLB maintenance flushes the micro TLBs on silicon (A7 TRM §5.3.1 wording), so the caller
/// forwards every TLBI as <see cref="InvalidateAll"/> at least.
/// </summary>
public sealed partial class MicroTlb
{
    /// <summary>Entries of each micro TLB (DDI0500 §5.1).</summary>
    public const int A53Entries = 10;

    /// <summary>
    /// Cycles a micro-TLB miss costs when the main TLB hits: about 2 (CAQA 6th ed., Cortex-A53 case study:
    /// "MicroTLB ... 2-clock-cycle miss penalty"; shared timing doc "Caches, TLBs, memory").
    /// </summary>
    public const int MainTlbHitPenalty = 2;

    /// <summary>
    /// Cycles a main-TLB miss costs on top of <see cref="MainTlbHitPenalty"/>, before the walk's own descriptor reads
    /// (charge those through <see cref="MemorySystem.Walk(ulong)"/>): about 20 (CAQA 6th ed.: "L2 unified TLB ...
    /// 20-clock-cycle miss penalty"; shared timing doc).
    /// </summary>
    public const int MainTlbMissPenalty = 20;

    private readonly TranslationCacheArray _entries;

    public MicroTlb(int entries = A53Entries) => _entries = new TranslationCacheArray(entries, entries);

    public int Entries => _entries.Entries;
    public int ValidEntries => _entries.ValidEntries;

    /// <summary>Looks up <paramref name="vaPage"/> (va >> 12); on a miss fills a non-global entry. Returns hit.</summary>
    public bool Lookup(ulong vaPage, ushort asid, byte regime) => _entries.Lookup(vaPage, asid, regime, global: false);

    /// <summary>Looks up; a miss fills an entry that is global (matches every ASID) when <paramref name="global"/>.</summary>
    public bool Lookup(ulong vaPage, ushort asid, byte regime, bool global) => _entries.Lookup(vaPage, asid, regime, global);

    public void InvalidateAll() => _entries.InvalidateAll();

    /// <summary>The entry holding <paramref name="vaPage"/> for this ASID and regime (no fill), or -1.</summary>
    internal int Find(ulong vaPage, ushort asid, byte regime) => _entries.Find(vaPage, asid, regime);

    /// <summary>Per entry (and <see cref="NoEntry"/>), a stamp that moves when the entry is filled or invalidated.</summary>
    internal ulong[] Stamps => _entries.Stamps;

    internal int NoEntry => _entries.NoEntry;

    internal bool IsGlobal(int entry) => _entries.IsGlobal(entry);

    /// <summary>Bumped by every fill and invalidation: a remembered hit stays a hit while it is unchanged.</summary>
    public ulong Changes => _entries.Changes;
}
