using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The Cortex-A53 r0p4 timing model (`--timing a53`): an in-order, dual-issue pipeline with a register scoreboard,
/// the A53's pairing rules and measured latencies (<see cref="IssueProfile"/>), branch prediction and a front end
/// (<see cref="FrontEnd"/>), and the memory hierarchy behind the loads, stores, fetches and walks
/// (<see cref="MemoryTiming"/>). The clock it keeps is the issue cycle of the youngest instruction: an instruction
/// that dual-issues costs 0 cycles, one that waits costs the wait. Figures and sources: docs/TIMING.md.
/// </summary>
// SkipLocalsInit: Retire runs once per instruction, and zeroing its frame in the prologue was a measurable part of
// it. C# already requires every local to be assigned before it is read (there is no stackalloc here), so nothing
// can observe the difference.
[SkipLocalsInit]
public sealed partial class A53Model : ITimingModel
{
    public string Name => "a53";
    public bool WantsAccessLog => true;

    public A53Config Config { get; }
    public A53Statistics Stats { get; } = new();

    /// <summary>Receives every instruction's pipeline timeline (for --pipeview); null costs one test per instruction.</summary>
    public IPipelineObserver? Observer { get; set; }

    /// <summary>The issue cycle and slot (0 or 1) of the last retired instruction, for the tracer.</summary>
    public ulong LastIssueCycle => _cycle;
    public int LastSlot { get => _lastSlot; private set => _lastSlot = value; }

    // ---- pipeline state: absolute cycles on the machine clock. Internal: translated blocks keep the scalars in
    // locals between calls of Retire (Translation/A53BlockTiming.cs). ----
    internal ulong _cycle;                      // issue cycle of the youngest instruction
    internal int _slotsUsed = 2;                // slots taken in _cycle (2: the next instruction starts a new cycle)
    internal IssueUnit _slot0;                  // the unit of what issued in slot 0 of _cycle
    internal int _lastSlot;
    // When each register's value can be consumed, indexed by any register id (0..255): ids past the tracked registers
    // (StaticOperands.None among them) read 0 and are never written, except Sink, which no operand names.
    internal readonly ulong[] _ready = new ulong[256];
    private const byte Sink = 0xFE;
    internal readonly ulong[] _unitFree = new ulong[16];               // per IssueUnit: first cycle it accepts a new op
    internal ulong _fetchReady;                 // first cycle the front end can deliver the next instruction
    internal ulong _drained;                    // when every issued instruction has its result (for serialising ones)
    private ulong _accessSeen, _walkSeen, _exceptionsSeen, _returnsSeen;
    private Mmu.WalkLog? _walks;

    public A53Model(A53Config? config = null)
    {
        Config = config ?? new A53Config();
        _memory = new MemoryTiming(Config);
        _front = new FrontEnd(Config);
    }

    /// <summary>The PMU events this model counts (beside the CPU's own: cycles, instructions, exceptions).</summary>
    public static readonly PmuEvent[] EventsCounted =
    [
        PmuEvent.L1I_CACHE_REFILL, PmuEvent.L1I_TLB_REFILL, PmuEvent.L1D_CACHE_REFILL, PmuEvent.L1D_CACHE, PmuEvent.L1D_TLB_REFILL,
        PmuEvent.LD_RETIRED, PmuEvent.ST_RETIRED, PmuEvent.BR_IMMED_RETIRED, PmuEvent.BR_RETURN_RETIRED,
        PmuEvent.UNALIGNED_LDST_RETIRED, PmuEvent.BR_MIS_PRED, PmuEvent.BR_PRED, PmuEvent.MEM_ACCESS, PmuEvent.L1I_CACHE,
        PmuEvent.L1D_CACHE_WB, PmuEvent.L2D_CACHE, PmuEvent.L2D_CACHE_REFILL, PmuEvent.L2D_CACHE_WB, PmuEvent.BUS_ACCESS,
    ];

    public void Attach(Cpu cpu)
    {
        _walks = cpu.Mmu.WalkLog;
        foreach (var e in EventsCounted) cpu.PerfEvents.Implemented |= 1UL << (int)e;
        Rebase(cpu, cpu.Cycles);
    }

