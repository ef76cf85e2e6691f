using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The lines a translated block's fetches, loads and stores hit (A53Model.FetchInBlock, A53Model.AccessInBlock), checked
/// inline in the block instead of calling the model. Fetch: a memo by VA line of recent L1I hits with the line's PA,
/// valid while the L1I has not changed (its pseudo-random replacement keeps no state on a hit). Data: a memo by VA line
/// of recent L1D hits whose page the data micro TLB held, each with the host address of its line in RAM (which names its
/// PA: a VA mapped elsewhere since does not match) and whether the line was dirty. While neither the L1D nor the micro
/// TLB has changed, another access to such a line is an L1 and micro-TLB hit, exactly what <see cref="Data"/> would
/// find: their random and round-robin replacement keep no state on a hit (an LRU L1D is never remembered). A store
/// needs its line known dirty (a store to a clean line makes it dirty, which L1D.Changes does not count). The lines hold
/// in the translation context they were remembered in (a system call keeps it: <see cref="Cpu.ContextEpoch"/>), and in a
/// later one that differs only by its context epoch (<see cref="BlockContext"/>).
/// </summary>
internal sealed partial class MemoryTiming
{
    private const int BlockLineCount = 256;
    private readonly BlockLine[] _blockLines = Enumerable.Repeat(new BlockLine { Line = ulong.MaxValue }, BlockLineCount).ToArray();
    private ulong _blockL1Changes = ulong.MaxValue, _blockTlbChanges = ulong.MaxValue, _blockEpoch = ulong.MaxValue;
    private BlockContext _blockContext;

    private const int FetchLineCount = 64;
    private readonly FetchLine[] _fetchLines = Enumerable.Repeat(new FetchLine { Line = ulong.MaxValue }, FetchLineCount).ToArray();
    private ulong _fetchL1Changes = ulong.MaxValue;

    private struct FetchLine
    {
        public ulong Line, PaLine; // VA >> 6 (or ulong.MaxValue) and PA >> 6
    }

    private struct BlockLine
    {
        public ulong Line; // VA >> 6, or ulong.MaxValue
        public nint Host;  // the host address of the line's first byte
        public bool Dirty;
    }

    /// <summary>What a remembered hit depends on in a translation context: the micro TLB's ASID and regime, SCTLR (M, C),
    /// MAIR and HCR (the attributes), and the TLB's generation (a new walk could give a page another attribute; its PA
    /// the host address checks).</summary>
    private readonly record struct BlockContext(ushort Asid, byte Regime, ulong Sctlr, ulong Mair, ulong Hcr, ulong TlbGeneration);

    /// <summary>Whether the fetch of <paramref name="pc"/>'s line hits a remembered line; if so counts its L1I_CACHE, as
    /// <see cref="Fetch"/> would, and it costs nothing beyond an L1 hit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool BlockFetchHits(Cpu cpu, ulong pc)
    {
        ref FetchLine m = ref _fetchLines[(int)(pc >> 6) & (FetchLineCount - 1)];
        if (m.Line != pc >> 6 || m.PaLine != cpu.FetchPa(pc) >> 6 || _fetchL1Changes != Caches.L1I.Changes
            || _blockEpoch != cpu.ContextEpoch)
            return false;
        cpu.PerfEvents.Add(cpu.EL, PmuEvent.L1I_CACHE);
        return true;
    }

    /// <summary>After a fetch a block asked for at <paramref name="pc"/>: remembers its line if <see cref="Fetch"/> found
    /// a hit the memo may reuse.</summary>
    internal void RememberFetchLine(Cpu cpu, ulong pc)
    {
        if (!_lastFetchHit) return; // else Fetch synced the context
        AdoptContext(cpu);
        if (_fetchL1Changes != Caches.L1I.Changes)
        {
            ForgetFetchLines();
            _fetchL1Changes = Caches.L1I.Changes;
        }
        _fetchLines[(int)(pc >> 6) & (FetchLineCount - 1)] = new FetchLine { Line = pc >> 6, PaLine = cpu.FetchPa(pc) >> 6 };
    }

    /// <summary>Whether the <paramref name="count"/> accesses of <paramref name="size"/> bytes at <paramref name="va"/>
    /// (host address <paramref name="host"/>; aligned, so each in one line) all hit remembered lines; if so counts their
    /// L1D_CACHE, as <see cref="Data"/> would, and they cost nothing beyond an L1 hit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool BlockHits(Cpu cpu, ulong va, nint host, int size, int count, bool write)
    {
        // EL0 and EL1 share the context (one regime); EL2 entered or left moves ContextEpoch.
        if (_blockL1Changes != Caches.L1D.Changes || _blockTlbChanges != _dtlb.Changes || _blockEpoch != cpu.ContextEpoch
            || !BlockLineHit(va, host, write) || (count == 2 && !BlockLineHit(va + (ulong)size, host + size, write)))
            return false;
        cpu.PerfEvents.Add(cpu.EL, PmuEvent.L1D_CACHE, (ulong)count);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool BlockLineHit(ulong va, nint host, bool write)
    {
        ref BlockLine m = ref _blockLines[Slot(va)];
        return m.Line == va >> 6 && m.Host == host - (nint)(va & 63) && (m.Dirty || !write);
    }

    /// <summary>After <see cref="Data"/> for an access a block made at <paramref name="va"/> (<paramref name="pa"/>, host
    /// address <paramref name="host"/>): remembers its line if that was a hit the memo may reuse.</summary>
    internal void RememberBlockLine(Cpu cpu, ulong va, ulong pa, nint host)
    {
        if (!_lastDataHit) return; // else Data synced the context
        AdoptContext(cpu);
        if (_blockL1Changes != Caches.L1D.Changes || _blockTlbChanges != _dtlb.Changes)
        {
            ForgetBlockLines();
            (_blockL1Changes, _blockTlbChanges) = (Caches.L1D.Changes, _dtlb.Changes);
        }
        _blockLines[Slot(va)] = new BlockLine { Line = va >> 6, Host = host - (nint)(va & 63), Dirty = Caches.L1D.IsDirty(pa) };
    }

    /// <summary>The lines' context is now the CPU's (synced: _asid, _regime and _sctlr are its); all are forgotten if
    /// it differs in what matters.</summary>
    private void AdoptContext(Cpu cpu)
    {
        if (_blockEpoch == cpu.ContextEpoch) return;
        var context = new BlockContext(_asid, _regime, _sctlr, cpu.EL == 2 ? cpu.MmuRegs.MAIR_EL2 : cpu.MmuRegs.MAIR_EL1,
            cpu.MmuRegs.HCR_EL2, cpu.Mmu.Tlb.Generation);
        if (context != _blockContext)
        {
            ForgetBlockLines();
            ForgetFetchLines();
        }
        (_blockEpoch, _blockContext) = (cpu.ContextEpoch, context);
    }

    // Lines 16 KiB apart (a copy's source and destination, say) take different slots.
    private static int Slot(ulong va) => (int)((va >> 6) ^ (va >> 14)) & (BlockLineCount - 1);

    private void ForgetBlockLines() => Array.Fill(_blockLines, new BlockLine { Line = ulong.MaxValue });

    private void ForgetFetchLines() => Array.Fill(_fetchLines, new FetchLine { Line = ulong.MaxValue });

    /// <summary>A restore: the lines and what they were remembered against (the counters may repeat another history's).</summary>
    private void ForgetBlockContext()
    {
        ForgetBlockLines();
        ForgetFetchLines();
        (_fetchL1Changes, _blockL1Changes, _blockTlbChanges, _blockEpoch) = (ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);
        _blockContext = default;
    }
}
