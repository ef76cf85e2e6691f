using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The lines a translated block's fetches, loads and stores hit (A53Model.FetchInBlock, A53Model.AccessInBlock), checked
/// there instead of asking the caches. Fetch: a memo by VA line of recent L1I hits with the line's PA and attribute,
/// valid while the L1I has not changed (its pseudo-random replacement keeps no state on a hit); a line of another page
/// than the stream's also needs its page in the instruction micro TLB (a memo by VA page, as for data below). Data: a memo by VA
/// line of recent L1D hits whose page the data micro TLB held, each with the host address of its line in RAM (which
/// names its PA: a VA mapped elsewhere since does not match) and whether the line was dirty. While neither the L1D nor
/// the micro TLB has changed, another access to such a line is an L1 and micro-TLB hit, exactly what <see cref="Data"/>
/// would find: their random and round-robin replacement keep no state on a hit (an LRU L1D is never remembered). A
/// store needs its line known dirty (a store to a clean line makes it dirty, which L1D.Changes does not count). A data
/// line's page must be in the micro TLB: a memo by VA page holds the micro-TLB entry that held it, for which ASID, and
/// the entry's stamp then (MicroTlb.Stamps: it moves when the entry is filled or invalidated). So after a context
/// switch the lines stay, and each page's first access (a micro-TLB refill for the new ASID) makes its lines hit again.
/// The data lines hold in the translation context they were remembered in (a system call keeps it:
/// <see cref="Cpu.ContextEpoch"/>), and in a later one that differs only by its context epoch or ASID (<see cref="BlockContext"/>);
/// the fetch lines in any context with the same regime and SCTLR (a context switch keeps the kernel's lines).
/// </summary>
internal sealed partial class MemoryTiming
{
    // Each memo's entries hold the generation they were written in; forgetting them all moves the generation (a context
    // switch forgets them: that must not cost a pass over the arrays).
    private const int BlockLineCount = 256;
    private readonly BlockLine[] _blockLines = new BlockLine[BlockLineCount];
    private ulong _blockL1Changes = ulong.MaxValue, _blockEpoch = ulong.MaxValue;
    // The pages of the data and fetch lines, by VA page modulo 64.
    private const int TlbPageCount = 64;
    private readonly TlbPage[] _blockPages = new TlbPage[TlbPageCount], _fetchPages = new TlbPage[TlbPageCount];
    private ulong _blockGeneration = 1;
    private BlockContext _blockContext;

    // By VA line modulo 512: 32 KiB of code without two lines in one entry (lines 4 KiB apart took one entry of 64 and
    // threw each other out).
    private const int FetchLineCount = 512;
    private readonly FetchLine[] _fetchLines = new FetchLine[FetchLineCount];
    private ulong _fetchL1Changes = ulong.MaxValue;
    private ulong _fetchGeneration = 1;

    private struct FetchLine
    {
        public ulong Line;       // VA >> 6
        public ulong PaKey;      // PA >> 6 and the fetch's memory attribute (MAIR byte) in bits 48-55 (FetchKey)
        public ulong Generation; // _fetchGeneration when written (0: never)
    }

    /// <summary>A page the micro TLB held: while the entry's stamp stands, it holds it still (a hit changes nothing).</summary>
    private struct TlbPage
    {
        public ulong Page;       // VA >> 12
        public ulong Generation; // the lines' generation when written (0: never)
        public ulong TlbStamp;   // the entry's stamp then
        public int TlbEntry;     // the micro-TLB entry (MicroTlb.NoEntry: the MMU off, nothing looked up)
        public int Asid;         // the ASID it matches (-1: any)
    }

    private struct BlockLine
    {
        public ulong Line;       // VA >> 6
        public nint Host;        // the host address of the line's first byte
        public ulong Generation; // _blockGeneration when written (0: never)
        public bool Dirty;
    }

    /// <summary>What a remembered hit depends on in a translation context: the micro TLB's ASID and regime, SCTLR (M, C),
    /// MAIR and HCR (the attributes), and the TLB's generation (a new walk could give a page another attribute; its PA
    /// the host address checks). The data lines' pages check their ASID themselves.</summary>
    private readonly record struct BlockContext(ushort Asid, byte Regime, ulong Sctlr, ulong Mair, ulong Hcr, ulong TlbGeneration);