    public ulong Retire(Cpu cpu, ref DecodedInst inst, ulong pc)
    {
        Disturbances++;
        ulong start = cpu.Cycles;
        if (start != _cycle) Rebase(cpu, start);
        int el = cpu.EL;
        ref readonly IssueProfile p = ref IssueProfile.Cached(ref inst);

        // The stream delivers it (an L1I or micro-TLB miss delays it), then the latest source register decides. A
        // store's data (Rt, and Rt2 of a pair) is read a cycle after issue (str -> ldr forwarding: 3.01).
        ulong fetched = _front.FetchCurrent(cpu, pc, _fetchReady, _memory);
        ulong earliest = fetched;
        if (p.AccumulatorLate != 0) earliest = Max(earliest, AccumulatingSources(in inst, in p));
        else
        {
            earliest = Max(earliest, ReadyFor(inst.Src0));
            earliest = Max(earliest, ReadyFor(inst.Src3));
            ulong src1 = ReadyFor(inst.Src1), src2 = ReadyFor(inst.Src2);
            if ((inst.Flags & InstFlags.Store) != 0)
            {
                src1 = src1 > 0 ? src1 - 1 : 0;
                if ((inst.Flags & InstFlags.Pair) != 0) src2 = src2 > 0 ? src2 - 1 : 0;
            }
            earliest = Max(earliest, Max(src1, src2));
        }
        earliest = Max(earliest, UnitFree(p.Pipe));
        if (p.Unit == IssueUnit.Serialising) earliest = Max(earliest, _drained);

        // Slot 1 beside the older instruction when it is free, everything is ready and the pairing rules allow.
        // (_slotsUsed == 1 only after an instruction that may share its cycle: IssueProfile.CanPair's first half.)
        bool dual = _slotsUsed == 1 && earliest <= _cycle && ((p.Slot1After >> (int)_slot0) & 1) != 0;
        ulong issue = dual ? _cycle : Max(earliest, _cycle + 1);
        LastSlot = dual ? 1 : 0;
        if (!dual) _slot0 = p.Unit;
        _slotsUsed = dual || p.SingleIssue ? 2 : 1;

        // Memory: every access this instruction made, through the micro-TLB, the caches and any walk.
        ulong latency = p.Latency, latency2 = p.Latency2, occupancy = p.Occupancy, stall = 0;
        if (cpu.AccessCount != _accessSeen)
        {
            var cost = ChargeAccesses(cpu, el, p.Unit == IssueUnit.LoadStore && (inst.Raw & (1u << 26)) != 0);
            latency += cost.Latency;
            if (latency2 != 0) latency2 += cost.Latency;
            occupancy += cost.Occupancy;
            stall = cost.Stall;
        }
        if (_walks!.Reads != _walkSeen) stall += ChargeWalks(cpu);
        if (p.Unit == IssueUnit.Divide) occupancy = latency = DivideLatency(cpu, in inst);

        ulong done = issue + stall + latency;
        Write(inst.Dst0, done);
        Write(inst.Dst1, (inst.Flags & InstFlags.Pair) != 0 ? issue + stall + (latency2 == 0 ? latency : latency2) : done);
        Write(inst.Dst2, issue + 1); // base writeback: the address adder's result
        // Two ALUs, two halves of the FP/SIMD datapath: only the single units, a longer hold and a stall keep the next user out.
        if (!p.Shared || occupancy > 1 || stall != 0) UnitFree(p.Pipe) = issue + stall + occupancy;
        _drained = Max(_drained, Max(done, issue + stall + occupancy));
        if (p.Unit == IssueUnit.Serialising) _drained = Max(_drained, issue + 1);

        // Front end for the next instruction: a stall holds everything younger; a taken branch, a mispredict, an
        // exception or an ERET redirects the stream.
        ulong redirect = stall == 0 ? 0 : issue + stall + 1;
        bool redirected = true;
        if (cpu.ExceptionsTaken != _exceptionsSeen || cpu.ExceptionReturns != _returnsSeen)
        {
            _exceptionsSeen = cpu.ExceptionsTaken;
            _returnsSeen = cpu.ExceptionReturns;
            _front.Redirect();
            redirect = issue + stall + 1 + (ulong)Config.ExceptionRedirectCycles;
        }
        else if ((inst.Flags & InstFlags.Branch) != 0)
        {
            ulong lost = _front.Branch(cpu, in inst, pc, cpu.PC, Stats, out redirected);
            if (lost != 0) redirect = issue + stall + 1 + lost;
        }
        else if (p.Unit == IssueUnit.Serialising && Maintenance(inst.Raw))
            redirect = issue + stall + 1 + (ulong)Config.ExceptionRedirectCycles;
        else redirected = false;
        _fetchReady = Max(_fetchReady, redirect);

        if (dual) Stats.DualIssued++;
        if (Observer is { } observer) Observe(observer, pc, inst.Raw, fetched, issue, LastSlot, done, redirected);
        _cycle = issue;
        return issue - start;
    }

