using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The tag store shared by the micro TLBs, the main TLB and the walk cache: Sets × Ways entries keyed by a VA
/// number (page or region), tagged with ASID, translation regime and the global (nG = 0) flag. An entry matches when
/// key and regime match and it is global or its ASID matches (Arm ARM D5.9, "TLB matching"). Invalid ways fill
/// first, then a per-set round-robin pointer picks the victim: the TRM names no policy for these structures and
/// round-robin is deterministic.
/// </summary>
internal sealed partial class TranslationCacheArray
{
    private readonly ulong[] _keys;
    private readonly ushort[] _asids;
    private readonly byte[] _regimes;
    private readonly bool[] _global, _valid;
    private readonly int[] _nextWay;
    // Per entry, a number no other fill or invalidation of any entry was given (from _stampCount, never restored), and
    // one more, constant, for no entry (NoEntry): what a memo of hits checks an entry against (MemoryTiming.BlockHits).
    private readonly ulong[] _stamps;
    private ulong _stampCount;
    private readonly int _ways;
    private readonly ulong _setMask;

    public TranslationCacheArray(int entries, int ways)
    {
        if (ways < 1 || entries < ways || entries % ways != 0)
            throw new ArgumentException($"{entries} entries cannot be split into {ways}-way sets.", nameof(entries));
        int sets = entries / ways;
        if ((sets & (sets - 1)) != 0)
            throw new ArgumentException($"{entries} entries / {ways} ways = {sets} sets, not a power of two.", nameof(entries));
        _ways = ways;
        _setMask = (ulong)sets - 1;
        _keys = new ulong[entries];
        _asids = new ushort[entries];
        _regimes = new byte[entries];
        _global = new bool[entries];
        _valid = new bool[entries];
        _nextWay = new int[sets];
        _stamps = new ulong[entries + 1];
    }

    public int Entries => _keys.Length;

    /// <summary>Looks up; on a miss fills the entry (with <paramref name="global"/>) and returns false.</summary>
    public bool Lookup(ulong key, ushort asid, byte regime, bool global)
    {
        // Accesses come in runs on one page: try the entry that last hit or was filled first. A hit changes no
        // state (round-robin replacement) and the answer is only hit or miss, so which matching entry is found
        // cannot matter; a matching valid entry is always in the key's set (entries are filled there only), and an
        // invalidated one fails the valid test.
        if (Matches(_last, key, asid, regime)) return true;
        int found = Find(key, asid, regime);
        if (found >= 0)
        {
            _last = found;
            return true;
        }

        int start = (int)(key & _setMask) * _ways;
        int victim = -1;
        for (int i = start, end = start + _ways; i < end; i++)
            if (!_valid[i]) { victim = i; break; }
        if (victim < 0)
        {
            int set = (int)(key & _setMask);
            int way = _nextWay[set];
            _nextWay[set] = way + 1 == _ways ? 0 : way + 1;
            victim = start + way;
        }
        Changes++;
        _last = victim;
        _stamps[victim] = ++_stampCount;
        _valid[victim] = true;
        _keys[victim] = key;
        _asids[victim] = asid;
        _regimes[victim] = regime;
        _global[victim] = global;
        return false;
    }

    // An entry index (0 until the first hit or fill: entry 0 is invalid then). A search hint, not state: a translated
    // block's remembered hits skip the lookup (MemoryTiming.BlockHits), and a snapshot does not save it.
    private int _last;

    /// <summary>The entry matching, without a fill, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // Lookup's search
    public int Find(ulong key, ushort asid, byte regime)
    {
        int start = (int)(key & _setMask) * _ways;
        for (int i = start, end = start + _ways; i < end; i++)
            if (Matches(i, key, asid, regime)) return i;
        return -1;
    }

    /// <summary>Each entry's stamp, and <see cref="NoEntry"/>'s last: an entry holds what it held when its stamp was read
    /// while the stamp is the same (a fill or invalidation gives it a new one).</summary>
    public ulong[] Stamps => _stamps;

    /// <summary>The index in <see cref="Stamps"/> whose stamp never changes.</summary>
    public int NoEntry => _keys.Length;

    /// <summary>Whether the entry was filled global (it matches every ASID).</summary>
    public bool IsGlobal(int i) => _global[i];

    private void Restamp(int i) => _stamps[i] = ++_stampCount;

    private bool Matches(int i, ulong key, ushort asid, byte regime) =>
        _valid[i] && _keys[i] == key && _regimes[i] == regime && (_global[i] || _asids[i] == asid);

    public void InvalidateAll()
    {
        Array.Clear(_valid);
        for (int i = 0; i < _valid.Length; i++) Restamp(i);
        Changes++;
    }

    /// <summary>Bumped by every fill and invalidation (round-robin replacement keeps no state on a hit).</summary>
    public ulong Changes { get; private set; }

    /// <summary>TLBI ASIDE1-style: the non-global entries of <paramref name="asid"/> in <paramref name="regime"/>.</summary>
    public void InvalidateAsid(ushort asid, byte regime)
    {
        Changes++;
        for (int i = 0; i < _valid.Length; i++)
            if (_valid[i] && !_global[i] && _asids[i] == asid && _regimes[i] == regime) { _valid[i] = false; Restamp(i); }
    }

    /// <summary>TLBI VAAE1-style: every entry for <paramref name="key"/> in <paramref name="regime"/>, any ASID.</summary>
    public void InvalidateKey(ulong key, byte regime)
    {
        Changes++;
        int start = (int)(key & _setMask) * _ways;
        for (int i = start, end = start + _ways; i < end; i++)
            if (_valid[i] && _keys[i] == key && _regimes[i] == regime) { _valid[i] = false; Restamp(i); }
    }

    public int ValidEntries
    {
        get
        {
            int n = 0;
            foreach (bool v in _valid) if (v) n++;
            return n;
        }
    }
}
