using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Mmu;

/// <summary>
/// The modelled unified TLB: 512 entries, 4-way set-associative, the geometry of the Cortex-A53 main TLB (A53 TRM),
/// shared by both regimes and tagged with regime, ASID and nG. Replacement is deterministic: a free way first,
/// else round-robin per set. An entry of size 2^s is kept in the set <see cref="SetIndex"/> gives for VA[55:s]
/// (a fold of its bits, so that the 2 MiB-aligned code/data/stack layouts of small kernels do not all collide in
/// one set); a lookup probes one set per page size in use (at most 3 with the 4 KiB granule) and a TLBI by VA finds
/// every entry that covers the VA.
/// Entries leave only by TLBI or by replacement; <see cref="Generation"/> counts both, so that a host-side
/// cache built on top of an entry can tell that it is gone (the CPU's data fast path compares it; its slow path
/// drops the fetch window when one of its own walks replaced an entry).
/// </summary>
public sealed partial class Tlb
{
    public const int Sets = 128;
    public const int Ways = 4;

    /// <summary>Page and block sizes a stage-1 walk can produce (4 KiB and 64 KiB granules), as shifts.</summary>
    private static ReadOnlySpan<byte> SizeShifts => [12, 21, 30, 16, 29];

    private readonly TlbEntry[] _entries = new TlbEntry[Sets * Ways];
    private readonly byte[] _victim = new byte[Sets];
    /// <summary>Bit n set: an entry of size shift n may be present (cleared only when the TLB is emptied).</summary>
    private ulong _shiftsPresent;

    /// <summary>Bumped whenever a valid entry leaves the TLB (TLBI or replacement).</summary>
    public ulong Generation { get; private set; }

    /// <summary>Bumped by every fill: while it and <see cref="Generation"/> stand, the entries are exactly those of then,
    /// so a lookup with the same ASID finds what it found then (a host-side cache kept across an ASID change compares
    /// it). Not saved in snapshots: only such caches, which a restore drops, read it.</summary>
    public ulong Fills { get; private set; }

    public int Count { get; private set; }

    /// <summary>Fired after each fill: the CPU's wiring (one owner); observers use its CpuHook.OnTlbFill.</summary>
    internal TlbFillHandler? Filled { get; set; }

    public ref readonly TlbEntry this[int index] => ref _entries[index];

    /// <summary>Index of the entry that translates <paramref name="va56"/> for the regime and ASID, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Lookup(TranslationRegime regime, ulong va56, ushort asid) => Find(regime, va56, asid, anyAsid: false, except: -1);

    /// <summary>Whether the entry at <paramref name="index"/> is the only one of <paramref name="regime"/> that translates
    /// <paramref name="va56"/>, of any ASID: a global one then matches a lookup of every ASID, and no other comes first.</summary>
    public bool IsOnlyEntryFor(TranslationRegime regime, ulong va56, int index) =>
        Find(regime, va56, 0, anyAsid: true, except: index) < 0;

    /// <summary>The first entry in lookup order that translates <paramref name="va56"/> for the regime and the ASID (or any
    /// ASID), other than <paramref name="except"/>; -1 for none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Find(TranslationRegime regime, ulong va56, ushort asid, bool anyAsid, int except)
    {
        ulong present = _shiftsPresent;
        foreach (byte shift in SizeShifts)
        {
            if ((present & (1UL << shift)) == 0) continue;
            ulong tag = va56 & ~((1UL << shift) - 1);
            int first = SetIndex(va56, shift) * Ways;
            for (int i = first; i < first + Ways; i++)
            {
                ref TlbEntry e = ref _entries[i];
                if (e.VaBase == tag && e.Regime == regime && e.SizeShift == shift && (anyAsid || e.Global || e.Asid == asid)
                    && i != except)
                    return i;
            }
        }
        return -1;
    }

    /// <summary>The set that holds an entry of size 2^<paramref name="shift"/> for <paramref name="va56"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SetIndex(ulong va56, int shift)
    {
        ulong n = va56 >> shift;
        return (int)((n ^ (n >> 7) ^ (n >> 14)) & (Sets - 1));
    }

    /// <summary>Inserts the result of a walk; returns its index.</summary>
    public int Fill(in TlbEntry entry)
    {
        int set = SetIndex(entry.VaBase, entry.SizeShift);
        int first = set * Ways;
        int slot = -1;
        for (int i = first; i < first + Ways; i++)
            if (_entries[i].Regime == TranslationRegime.None) { slot = i; break; }
        if (slot < 0)
        {
            slot = first + _victim[set];
            _victim[set] = (byte)((_victim[set] + 1) % Ways);
            Generation++;
            Count--;
        }
        _entries[slot] = entry;
        Count++;
        Fills++;
        _shiftsPresent |= 1UL << entry.SizeShift;
        Filled?.Invoke(in _entries[slot]);
        return slot;
    }

    /// <summary>Removes every entry of a regime (TLBI VMALLE1, ALLE2).</summary>
    public void InvalidateRegime(TranslationRegime regime)
    {
        for (int i = 0; i < _entries.Length; i++)
            if (_entries[i].Regime == regime) Remove(i);
        if (Count == 0) _shiftsPresent = 0;
    }

    /// <summary>Removes the non-global entries of one ASID in a regime (TLBI ASIDE1).</summary>
    public void InvalidateAsid(TranslationRegime regime, ushort asid)
    {
        for (int i = 0; i < _entries.Length; i++)
        {
            ref TlbEntry e = ref _entries[i];
            if (e.Regime == regime && !e.Global && e.Asid == asid) Remove(i);
        }
    }

    /// <summary>
    /// Removes the entries of a regime that cover <paramref name="va56"/>: those of <paramref name="asid"/> and the
    /// global ones (TLBI VAE1, VALE1), or those of any ASID when <paramref name="anyAsid"/> (VAAE1, VAALE1, VAE2).
    /// </summary>
    public void InvalidateVa(TranslationRegime regime, ulong va56, ushort asid, bool anyAsid)
    {
        ulong present = _shiftsPresent;
        foreach (byte shift in SizeShifts)
        {
            if ((present & (1UL << shift)) == 0) continue;
            ulong tag = va56 & ~((1UL << shift) - 1);
            int first = SetIndex(va56, shift) * Ways;
            for (int i = first; i < first + Ways; i++)
            {
                ref TlbEntry e = ref _entries[i];
                if (e.VaBase == tag && e.Regime == regime && e.SizeShift == shift && (anyAsid || e.Global || e.Asid == asid))
                    Remove(i);
            }
        }
    }

    /// <summary>Every valid entry, for inspection (tests, the debugger).</summary>
    public IEnumerable<TlbEntry> Entries()
    {
        for (int i = 0; i < _entries.Length; i++)
            if (_entries[i].Regime != TranslationRegime.None) yield return _entries[i];
    }

    private void Remove(int i)
    {
        _entries[i] = default;
        Count--;
        Generation++;
    }
}