    /// <summary>Whether the fetch of <paramref name="pc"/>'s line hits a remembered line; if so counts its L1I_CACHE, as
    /// <see cref="Fetch"/> would, and it costs nothing beyond an L1 hit. A line of another page than the stream's
    /// (<paramref name="samePage"/> false) also needs its page's micro-TLB hit: it hits while the micro TLB has not
    /// changed since the line's page was known in it (a hit costs nothing and counts nothing, <see cref="MicroTlbLookup"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool BlockFetchHits(Cpu cpu, ulong pc, bool samePage)
    {
        ref FetchLine m = ref _fetchLines[(int)(pc >> 6) & (FetchLineCount - 1)];
        if (m.Line != pc >> 6 || m.Generation != _fetchGeneration || m.PaKey != FetchKey(cpu, pc)
            || _fetchL1Changes != Caches.L1I.Changes || _blockEpoch != cpu.ContextEpoch
            || (!samePage && !PageHit(_fetchPages, _itlb, pc, _fetchGeneration)))
            return false;
        cpu.PerfEvents.Add(cpu.EL, PmuEvent.L1I_CACHE);
        return true;
    }

    /// <summary>After a fetch a block asked for at <paramref name="pc"/>: remembers its line if <see cref="Fetch"/> found
    /// a hit the memo may reuse (its page is remembered where the stream entered it, <see cref="RememberFetchPage"/>).
    /// Returns whether it did.</summary>
    internal bool RememberFetchLine(Cpu cpu, ulong pc)
    {
        if (!_lastFetchHit) return false; // else Fetch synced the context
        AdoptContext(cpu);
        if (_fetchL1Changes != Caches.L1I.Changes)
        {
            ForgetFetchLines();
            _fetchL1Changes = Caches.L1I.Changes;
        }
        _fetchLines[(int)(pc >> 6) & (FetchLineCount - 1)] = new FetchLine
        {
            Line = pc >> 6, PaKey = FetchKey(cpu, pc), Generation = _fetchGeneration,
        };
        return true;
    }

    /// <summary>After the instruction micro TLB was looked up for <paramref name="va"/>'s page (the stream entered it):
    /// the page is in it now, for this context's ASID (MMU off: nothing to look up). The stream's page needs no check
    /// (no lookup while the stream stays in it), so this is where each line's page is known.</summary>
    private void RememberFetchPage(ulong va) => RememberPage(_fetchPages, _itlb, va, _fetchGeneration);

    /// <summary>Whether the micro TLB holds <paramref name="va"/>'s page as remembered in <paramref name="pages"/> (the same
    /// entry, not filled or invalidated since) for the current ASID.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool PageHit(TlbPage[] pages, MicroTlb tlb, ulong va, ulong generation)
    {
        ref TlbPage p = ref pages[(int)(va >> 12) & (TlbPageCount - 1)];
        return p.Page == va >> 12 && p.Generation == generation && tlb.Stamps[p.TlbEntry] == p.TlbStamp
            && (p.Asid == _asid || p.Asid < 0);
    }

    /// <summary>Remembers the micro-TLB entry holding <paramref name="va"/>'s page for this context (looked up: a hit or a
    /// fill); false if there is none.</summary>
    private bool RememberPage(TlbPage[] pages, MicroTlb tlb, ulong va, ulong generation)
    {
        int entry = (_sctlr & 1) == 0 ? tlb.NoEntry : tlb.Find(va >> 12, _asid, _regime);
        if (entry < 0) return false;
        pages[(int)(va >> 12) & (TlbPageCount - 1)] = new TlbPage
        {
            Page = va >> 12, Generation = generation, TlbEntry = entry, TlbStamp = tlb.Stamps[entry],
            Asid = entry == tlb.NoEntry || tlb.IsGlobal(entry) ? -1 : _asid,
        };
        return true;
    }

    /// <summary>What makes a remembered L1I hit an L1I hit again in another translation context: the same PA, fetched as
    /// cacheable (the attribute; SCTLR.I is the same, <see cref="AdoptContext"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong FetchKey(Cpu cpu, ulong pc) => (cpu.FetchPa(pc) >> 6) | ((ulong)cpu.FetchMemAttr << 48);

