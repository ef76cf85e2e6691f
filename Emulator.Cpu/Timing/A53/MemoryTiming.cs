using System.Runtime.CompilerServices;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The memory side of the model: the instruction and data micro-TLBs in front of the main TLB (whose hits and
/// walks are the functional TLB's own: a walk in <see cref="Mmu.WalkLog"/> is a main-TLB miss), the walk cache,
/// and L1I/L1D/L2/DRAM (<see cref="MemorySystem"/>). Each call returns the cycles it adds to whoever asked and
/// counts what happened in <see cref="A53Statistics"/>.
/// </summary>
[SkipLocalsInit] // per-access/per-branch paths; every local is assigned before use (no stackalloc)
internal sealed partial class MemoryTiming(A53Config config)
{
    public MemorySystem Caches { get; } = new(config.Memory);
    // The latencies of Caches.Config (an init-only record, so these copies never go stale; MemorySystem falls back
    // to CortexA53 the same way): the MMU-off paths then read one field instead of two objects.
    private readonly ulong _storeExtra = (ulong)(config.Memory ?? MemorySystemConfig.CortexA53).StoreExtraCycles,
        _deviceExtra = (ulong)(config.Memory ?? MemorySystemConfig.CortexA53).DeviceExtraCycles,
        _nonCacheableExtra = (ulong)(config.Memory ?? MemorySystemConfig.CortexA53).NormalNonCacheableExtraCycles;
    private readonly MicroTlb _itlb = new(), _dtlb = new();
    private readonly WalkCache _walkCache = new();

    // The translation context of the accesses: what Sctlr, Asid and Regime read from the CPU, refreshed when its
    // ContextEpoch moves (writes to SCTLR, TTBR0/1, TCR, MAIR, HCR, TLB maintenance, EL2 entered or left) or its EL does.
    private ulong _epoch = ulong.MaxValue, _sctlr;
    private int _el = -1;
    private ushort _asid;
    private byte _regime;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Sync(Cpu cpu)
    {
        if (cpu.ContextEpoch != _epoch || cpu.EL != _el) Refresh(cpu);
    }

    private void Refresh(Cpu cpu)
    {
        if (_epoch == cpu.ContextEpoch && (_el == 2) == (cpu.EL == 2))
        {
            _el = cpu.EL; // EL0 and EL1: one regime, so the same SCTLR, ASID and memo
            return;
        }
        _epoch = cpu.ContextEpoch;
        _el = cpu.EL;
        _sctlr = Sctlr(cpu);
        _asid = Asid(cpu);
        _regime = Regime(cpu);
        ForgetData();
    }

    /// <summary>An instruction-cache line fetch (the pipeline asks once per new line).</summary>
    public ulong Fetch(Cpu cpu, ulong pa)
    {
        Sync(cpu);
        _lastFetchHit = false;
        bool cacheable = Classify(cpu.FetchMemAttr, _sctlr, SctlrI) == MemoryClass.Cacheable;
        if (!cacheable)
        {
            // What Caches.Fetch(pa, false) returns, counted as below: no L1 or L2 access, one bus read (MMU off: every line).
            cpu.PerfEvents.Add(_el, PmuEvent.BUS_ACCESS);
            return _nonCacheableExtra;
        }
        // A line of a recent fetch that hit, the L1I unchanged since: a hit again (its pseudo-random replacement keeps no
        // state on a hit). Every taken branch looks its target's line up again, so this is most fetches.
        ulong line = pa >> 6;
        if (Caches.L1I.Changes == _fetchMemoChanges && FetchRemembered(line))
        {
            cpu.PerfEvents.Add(_el, PmuEvent.L1I_CACHE);
            _lastFetchHit = true;
            return 0;
        }
        var o = Caches.Fetch(pa, cacheable);
        if (o.L1Hit && Caches.L1I.Policy != ReplacementPolicy.Lru)
        {
            _lastFetchHit = true;
            if (Caches.L1I.Changes != _fetchMemoChanges) Array.Fill(_fetchMemo, ulong.MaxValue);
            _fetchMemoChanges = Caches.L1I.Changes;
            _fetchMemo[_fetchMemoNext] = line;
            _fetchMemoNext = (_fetchMemoNext + 1) & (MemoLines - 1);
        }
        if (o.L1Accesses != 0)
        {
            cpu.PerfEvents.Add(_el, PmuEvent.L1I_CACHE, o.L1Accesses);
            if (o.L1Refills != 0) cpu.PerfEvents.Add(_el, PmuEvent.L1I_CACHE_REFILL, o.L1Refills);
        }
        if (!o.L1Hit) CountOuter(cpu, o);
        return (ulong)o.ExtraCycles;
    }

    private readonly ulong[] _fetchMemo = new ulong[MemoLines]; // read only while _fetchMemoChanges is current
    private ulong _fetchMemoChanges = ulong.MaxValue;
    private int _fetchMemoNext;

    private bool FetchRemembered(ulong line)
    {
        foreach (ulong l in _fetchMemo)
            if (l == line) return true;
        return false;
    }

    /// <summary>The instruction micro-TLB, looked up when the fetch enters a new page.</summary>
    public ulong InstructionTlb(Cpu cpu, ulong va)
    {
        Sync(cpu);
        ulong extra = MicroTlbLookup(_itlb, cpu, va, PmuEvent.L1I_TLB_REFILL);
        RememberFetchPage(va); // block fetches of its lines may skip the lookup
        return extra;
    }

    /// <summary>
    /// A data access: returns the extra load-to-use latency (beyond an L1 hit); the cycles the load/store pipe stalls
    /// (a micro-TLB miss) add up until <see cref="TakeStall"/>. Its MEM_ACCESS is the caller's to count (a translated
    /// block counts them on its way out).
    /// </summary>
    public ulong Data(Cpu cpu, in LoggedAccess a)
    {
        Sync(cpu);
        _lastDataHit = false;
        bool inLine = ((a.Pa & 63) + (ulong)a.Size) <= 64;
        var e = cpu.PerfEvents;
        var cls = Classify(a.MemAttr, _sctlr, SctlrC);
        if (cls != MemoryClass.Cacheable && (_sctlr & 1) == 0 && inLine)
        {
            // MMU off (Device data, or Normal Non-cacheable with HCR_EL2.DC off): no lookup anywhere, one bus access.
            e.Add(_el, PmuEvent.BUS_ACCESS);
            return a.IsWrite ? _storeExtra : cls == MemoryClass.Device ? _deviceExtra : _nonCacheableExtra;
        }
        // A line the memo holds (an L1 hit remembered with its page's micro-TLB hit), neither the L1D nor the micro-TLB
        // changed since: an L1 and micro-TLB hit, exactly what the lookups would return (their pseudo-random and
        // round-robin replacement keep no state on a hit; an LRU L1D never remembers). A new context (Refresh) forgets.
        if (Caches.L1D.Changes == _memoL1Changes && _dtlb.Changes == _memoTlbChanges && inLine && Remembered(in a))
        {
            e.Add(_el, PmuEvent.L1D_CACHE);
            _lastDataHit = true;
            return 0;
        }
        _stall += MicroTlbLookup(_dtlb, cpu, a.Va, PmuEvent.L1D_TLB_REFILL);
        var o = Caches.Data(a.Pa, a.Size, a.IsWrite, cls);
        if (o.L1Accesses != 0)
        {
            e.Add(_el, PmuEvent.L1D_CACHE, o.L1Accesses);
            if (o.L1Hit)
            {
                if (Caches.L1D.Policy != ReplacementPolicy.Lru && inLine)
                {
                    Remember(a);
                    _lastDataHit = true;
                }
                return 0;
            }
            e.Add(_el, PmuEvent.L1D_CACHE_REFILL, o.L1Refills);
            if (o.L1WriteBacks != 0) e.Add(_el, PmuEvent.L1D_CACHE_WB, o.L1WriteBacks);
        }
        CountOuter(cpu, o);
        return (ulong)o.ExtraCycles;
    }

    private ulong _stall;
    // The last Data hit L1D, its page now in the micro TLB: a memo may remember its line (RememberBlockLine).
    private bool _lastDataHit;
    // The last Fetch hit L1I: a memo may remember its line (RememberFetchLine).
    private bool _lastFetchHit;

    // The MMU-off outcomes a translated block predicts (Translation/A53BlockTiming.cs): the last translation context
    // (context epoch, EL) seen with stage 1 off and its data Device, and with stage 1 off and its fetches Non-cacheable
    // (RememberFlat). Every data access (fetch) of such a context takes Data's (Fetch's) MMU-off path: it costs
    // DeviceExtra (a store, StoreExtra but no result latency) and one bus access; FetchExtra and one bus access per new
    // line, no micro-TLB lookup. A restore forgets them (Forget): the epoch may then repeat another history's.
    internal ulong FlatDataEpoch = ulong.MaxValue, FlatFetchEpoch = ulong.MaxValue;
    internal int FlatDataEl = -1, FlatFetchEl = -1;
    internal ulong DeviceExtra => _deviceExtra;
    internal ulong FetchExtra => _nonCacheableExtra;

    /// <summary>Remembers the CPU's translation context in the MMU-off memos it qualifies for.</summary>
    internal void RememberFlat(Cpu cpu)
    {
        Sync(cpu);
        if ((_sctlr & 1) != 0) return;
        if (Classify(cpu.Mmu.StageOneOffAttributes(_el, AccessKind.Read), _sctlr, SctlrC) == MemoryClass.Device)
            (FlatDataEpoch, FlatDataEl) = (_epoch, _el);
        if (Classify(cpu.Mmu.StageOneOffAttributes(_el, AccessKind.Fetch), _sctlr, SctlrI) != MemoryClass.Cacheable)
            (FlatFetchEpoch, FlatFetchEl) = (_epoch, _el);
    }

    /// <summary>The stall cycles the data accesses since the last call added.</summary>
    public ulong TakeStall()
    {
        ulong s = _stall;
        _stall = 0;
        return s;
    }

    // The memo: up to MemoLines recent L1 hits (line, VA page, attribute, whether the line is known dirty), valid while
    // the L1D and micro-TLB change counters equal these. Several lines, so that a copy's source and destination, or a
    // loop's stack and array, all stay in it.
    private const int MemoLines = 4;
    private readonly MemoEntry[] _memo = new MemoEntry[MemoLines];
    private int _memoNext;
    private ulong _memoL1Changes = ulong.MaxValue, _memoTlbChanges = ulong.MaxValue;

    private struct MemoEntry
    {
        public ulong Line, Page;
        public byte Attr;
        public bool Dirty;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Remembered(in LoggedAccess a)
    {
        ulong line = a.Pa >> 6, page = a.Va >> 12;
        foreach (ref readonly MemoEntry m in _memo.AsSpan())
            if (m.Line == line && m.Page == page && m.Attr == a.MemAttr && (m.Dirty || !a.IsWrite)) return true;
        return false;
    }

    private void Remember(in LoggedAccess a)
    {
        if (Caches.L1D.Changes != _memoL1Changes || _dtlb.Changes != _memoTlbChanges) ForgetData();
        _memoL1Changes = Caches.L1D.Changes;
        _memoTlbChanges = _dtlb.Changes;
        ulong line = a.Pa >> 6, page = a.Va >> 12;
        // A write leaves its line dirty (L1D is write-back); after a read it is known dirty only if remembered so.
        foreach (ref MemoEntry m in _memo.AsSpan())
            if (m.Line == line && m.Page == page && m.Attr == a.MemAttr)
            {
                m.Dirty |= a.IsWrite;
                return;
            }
        _memo[_memoNext] = new MemoEntry { Line = line, Page = page, Attr = a.MemAttr, Dirty = a.IsWrite };
        _memoNext = (_memoNext + 1) & (MemoLines - 1);
    }

    /// <summary>The data memo forgets its lines (a new translation context: its pages and attributes may mean
    /// something else now).</summary>
    private void ForgetData()
    {
        Array.Fill(_memo, new MemoEntry { Line = ulong.MaxValue });
        _memoNext = 0;
    }

    /// <summary>Both memos forget their lines (a restored snapshot: the change counters may repeat another history's).</summary>
    private void Forget()
    {
        (FlatDataEpoch, FlatDataEl, FlatFetchEpoch, FlatFetchEl) = (ulong.MaxValue, -1, ulong.MaxValue, -1);
        ForgetData();
        ForgetBlockContext();
        Array.Fill(_fetchMemo, ulong.MaxValue);
        _fetchMemoNext = 0;
    }

    /// <summary>
    /// A table walk's descriptor reads (one walk = consecutive reads for one VA): the main-TLB miss penalty, then the
    /// reads the walk cache does not cover, each through L1D (A7/A15 TRM wording; see docs/TIMING-MEMORY.md).
    /// </summary>
    public ulong Walk(Cpu cpu, WalkLog log, ulong first, ulong end, A53Statistics stats)
    {
        Sync(cpu);
        ulong cycles = 0;
        for (ulong n = first; n < end;)
        {
            ulong va = log.Va(n);
            ulong last = n;
            while (last + 1 < end && log.Va(last + 1) == va) last++;
            int levels = (int)(last - n + 1);
            int read = _walkCache.LevelsToRead(va, _asid, _regime, levels);
            stats.Walks++;
            cycles += MicroTlb.MainTlbMissPenalty;
            for (ulong r = last + 1 - (ulong)read; r <= last; r++)
            {
                var o = Caches.Walk(log.DescriptorPa(r));
                stats.WalkReads++;
                CountOuter(cpu, o);
                cycles += (ulong)o.ExtraCycles;
            }
            n = last + 1;
        }
        return cycles;
    }

    /// <summary>TLBI: the micro-TLBs and the walk cache forget everything (the main TLB is the functional one).</summary>
    public void InvalidateTranslations()
    {
        _itlb.InvalidateAll();
        _dtlb.InvalidateAll();
        _walkCache.InvalidateAll();
    }

    private const ulong SctlrC = 1UL << 2, SctlrI = 1UL << 12;

    private static ulong Sctlr(Cpu cpu) => cpu.EL == 2 ? cpu.MmuRegs.SCTLR_EL2 : cpu.MmuRegs.SCTLR_EL1;

    /// <summary>
    /// Device when MAIR says so (Attr[7:4] = 0); Normal Non-cacheable when the inner attribute is Non-cacheable
    /// (Attr[3:0] = 0100) or the regime's SCTLR.C (data) / SCTLR.I (fetch) is 0 (Arm ARM D5.2.8); else cacheable.
    /// </summary>
    private static MemoryClass Classify(byte attr, ulong sctlr, ulong enable)
    {
        if (MemoryAttributes.IsDevice(attr)) return MemoryClass.Device;
        if ((attr & 0xF) == 0b0100 || (sctlr & enable) == 0) return MemoryClass.NormalNonCacheable;
        return MemoryClass.Cacheable;
    }

    private static byte Regime(Cpu cpu) => (byte)(cpu.EL == 2 ? 2 : 1);

    /// <summary>The current ASID (TTBR0_EL1[63:48], 8 bits unless TCR_EL1.AS); 0 in the EL2 regime.</summary>
    private static ushort Asid(Cpu cpu)
    {
        if (cpu.EL == 2) return 0;
        ulong asid = cpu.MmuRegs.TTBR0_EL1 >> 48;
        return (ushort)((cpu.MmuRegs.TCR_EL1 & (1UL << 36)) != 0 ? asid : asid & 0xFF);
    }

    /// <summary>A micro-TLB lookup; a miss (the PMU's L1x_TLB_REFILL) costs the main-TLB lookup.</summary>
    private ulong MicroTlbLookup(MicroTlb tlb, Cpu cpu, ulong va, PmuEvent refill)
    {
        if ((_sctlr & 1) == 0) return 0; // MMU off: flat map, nothing to look up
        if (tlb.Lookup(va >> 12, _asid, _regime)) return 0;
        cpu.PerfEvents.Add(_el, refill);
        return MicroTlb.MainTlbHitPenalty;
    }

    /// <summary>The L2 and bus events of an access (L1 events are counted by the caller: they differ for I and D).</summary>
    private static void CountOuter(Cpu cpu, in MemoryOutcome o)
    {
        var e = cpu.PerfEvents;
        int el = cpu.EL;
        if (o.L2Accesses != 0)
        {
            e.Add(el, PmuEvent.L2D_CACHE, o.L2Accesses);
            if (o.L2Refills != 0) e.Add(el, PmuEvent.L2D_CACHE_REFILL, o.L2Refills);
            if (o.L2WriteBacks != 0) e.Add(el, PmuEvent.L2D_CACHE_WB, o.L2WriteBacks);
        }
        if (o.BusAccesses != 0) e.Add(el, PmuEvent.BUS_ACCESS, o.BusAccesses);
    }
}
