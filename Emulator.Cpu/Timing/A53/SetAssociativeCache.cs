using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The tag array of one physically-indexed, physically-tagged cache: which lines are present and which are dirty,
/// no data (the functional memory holds the data; this only decides hit or miss). A set fills its invalid ways
/// first, lowest way first; only a full set consults the <see cref="ReplacementPolicy"/>.
/// Per access it allocates nothing and runs one loop over the ways of one set.
/// </summary>
public sealed partial class SetAssociativeCache
{
    /// <summary>The evicted-line value meaning "no valid line was evicted".</summary>
    public const ulong NoLine = ulong.MaxValue;

    // One entry per (set, way) at set * ways + way: (line number << 1) | dirty, or Invalid. A line number is
    // pa >> LineShift (< 2^58), so an entry's line part never equals Invalid >> 1.
    private const ulong Invalid = ulong.MaxValue;

    private readonly ulong[] _entries;
    private readonly ulong[]? _stamps;     // Lru: last-use stamp per entry
    private readonly int[]? _nextWay;      // RoundRobin: next victim per set
    private readonly int _ways, _lineShift;
    private readonly ulong _setMask;
    private ulong _clock;

    /// <summary>Bumped by every change of contents or dirtiness (fills, evictions, invalidations, cleans): a caller that
    /// remembers a hit may reuse it while this is unchanged and the policy keeps no state on hits (not LRU).</summary>
    public ulong Changes { get; private set; }
    private VictimLfsr _lfsr;

    public SetAssociativeCache(CacheGeometry geometry, ReplacementPolicy policy, bool writeBack = true,
        ushort seed = VictimLfsr.DefaultSeed)
    {
        if (geometry.Ways == 0) throw new ArgumentException("default(CacheGeometry) is not a cache.", nameof(geometry));
        Geometry = geometry;
        Policy = policy;
        WriteBack = writeBack;
        _ways = geometry.Ways;
        _lineShift = geometry.LineShift;
        _setMask = (ulong)geometry.Sets - 1;
        _entries = new ulong[geometry.Sets * geometry.Ways];
        if (policy == ReplacementPolicy.Lru) _stamps = new ulong[_entries.Length];
        if (policy == ReplacementPolicy.RoundRobin) _nextWay = new int[geometry.Sets];
        _lfsr = new VictimLfsr(seed);
        InvalidateAll();
    }

    public CacheGeometry Geometry { get; }
    public ReplacementPolicy Policy { get; }

    /// <summary>Whether writes mark lines dirty (write-back). Otherwise a write only looks up / allocates.</summary>
    public bool WriteBack { get; }

    /// <summary>The line-aligned address of <paramref name="pa"/>.</summary>
    public ulong LineAddress(ulong pa) => pa >> _lineShift << _lineShift;

    /// <summary>The set <paramref name="pa"/> indexes.</summary>
    public int SetIndex(ulong pa) => (int)((pa >> _lineShift) & _setMask);

    /// <summary>
    /// Looks up <paramref name="pa"/>; on a miss allocates its line, evicting a victim if the set is full.
    /// A write marks the line dirty when the cache is write-back. Returns true on a hit.
    /// <paramref name="evictedLine"/> is the victim's line address, or <see cref="NoLine"/>.
    /// </summary>
    public bool Access(ulong pa, bool write, out ulong evictedLine, out bool evictedDirty)
    {
        if (Touch(pa, write))
        {
            evictedLine = NoLine;
            evictedDirty = false;
            return true;
        }
        Allocate(pa >> _lineShift, write && WriteBack, out evictedLine, out evictedDirty);
        return false;
    }

    /// <summary>
    /// A lookup that never allocates: on a hit updates the replacement state (and dirty on a write-back write)
    /// and returns true; on a miss changes nothing.
    /// </summary>
    public bool Touch(ulong pa, bool write)
    {
        ulong line = pa >> _lineShift;
        int i = Find(line);
        if (i < 0) return false;
        if (write && WriteBack) _entries[i] |= 1;
        if (_stamps != null) _stamps[i] = ++_clock;
        return true;
    }

    /// <summary>Whether <paramref name="pa"/>'s line is present. Changes no state, not even replacement state.</summary>
    public bool Probe(ulong pa) => Find(pa >> _lineShift) >= 0;

