namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The A53 walk cache: 64 entries, 4-way set-associative (DDI0500 §5.1). An entry holds the physical address of
/// the last-level table for a VA region ("PA of second, last translation level", walk cache descriptor, DDI0500
/// §6 "Walk cache RAM"), so a walk that hits reads only the last-level descriptor. With the 4 KiB granule one
/// level-3 table maps 2 MiB, so entries are keyed by va >> 21 (<see cref="RegionShift"/>), ASID and regime.
/// Per-set round-robin replacement (the TRM names none). Block mappings are not distinguished: the caller passes
/// the walk's level count.
/// </summary>
public sealed partial class WalkCache
{
    public const int A53Entries = 64;
    public const int A53Ways = 4;

    /// <summary>log2 of the VA span of one last-level table, 4 KiB granule: 512 × 4 KiB = 2 MiB.</summary>
    public const int RegionShift = 21;

    private readonly TranslationCacheArray _entries;

    public WalkCache(int entries = A53Entries, int ways = A53Ways) => _entries = new TranslationCacheArray(entries, ways);

    public int Entries => _entries.Entries;
    public int ValidEntries => _entries.ValidEntries;

    /// <summary>
    /// How many descriptors a walk for <paramref name="va"/> reads: 1 (the last level) when the walk cache holds
    /// the region, else <paramref name="walkLevels"/> (e.g. 4 for a 48-bit VA, 3 for 39-bit, 4 KiB granule), and
    /// the region is recorded for next time.
    /// </summary>
    public int LevelsToRead(ulong va, ushort asid, byte regime, int walkLevels, bool global = false)
    {
        if (walkLevels < 1) throw new ArgumentOutOfRangeException(nameof(walkLevels), walkLevels, "A walk reads at least one descriptor.");
        return _entries.Lookup(va >> RegionShift, asid, regime, global) ? 1 : walkLevels;
    }

    public void InvalidateAll() => _entries.InvalidateAll();

    /// <summary>TLBI ASIDE1: the non-global entries of one ASID.</summary>
    public void InvalidateAsid(ushort asid, byte regime) => _entries.InvalidateAsid(asid, regime);
}
