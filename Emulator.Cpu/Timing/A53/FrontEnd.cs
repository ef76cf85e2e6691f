using System.Runtime.CompilerServices;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Instructions;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The A53's fetch side as the model sees it: which instruction-cache line and page the stream is in (an L1I or
/// micro-TLB miss delays the instruction that needs it) and what each branch costs the stream after it.
/// </summary>
[SkipLocalsInit] // per-access/per-branch paths; every local is assigned before use (no stackalloc)
internal sealed partial class FrontEnd(A53Config config)
{
    public A53Config Config { get; } = config;
    // Internal: a translated block predicting MMU-off fetches moves them itself (Translation/A53BlockTiming.cs).
    internal ulong _line = ulong.MaxValue, _page = ulong.MaxValue;

    /// <summary>The stream was discarded (exception, ERET): the next fetch looks its line and page up again.</summary>
    public void Redirect() => _line = _page = ulong.MaxValue;

    /// <summary>When the instruction at <paramref name="pc"/> can issue, given the stream could deliver it at <paramref name="ready"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong FetchCurrent(Cpu cpu, ulong pc, ulong ready, MemoryTiming memory) =>
        (pc >> 6) == _line ? ready : FetchNewLine(cpu, pc, ready, memory);

    private ulong FetchNewLine(Cpu cpu, ulong pc, ulong ready, MemoryTiming memory)
    {
        _line = pc >> 6;
        ulong extra = 0;
        ulong page = pc >> 12;
        if (page != _page)
        {
            _page = page;
            extra += memory.InstructionTlb(cpu, pc);
        }
        extra += memory.Fetch(cpu, cpu.FetchPa(pc));
        return ready + extra;
    }

    /// <summary>
    /// Cycles the stream loses after the branch beyond its own issue cycle (0 when it flows on): the predictor's
    /// verdict priced by <see cref="BranchPenalty"/>. Prediction works only with the MMU on (A53 TRM §6.4).
    /// </summary>
    /// <param name="mispredicted">The stream after it was discarded (mispredicted or not predicted and taken).</param>
    public ulong Branch(Cpu cpu, in DecodedInst inst, ulong pc, ulong next, A53Statistics stats, out bool mispredicted) =>
        Branch(cpu, pc, next, KindOf(inst.Raw), Taken(cpu, in inst), stats, out mispredicted);

    /// <summary><see cref="Branch(Cpu, in DecodedInst, ulong, ulong, A53Statistics, out bool)"/> with the branch's kind and
    /// whether it was taken known (a translated block's direct branch).</summary>
    public ulong Branch(Cpu cpu, ulong pc, ulong next, BranchKind kind, bool taken, A53Statistics stats, out bool mispredicted)
    {
        ulong sctlr = cpu.EL == 2 ? cpu.MmuRegs.SCTLR_EL2 : cpu.MmuRegs.SCTLR_EL1;
        var p = _predictor.Resolve(pc, kind, taken, next, (sctlr & 1) != 0);
        var e = cpu.PerfEvents;
        if (p.BrPred) e.Add(cpu.EL, PmuEvent.BR_PRED);
        if (p.BrMisPred) { e.Add(cpu.EL, PmuEvent.BR_MIS_PRED); stats.MispredictsByKind[(int)kind]++; }
        if (kind is BranchKind.Unconditional or BranchKind.Call or BranchKind.Conditional) e.Add(cpu.EL, PmuEvent.BR_IMMED_RETIRED);
        else if (kind == BranchKind.Return) e.Add(cpu.EL, PmuEvent.BR_RETURN_RETIRED);
        if (taken) _line = ulong.MaxValue; // the target's line is looked up afresh
        mispredicted = p.Outcome == BranchOutcome.Mispredicted || (p.Outcome == BranchOutcome.NotPredicted && taken);
        return (ulong)p.BubbleCycles;
    }

