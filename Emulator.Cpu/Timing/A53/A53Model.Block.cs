using System.Runtime.CompilerServices;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The dynamic parts of <see cref="Retire"/> that a translated block calls; the block computes the issue itself with the
/// instruction's profile as constants (Translation/A53BlockTiming.cs).
/// </summary>
public sealed partial class A53Model
{
    /// <summary>The block's first instruction is issued by the block: Retire's rebase, which for an instruction without
    /// data accesses or exceptions is the same before it runs as after.</summary>
    internal void EnterBlock(Cpu cpu) => Rebase(cpu, cpu.Cycles);

    /// <summary>What the direct branch just run at <paramref name="pc"/> costs the stream after it (FrontEnd.Branch; the
    /// CPU's PC is its next PC).</summary>
    internal ulong BranchInBlock(Cpu cpu, ref DecodedInst inst, ulong pc) => _front.Branch(cpu, in inst, pc, cpu.PC, Stats, out _);

    /// <summary><see cref="BranchInBlock(Cpu, ref DecodedInst, ulong)"/> for a branch of <paramref name="kind"/> the block
    /// knows was <paramref name="taken"/> or not.</summary>
    internal ulong BranchInBlock(Cpu cpu, ulong pc, BranchKind kind, bool taken) => kind == BranchKind.Conditional
        ? _front.Conditional(cpu, pc, cpu.PC, taken, Stats)
        : _front.Branch(cpu, pc, cpu.PC, kind, taken, Stats, out _);

    /// <summary>When the instruction at <paramref name="pc"/>, the first of a new 64-byte line, can issue
    /// (FrontEnd.FetchCurrent). A line the block's fetches hit recently is checked here (MemoryTiming.BlockFetchHits): a
    /// micro-TLB hit (or none, in the stream's page) and an L1I hit. Out of line: inlined at every new line of every
    /// block, it made the blocks' host code larger than the host's instruction cache, which cost more than the call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal ulong FetchInBlock(Cpu cpu, ulong pc, ulong ready)
    {
        if ((pc >> 6) == _front._line)
        {
            LastHit = false; // no fetch
            return ready;
        }
        if (_memory.BlockFetchHits(cpu, pc, (pc >> 12) == _front._page))
        {
            (_front._line, _front._page) = (pc >> 6, pc >> 12);
            LastHit = true;
            return ready;
        }
        return FetchesInBlock(cpu, pc, ready);
    }

    private ulong FetchesInBlock(Cpu cpu, ulong pc, ulong ready)
    {
        Disturbances++;
        ulong at = _front.FetchCurrent(cpu, pc, ready, _memory);
        LastHit = _memory.RememberFetchLine(cpu, pc);
        return at;
    }

    /// <summary>
    /// Moved by every call of a block that may change what its fetches, loads and stores find (the caches, the
    /// micro TLBs, the translation context): a fetch or an access past the remembered lines, table walks, any
    /// instruction the model retires (its handler may have done anything). Between two equal readings, a line a
    /// block's fetch or access hit is hit again with the same cost and events, so the block counts it without a call
    /// (A53BlockTiming: the lines its last load and store hit, and each fetch line's own hit). Starts at 1: a block's
    /// locals start at 0, for no line.
    /// </summary>
    internal ulong Disturbances = 1;

    /// <summary>Whether the last <see cref="FetchInBlock"/> or <see cref="AccessInBlock"/> hit: the fetch counted an
    /// L1I hit of a cacheable line (not the stream's line, which fetches nothing), the accesses were L1 and micro-TLB
    /// hits in cacheable lines, none with more than that cost or any state change but a clean line made dirty.</summary>
    internal bool LastHit;

    /// <summary>The table walks since the last instruction (the fetch that brought the block's first one): the pipe
    /// stall they cause, as in <see cref="Retire"/>. A block calls it only when the walk log moved past _walkSeen.</summary>
    internal ulong WalksInBlock(Cpu cpu) => _walks!.Reads != _walkSeen ? ChargeWalks(cpu) : 0;

