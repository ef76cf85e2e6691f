namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The A53 unified main TLB: 512 entries, 4-way set-associative (DDI0500 §5.1), so 128 sets indexed by the low bits
/// of the 4 KiB VA page number. Same keying as <see cref="MicroTlb"/>; per-set round-robin replacement (the TRM
/// names none). A micro-TLB miss that hits here costs <see cref="MicroTlb.MainTlbHitPenalty"/>; a miss here costs
/// <see cref="MicroTlb.MainTlbMissPenalty"/> plus the walk.
/// </summary>
public sealed class MainTlb
{
    public const int A53Entries = 512;
    public const int A53Ways = 4;

    private readonly TranslationCacheArray _entries;

    public MainTlb(int entries = A53Entries, int ways = A53Ways) => _entries = new TranslationCacheArray(entries, ways);

    public int Entries => _entries.Entries;
    public int ValidEntries => _entries.ValidEntries;

    /// <summary>Looks up <paramref name="vaPage"/> (va >> 12); on a miss fills. Returns hit.</summary>
    public bool Lookup(ulong vaPage, ushort asid, byte regime, bool global = false) =>
        _entries.Lookup(vaPage, asid, regime, global);

    public void InvalidateAll() => _entries.InvalidateAll();

    /// <summary>TLBI ASIDE1: the non-global entries of one ASID.</summary>
    public void InvalidateAsid(ushort asid, byte regime) => _entries.InvalidateAsid(asid, regime);

    /// <summary>TLBI VAAE1: one page, every ASID.</summary>
    public void InvalidatePage(ulong vaPage, byte regime) => _entries.InvalidateKey(vaPage, regime);
}