    /// <summary>
    /// <see cref="Branch(Cpu, ulong, ulong, BranchKind, bool, A53Statistics, out bool)"/> for a conditional direct branch
    /// (most of a translated block's, the only caller): the same verdict, events and state, without the dispatch on the kind. It repeats
    /// Branch's counting with the kind a constant: one helper for both, inlined, made the boot 5 % slower (2 x 4-5
    /// interleaved runs).
    /// </summary>
    public ulong Conditional(Cpu cpu, ulong pc, ulong next, bool taken, A53Statistics stats)
    {
        int el = cpu.EL;
        if (((el == 2 ? cpu.MmuRegs.SCTLR_EL2 : cpu.MmuRegs.SCTLR_EL1) & 1) == 0)
            return Branch(cpu, pc, next, BranchKind.Conditional, taken, stats, out _); // not predicted
        var outcome = _predictor.ConditionalOutcome(pc, taken, next);
        var e = cpu.PerfEvents;
        e.Add(el, PmuEvent.BR_PRED);
        if (outcome == BranchOutcome.Mispredicted)
        {
            e.Add(el, PmuEvent.BR_MIS_PRED);
            stats.MispredictsByKind[(int)BranchKind.Conditional]++;
        }
        e.Add(el, PmuEvent.BR_IMMED_RETIRED);
        if (taken) _line = ulong.MaxValue;
        return (ulong)BranchPenalty.For(outcome, BranchKind.Conditional, taken);
    }

    /// <summary>
    /// <see cref="Conditional"/> for a branch taken to <paramref name="target"/>, with prediction on, when that changes no
    /// predictor state but the global history (<see cref="BranchPredictor.TrainSteadyTaken"/>): a loop's back edge, most
    /// passes. Returns false, having done nothing, otherwise. If so, the history is trained and the stream redirected;
    /// the verdict, CorrectTakenEarly, costs nothing (<see cref="BranchPenalty.CorrectTakenEarlyBubble"/>), and its
    /// BR_PRED and BR_IMMED_RETIRED are the caller's to count. Inlined into translated blocks (Translation/A53BlockTiming.cs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TakenSteadily(Cpu cpu, ulong pc, ulong target)
    {
        if (((cpu.EL == 2 ? cpu.MmuRegs.SCTLR_EL2 : cpu.MmuRegs.SCTLR_EL1) & 1) == 0 || !_predictor.TrainSteadyTaken(pc, target))
            return false;
        _line = ulong.MaxValue;
        return true;
    }

    /// <summary>
    /// Whether the branch was taken. Not from the next PC: a taken branch to pc + 4 (insn_bench's kernels) lands
    /// where a not-taken one would. Conditional branches write no register, so their condition still holds its
    /// value at retire (Arm ARM C6.2: B.cond ConditionHolds, CBZ/CBNZ, TBZ/TBNZ); every other branch is taken.
    /// </summary>
    private static bool Taken(Cpu cpu, in DecodedInst i)
    {
        uint raw = i.Raw;
        if ((raw & 0xFF00_0010) == 0x5400_0000) return Conditions.Holds(raw & 0xF, cpu.Nzcv);
        bool nonZeroForm = ((raw >> 24) & 1) != 0;
        if ((raw & 0x7E00_0000) == 0x3400_0000) return (cpu.Reg(i.Rt, i.Sf) == 0) != nonZeroForm;
        if ((raw & 0x7E00_0000) == 0x3600_0000)
        {
            int bit = (int)(((raw >> 26) & 0x20) | ((raw >> 19) & 0x1F));
            return ((cpu.Xr(i.Rt) >> bit) & 1) != 0 == nonZeroForm;
        }
        return true;
    }

    private readonly BranchPredictor _predictor = new(config.Predictor);

    /// <summary>The predictor's kind of an A64 branch (C4.1.3): B/BL, BR/BLR/RET, else conditional.</summary>
    public static BranchKind KindOf(uint raw)
    {
        if ((raw & 0x7C00_0000) == 0x1400_0000) return (raw >> 31) != 0 ? BranchKind.Call : BranchKind.Unconditional;
        if ((raw & 0xFE00_0000) == 0xD600_0000)
            return ((raw >> 21) & 0xF) switch { 0b0001 => BranchKind.IndirectCall, 0b0010 => BranchKind.Return, _ => BranchKind.Indirect };
        return BranchKind.Conditional;
    }
}