    /// <summary>Whether the <paramref name="count"/> accesses of <paramref name="size"/> bytes at <paramref name="va"/>
    /// (host address <paramref name="host"/>; aligned, so each in one line) all hit remembered lines; if so counts their
    /// L1D_CACHE, as <see cref="Data"/> would, and they cost nothing beyond an L1 hit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool BlockHits(Cpu cpu, ulong va, nint host, int size, int count, bool write)
    {
        // EL0 and EL1 share the context (one regime); EL2 entered or left moves ContextEpoch.
        if (_blockL1Changes != Caches.L1D.Changes || _blockEpoch != cpu.ContextEpoch || !PageHit(_blockPages, _dtlb, va, _blockGeneration)
            || !BlockLineHit(va, host, write) || (count == 2 && !BlockLineHit(va + (ulong)size, host + size, write)))
            return false;
        cpu.PerfEvents.Add(cpu.EL, PmuEvent.L1D_CACHE, (ulong)count);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool BlockLineHit(ulong va, nint host, bool write)
    {
        ref BlockLine m = ref _blockLines[Slot(va)];
        return m.Line == va >> 6 && m.Generation == _blockGeneration && m.Host == host - (nint)(va & 63) && (m.Dirty || !write);
    }

    /// <summary>After <see cref="Data"/> for an access a block made at <paramref name="va"/> (<paramref name="pa"/>, host
    /// address <paramref name="host"/>): remembers its line if that was a hit the memo may reuse. Returns whether it was.</summary>
    internal bool RememberBlockLine(Cpu cpu, ulong va, ulong pa, nint host)
    {
        if (!_lastDataHit) return false; // else Data synced the context
        AdoptContext(cpu);
        if (_blockL1Changes != Caches.L1D.Changes)
        {
            ForgetBlockLines();
            _blockL1Changes = Caches.L1D.Changes;
        }
        // Data found the page in the micro TLB (a hit or a fill), or its memo did.
        if (!RememberPage(_blockPages, _dtlb, va, _blockGeneration)) return false;
        _blockLines[Slot(va)] = new BlockLine
        {
            Line = va >> 6, Host = host - (nint)(va & 63), Generation = _blockGeneration, Dirty = Caches.L1D.IsDirty(pa),
        };
        return true;
    }

    /// <summary>The lines' context is now the CPU's (synced: _asid, _regime and _sctlr are its); the data lines are
    /// forgotten if it differs in what matters to them, the fetch lines if its regime or SCTLR does (they check their
    /// PA and attribute themselves, and their page's micro-TLB entry by the context epoch: a context switch keeps
    /// the kernel's lines).</summary>
    private void AdoptContext(Cpu cpu)
    {
        if (_blockEpoch == cpu.ContextEpoch) return;
        var context = new BlockContext(_asid, _regime, _sctlr, cpu.EL == 2 ? cpu.MmuRegs.MAIR_EL2 : cpu.MmuRegs.MAIR_EL1,
            cpu.MmuRegs.HCR_EL2, cpu.Mmu.Tlb.Generation);
        if (context with { Asid = 0 } != _blockContext with { Asid = 0 }) ForgetBlockLines();
        if (context.Regime != _blockContext.Regime || context.Sctlr != _blockContext.Sctlr) ForgetFetchLines();
        (_blockEpoch, _blockContext) = (cpu.ContextEpoch, context);
    }

    // Lines 16 KiB apart (a copy's source and destination, say) take different slots.
    private static int Slot(ulong va) => (int)((va >> 6) ^ (va >> 14)) & (BlockLineCount - 1);

    private void ForgetBlockLines() => _blockGeneration++;

    private void ForgetFetchLines() => _fetchGeneration++;

    /// <summary>A restore: the lines and what they were remembered against (the counters may repeat another history's).</summary>
    private void ForgetBlockContext()
    {
        ForgetBlockLines();
        ForgetFetchLines();
        (_fetchL1Changes, _blockL1Changes, _blockEpoch) = (ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);
        _blockContext = default;
    }
}