    /// <summary>
    /// What the accesses of an inline load or store (Translation/Inline/LoadStoreForms.cs) add, as in <see cref="Retire"/>;
    /// the block did not log them: <paramref name="count"/> (1, or 2 for a pair) consecutive accesses of <paramref name="size"/>
    /// bytes from <paramref name="va"/> (host address <paramref name="host"/>), aligned and in one page the RAM fast path
    /// holds, so neither misaligned nor crossing a line, and no table walk for them (the block's first instruction charges
    /// its fetch's walks after, <see cref="WalksInBlock"/>, in Retire's order). What every such access counts (the access
    /// count, MEM_ACCESS, LD_RETIRED or ST_RETIRED) the block adds on its way out (<see cref="CountInBlock"/>). Returns the
    /// pipe stall; the extra result latency in <see cref="AccessLatency"/> (a store's is 0, as its unit occupancy always
    /// is here). Lines the block's accesses hit recently are checked here (MemoryTiming.BlockHits); out of line, as
    /// <see cref="FetchInBlock"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal ulong AccessInBlock(Cpu cpu, ulong va, nint host, int size, int count, bool write)
    {
        if (_memory.BlockHits(cpu, va, host, size, count, write))
        {
            AccessLatency = 0;
            LastHit = true;
            return 0;
        }
        return AccessesInBlock(cpu, va, host, size, count, write);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong AccessesInBlock(Cpu cpu, ulong va, nint host, int size, int count, bool write)
    {
        Disturbances++;
        var a = cpu.FastAccess(va, size, write);
        ulong extra = _memory.Data(cpu, in a);
        LastHit = _memory.RememberBlockLine(cpu, va, a.Pa, host);
        if (count == 2)
        {
            a = a with { Va = va + (ulong)size, Pa = a.Pa + (ulong)size };
            extra = Max(extra, _memory.Data(cpu, in a));
            LastHit &= _memory.RememberBlockLine(cpu, a.Va, a.Pa, host + size);
        }
        AccessLatency = write ? 0 : extra;
        return _memory.TakeStall();
    }

    /// <summary>The extra result latency of the last <see cref="AccessInBlock"/>, read by the block right after the call:
    /// a field, not an out parameter, whose local's address would keep RyuJIT from holding the block's temporaries in
    /// registers.</summary>
    internal ulong AccessLatency;

    /// <summary>
    /// What the block's inline loads and stores since it last wrote the pipeline back count, added on its way out or
    /// before anything that could read them (a handler, the model's Retire): <paramref name="accesses"/> data accesses
    /// (each a MEM_ACCESS, none logged) by <paramref name="loads"/> loads and <paramref name="stores"/> stores, and the
    /// <paramref name="bus"/> accesses of the MMU-off fetches and accesses it predicted (<see cref="PredictsFlat"/>), and
    /// the events of the direct branches it predicted not predicted: <paramref name="conditional"/> conditional ones, and
    /// an <paramref name="unconditional"/> one (its kind + 1, 0 for none), and the L1I and L1D hits it counted without a
    /// call (<paramref name="fetchHits"/>, <paramref name="dataHits"/>: <see cref="Disturbances"/>), and the loop back edges it
    /// predicted without one (<paramref name="steadyBranches"/>, FrontEnd.TakenSteadily: a BR_PRED and a BR_IMMED_RETIRED each).
    /// The totals then equal the interpreter's, which
    /// counts each as it retires. An alarm on these events must be seen at the access that reaches it, so translated
    /// blocks do not run while one is armed (<see cref="CountedOnExit"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CountInBlock(Cpu cpu, long loads, long stores, long accesses, int bus, int conditional, int unconditional,
        long fetchHits, long dataHits, long steadyBranches)
    {
        cpu.CountUnloggedAccesses(accesses);
        _accessSeen = cpu.AccessCount;
        var e = cpu.PerfEvents;
        int el = cpu.EL;
        // No alarm is armed on these events while a block runs (the run loop interprets then): no thresholds to compare.
        e.AddUnarmed(el, PmuEvent.MEM_ACCESS, (ulong)accesses);
        e.AddUnarmed(el, PmuEvent.LD_RETIRED, (ulong)loads);
        e.AddUnarmed(el, PmuEvent.ST_RETIRED, (ulong)stores);
        if ((bus | conditional | unconditional) != 0) CountFlatInBlock(cpu, bus, conditional, unconditional);
        if ((fetchHits | dataHits | steadyBranches) != 0)
        {
            e.AddUnarmed(el, PmuEvent.L1I_CACHE, (ulong)fetchHits);
            e.AddUnarmed(el, PmuEvent.L1D_CACHE, (ulong)dataHits);
            e.AddUnarmed(el, PmuEvent.BR_PRED, (ulong)steadyBranches);
            e.AddUnarmed(el, PmuEvent.BR_IMMED_RETIRED, (ulong)steadyBranches);
        }
    }