    /// <summary>Whether <paramref name="pa"/>'s line is present and dirty. Changes no state.</summary>
    public bool IsDirty(ulong pa)
    {
        int i = Find(pa >> _lineShift);
        return i >= 0 && (_entries[i] & 1) != 0;
    }

    /// <summary>
    /// Puts <paramref name="pa"/>'s line in the cache (a linefill or a victim arriving from another level). If it is
    /// already present it is touched and made dirty when <paramref name="dirty"/>; nothing is evicted then.
    /// </summary>
    public void Fill(ulong pa, bool dirty, out ulong evictedLine, out bool evictedDirty)
    {
        ulong line = pa >> _lineShift;
        int i = Find(line);
        if (i >= 0)
        {
            if (dirty && (_entries[i] & 1) == 0) { _entries[i] |= 1; Changes++; }
            if (_stamps != null) _stamps[i] = ++_clock;
            evictedLine = NoLine;
            evictedDirty = false;
            return;
        }
        Allocate(line, dirty, out evictedLine, out evictedDirty);
    }

    /// <summary>Drops <paramref name="pa"/>'s line without writing it back. Returns whether it was present.</summary>
    public bool Invalidate(ulong pa) => Invalidate(pa, out _);

    /// <summary>Drops <paramref name="pa"/>'s line; <paramref name="wasDirty"/> says whether its data was newer than memory's.</summary>
    public bool Invalidate(ulong pa, out bool wasDirty)
    {
        int i = Find(pa >> _lineShift);
        if (i < 0)
        {
            wasDirty = false;
            return false;
        }
        wasDirty = (_entries[i] & 1) != 0;
        _entries[i] = Invalid;
        Changes++;
        return true;
    }

    /// <summary>
    /// Marks <paramref name="pa"/>'s line clean (its data written back), keeping it valid. Returns true if the line
    /// was dirty, i.e. a write-back happened.
    /// </summary>
    public bool Clean(ulong pa)
    {
        int i = Find(pa >> _lineShift);
        if (i < 0 || (_entries[i] & 1) == 0) return false;
        _entries[i] &= ~1UL;
        Changes++;
        return true;
    }

    /// <summary>Invalidates every line (reset, or invalidate-all maintenance). Replacement state is kept.</summary>
    public void InvalidateAll()
    {
        Array.Fill(_entries, Invalid);
        Changes++;
    }

    /// <summary>The number of valid lines (a scan; for tests and statistics, not the access path).</summary>
    public int ValidLines
    {
        get
        {
            int n = 0;
            foreach (ulong e in _entries) if (e != Invalid) n++;
            return n;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Find(ulong line)
    {
        int start = (int)(line & _setMask) * _ways;
        ulong[] entries = _entries;
        for (int i = start, end = start + _ways; i < end; i++)
            if (entries[i] >> 1 == line) return i;
        return -1;
    }

    private void Allocate(ulong line, bool dirty, out ulong evictedLine, out bool evictedDirty)
    {
        int set = (int)(line & _setMask);
        int start = set * _ways;
        int victim = -1;
        for (int i = start, end = start + _ways; i < end; i++)
            if (_entries[i] == Invalid) { victim = i; break; }
        if (victim < 0) victim = start + ChooseVictimWay(set, start);

        ulong old = _entries[victim];
        if (old == Invalid)
        {
            evictedLine = NoLine;
            evictedDirty = false;
        }
        else
        {
            evictedLine = (old >> 1) << _lineShift;
            evictedDirty = (old & 1) != 0;
        }
        _entries[victim] = (line << 1) | (dirty ? 1UL : 0UL);
        if (_stamps != null) _stamps[victim] = ++_clock;
        Changes++;
    }

    private int ChooseVictimWay(int set, int start)
    {
        switch (Policy)
        {
            case ReplacementPolicy.PseudoRandom:
                return _lfsr.NextWay(_ways);
            case ReplacementPolicy.RoundRobin:
            {
                int way = _nextWay![set];
                _nextWay[set] = way + 1 == _ways ? 0 : way + 1;
                return way;
            }
            default:
            {
                ulong[] stamps = _stamps!;
                int best = 0;
                for (int w = 1; w < _ways; w++)
                    if (stamps[start + w] < stamps[start + best]) best = w;
                return best;
            }
        }
    }
}