    // Out of line: the record is built only for --pipeview, and Retire's frame stays small without it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Observe(IPipelineObserver observer, ulong pc, uint raw, ulong fetched, ulong issue, int slot, ulong done,
        bool redirected) => observer.OnRetire(new PipelineRecord(pc, raw, fetched, issue, slot, done, redirected));

    public ulong ExceptionBetweenInstructions(Cpu cpu)
    {
        ulong start = cpu.Cycles;
        if (start != _cycle) Rebase(cpu, start);
        _exceptionsSeen = cpu.ExceptionsTaken;
        // The interrupted stream is discarded and the vector fetched: the same refill as a redirect at execute.
        ulong end = Max(_fetchReady, _cycle + 1) + (ulong)Config.ExceptionRedirectCycles;
        _front.Redirect();
        _fetchReady = end;
        _cycle = end;
        _slotsUsed = 2;
        return end - start;
    }

    public ulong Sleep(Cpu cpu, ulong until)
    {
        ulong now = cpu.Cycles;
        Stats.SleptCycles += until - now;
        return until - now;
    }

    /// <summary>
    /// What a serialising instruction does to the model's own state: TLBI empties the micro-TLBs and walk cache,
    /// IC IALLU(IS) the L1I. True when it also refetches the stream: ISB (context synchronisation, Arm ARM C6.2.98).
    /// </summary>
    private bool Maintenance(uint raw)
    {
        if ((raw & 0xFFFF_F0FF) == 0xD503_30DF) return true; // ISB
        if ((raw & 0xFFF8_0000) != 0xD508_0000) return false; // SYS
        uint crn = (raw >> 12) & 0xF, crm = (raw >> 8) & 0xF, op1 = (raw >> 16) & 7, op2 = (raw >> 5) & 7;
        if (crn == 8) _memory.InvalidateTranslations();
        else if (crn == 7 && op1 == 0 && op2 == 0 && (crm == 1 || crm == 5)) _memory.Caches.InstructionInvalidateAll();
        return false;
    }

    /// <summary>The clock moved without us (a sleep, a warp): the pipeline has drained since.</summary>
    private void Rebase(Cpu cpu, ulong now)
    {
        if (now < _cycle) Array.Clear(_ready); // warped backwards (tests): nothing in flight any more
        if (now < _cycle) Array.Clear(_unitFree);
        if (now < _cycle) _fetchReady = _drained = 0;
        _cycle = now;
        _slotsUsed = 2;
        _accessSeen = cpu.AccessCount;
        _walkSeen = cpu.Mmu.WalkLog.Reads;
        _exceptionsSeen = cpu.ExceptionsTaken;
        _returnsSeen = cpu.ExceptionReturns;
    }

    /// <summary>
    /// When a multiply-accumulate's sources are ready, its accumulator read <see cref="IssueProfile.AccumulatorLate"/>
    /// cycles after issue (the others at issue). A register that is also a multiplicand is needed at issue.
    /// Out of line: only these instructions take it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong AccumulatingSources(in DecodedInst inst, in IssueProfile p)
    {
        byte accumulator = (byte)(StaticOperands.V0 + (p.AccumulatorIsRa ? inst.Ra : inst.Rd));
        ReadOnlySpan<byte> sources = [inst.Src0, inst.Src1, inst.Src2, inst.Src3];
        ulong late = sources.Count(accumulator) == 1 ? p.AccumulatorLate : 0UL, earliest = 0;
        foreach (byte src in sources)
        {
            ulong ready = ReadyFor(src);
            if (src == accumulator) ready = ready > late ? ready - late : 0;
            earliest = Max(earliest, ready);
        }
        return earliest;
    }

    // A byte indexes the 256 entries: no bounds check and no branch on whether the operand exists.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadyFor(byte reg) => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_ready), reg);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Write(byte reg, ulong when) =>
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_ready), reg < StaticOperands.Count ? reg : Sink) = when;

    // IssueUnit has fewer than 16 values and the array 16 elements: the index is always in range, so no bounds check.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref ulong UnitFree(IssueUnit unit) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_unitFree), (int)unit & 15);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Max(ulong a, ulong b) => a > b ? a : b;

    /// <summary>
    /// The divider terminates early: 3 cycles for the measured 1/1 (insn_bench), plus one per 4 bits of quotient
    /// beyond the first (gem5 HPI: issue 3 + (bitlen(n) - bitlen(d)) / 4; bitlen(n) - bitlen(d) is the quotient's
    /// length or one less). The quotient is the instruction's result, still in Rd after it retired.
    /// </summary>
    private static ulong DivideLatency(Cpu cpu, in DecodedInst i)
    {
        ulong q = i.Rd == 31 ? 0 : cpu.X[i.Rd];
        if ((i.Flags & InstFlags.Is64) == 0) q = (uint)q;
        bool signed = (i.Raw & (1u << 10)) != 0;
        // The magnitude, wrapping for the most negative quotient (no host exception on any guest value).
        if (signed) q = (i.Flags & InstFlags.Is64) != 0 ? ((long)q < 0 ? 0 - q : q) : ((int)q < 0 ? (uint)(0 - (uint)q) : q);
        int bits = 64 - BitOperations.LeadingZeroCount(q);
        return IssueProfile.DivideBase + (ulong)(bits > 1 ? (bits - 1) / 4 : 0);
    }
}