    /// <summary>The bus accesses and the direct branches a block predicted with the MMU off (<see cref="CountInBlock"/>):
    /// each branch not predicted (FrontEnd.Branch with prediction disabled) is a BR_MIS_PRED and a BR_IMMED_RETIRED.</summary>
    private void CountFlatInBlock(Cpu cpu, int bus, int conditional, int unconditional)
    {
        var e = cpu.PerfEvents;
        int el = cpu.EL;
        e.AddUnarmed(el, PmuEvent.BUS_ACCESS, (ulong)bus);
        int branches = conditional + (unconditional != 0 ? 1 : 0);
        if (branches == 0) return;
        e.AddUnarmed(el, PmuEvent.BR_MIS_PRED, (ulong)branches);
        e.AddUnarmed(el, PmuEvent.BR_IMMED_RETIRED, (ulong)branches);
        Stats.MispredictsByKind[(int)BranchKind.Conditional] += (ulong)conditional;
        if (unconditional != 0) Stats.MispredictsByKind[unconditional - 1]++;
    }

    /// <summary>The events <see cref="CountInBlock"/> adds late: while a PMU alarm is armed on one (PerformanceEvents.Armed),
    /// the run loop interprets instead of entering translated blocks (Cpu.RunTranslated).</summary>
    internal const ulong CountedOnExit = (1UL << (int)PmuEvent.MEM_ACCESS) | (1UL << (int)PmuEvent.LD_RETIRED)
        | (1UL << (int)PmuEvent.ST_RETIRED) | (1UL << (int)PmuEvent.BUS_ACCESS) | (1UL << (int)PmuEvent.BR_MIS_PRED)
        | (1UL << (int)PmuEvent.BR_IMMED_RETIRED) | (1UL << (int)PmuEvent.BR_PRED) | (1UL << (int)PmuEvent.L1I_CACHE)
        | (1UL << (int)PmuEvent.L1D_CACHE);

    /// <summary>The MMU-off costs a block translated now may predict (MemoryTiming.FlatDataEpoch): null unless the CPU's
    /// present translation context has stage 1 off, Device data and Non-cacheable fetches. Remembers the context, so
    /// that blocks predicting it find their checks hold.</summary>
    internal FlatCosts? PredictsFlat(Cpu cpu)
    {
        _memory.RememberFlat(cpu);
        return _memory.FlatDataEpoch == cpu.ContextEpoch && _memory.FlatDataEl == cpu.EL
            && _memory.FlatFetchEpoch == cpu.ContextEpoch && _memory.FlatFetchEl == cpu.EL
                ? new FlatCosts(_memory.DeviceExtra, _memory.FetchExtra)
                : null;
    }
}

/// <summary>What a Device data access adds to a load's result latency and what a Non-cacheable line fetch delays the
/// stream with, with the MMU off: constants a translated block may build in (A53Model.PredictsFlat).</summary>
internal sealed record FlatCosts(ulong DeviceExtra, ulong FetchExtra);
