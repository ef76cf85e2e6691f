using System.Reflection;
using System.Reflection.Emit;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Timing.A53;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>
/// The A53 model's per-block static part. For an instruction generated inline, the block runs the model's issue step
/// (<see cref="A53Model.Retire"/>) itself, with what translation knows as constants: the instruction's profile and
/// operands, and whether it is in the 64-byte fetch line of the one before. The pipeline's times (the issue cycle, when
/// the stream delivers, when each register written here is ready) are <see cref="Time"/>s: translation compares them
/// where it can (<see cref="BlockTimes"/>), so most dual-issue decisions and most waits cost no host instruction; what
/// it cannot compare is computed at run time. Scoreboard entries are still written to the model's arrays as they
/// change (a later read takes the time translation holds); the scalars go back to the model's fields on every way out
/// (<see cref="Save"/>, <see cref="Leave"/>, <see cref="Bail"/>). What depends on the run is a call into the model, or,
/// with the MMU off, a constant the block predicts (<see cref="A53Model.PredictsFlat"/>): a new fetch line
/// (<see cref="A53Model.FetchInBlock"/>), the data accesses through TLBs and caches (<see cref="A53Model.AccessInBlock"/>),
/// the table walks of the fetch that brought the block's first instruction (<see cref="A53Model.WalksInBlock"/>), a
/// direct branch's prediction (<see cref="A53Model.BranchInBlock"/>). Any other instruction calls Retire, which reads
/// the state from the model: <see cref="Release"/> writes it back before.
/// <para>Equivalence with Retire: an inline form cannot take an exception (a load or store whose fast path does not
/// apply leaves the block before running), so Retire's exception and ERET redirects do not arise, and it is not
/// serialising. The model's clock equals cpu.Cycles after any Retire, so only the block's first instruction may find
/// it moved (a sleep between blocks): it rebases as Retire would, which is the same before it runs as after when it
/// makes no data access; a first load or store is left to the interpreter then (<see cref="BranchIfClockMoved"/>).
/// Tests/Engines compares both engines to the cycle.</para>
/// </summary>
internal sealed class A53BlockTiming
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private static readonly FieldInfo CycleField = Field(nameof(A53Model._cycle)), SlotsField = Field(nameof(A53Model._slotsUsed)),
        Slot0Field = Field(nameof(A53Model._slot0)), LastSlotField = Field(nameof(A53Model._lastSlot)),
        FetchReadyField = Field(nameof(A53Model._fetchReady)), DrainedField = Field(nameof(A53Model._drained)),
        ReadyField = Field(nameof(A53Model._ready)), UnitFreeField = Field(nameof(A53Model._unitFree)),
        AccessLatencyField = Field(nameof(A53Model.AccessLatency)), DisturbancesField = Field(nameof(A53Model.Disturbances)),
        LastHitField = Field(nameof(A53Model.LastHit));
    private static readonly FieldInfo StatsField = typeof(A53Model).GetField($"<{nameof(A53Model.Stats)}>k__BackingField", Instance)!;
    private static readonly FieldInfo DualIssued = typeof(A53Statistics).GetField(nameof(A53Statistics.DualIssued))!;
    private static readonly MethodInfo FetchInBlock = typeof(A53Model).GetMethod(nameof(A53Model.FetchInBlock), Instance)!;
    private static readonly MethodInfo WalksInBlock = typeof(A53Model).GetMethod(nameof(A53Model.WalksInBlock), Instance)!;
    private static readonly FieldInfo WalksField = Field("_walks"), WalkSeenField = Field("_walkSeen"),
        WalkReadsField = typeof(Mmu.WalkLog).GetField("<Reads>k__BackingField", Instance)!;
    private static readonly MethodInfo AccessInBlock = typeof(A53Model).GetMethod(nameof(A53Model.AccessInBlock), Instance)!;
    private static readonly MethodInfo EnterBlock = typeof(A53Model).GetMethod(nameof(A53Model.EnterBlock), Instance)!;
    private static readonly MethodInfo BranchInBlock = typeof(A53Model).GetMethod(nameof(A53Model.BranchInBlock), Instance,
        [typeof(Cpu), typeof(DecodedInst).MakeByRefType(), typeof(ulong)])!;
    private static readonly MethodInfo KnownBranchInBlock = typeof(A53Model).GetMethod(nameof(A53Model.BranchInBlock), Instance,
        [typeof(Cpu), typeof(ulong), typeof(BranchKind), typeof(bool)])!;
    private static readonly MethodInfo CountInBlock = typeof(A53Model).GetMethod(nameof(A53Model.CountInBlock), Instance)!;
    private static readonly MethodInfo TakenSteadily = typeof(FrontEnd).GetMethod(nameof(FrontEnd.TakenSteadily), Instance)!;
    private static readonly FieldInfo MemoryField = typeof(A53Model).GetField("_memory", Instance)!, FrontField = typeof(A53Model).GetField("_front", Instance)!;
    private static readonly FieldInfo LineField = typeof(FrontEnd).GetField(nameof(FrontEnd._line), Instance)!,
        PageField = typeof(FrontEnd).GetField(nameof(FrontEnd._page), Instance)!;
    private static readonly FieldInfo FlatDataEpoch = typeof(MemoryTiming).GetField(nameof(MemoryTiming.FlatDataEpoch), Instance)!,
        FlatDataEl = typeof(MemoryTiming).GetField(nameof(MemoryTiming.FlatDataEl), Instance)!,
        FlatFetchEpoch = typeof(MemoryTiming).GetField(nameof(MemoryTiming.FlatFetchEpoch), Instance)!,
        FlatFetchEl = typeof(MemoryTiming).GetField(nameof(MemoryTiming.FlatFetchEl), Instance)!;
    private static readonly FieldInfo Epoch = BlockEmitter.BackingField(nameof(Cpu.ContextEpoch)), El = BlockEmitter.BackingField(nameof(Cpu.EL));
    private static readonly FieldInfo Mispredicted = typeof(Cpu).GetField(nameof(Cpu.BlockMispredicted), Instance)!;
    private static readonly MethodInfo ExecuteFromBlock = typeof(Cpu).GetMethod(nameof(Cpu.ExecuteFromBlock), Instance)!;

    private readonly BlockEmitter _e;
    private readonly ILGenerator _il;
    private readonly BlockTimes _times;
    private readonly LocalBuilder _model, _readyArray, _unitFreeArray, _memory, _front;
    private readonly FlatCosts? _flat;
    private readonly List<Action> _stubs;
    // The pipeline's small integers where translation does not know them (State: null), and the dual issues it did not decide.
    private readonly LocalBuilder _slots, _slot0, _lastSlot, _dualRun, _value;
    // The L1I and L1D hits counted without a call since the state was last written back (A53Model.Disturbances), the
    // loop's back edges predicted without one (FrontEnd.TakenSteadily), and whether any site may count them.
    private readonly LocalBuilder _fetchHits, _dataHits, _steadyBranches;
    private readonly ulong _start; // the block's first address
    private bool _hitsCounted;
    // A self-loop's passes' counts not yet added (DeferLoopCounts): instructions, loads, stores, data accesses.
    private (LocalBuilder Retired, LocalBuilder Loads, LocalBuilder Stores, LocalBuilder Accesses)? _loop;
    // The line the block's last load (store) hit and A53Model.Disturbances right after (0: none).
    private (LocalBuilder Line, LocalBuilder Seen)? _loadLine, _storeLine;

    /// <summary>Whether the pipeline's state is the block's (else the model's fields hold it).</summary>
    public bool Live { get; private set; }

    /// <summary>What the instructions issued here count, added to the machine only when the state is written back:
    /// cpu.Retired, the accesses of the loads and stores, the bus accesses and the direct branches whose MMU-off costs the
    /// block predicted (<see cref="A53Model.CountInBlock"/>): the conditional ones (a superblock has several), and the
    /// kind + 1 of an unconditional one (B, BL), which only ends a block. Nothing reads them in between: a handler or the
    /// model's Retire runs only after <see cref="Release"/>.</summary>
    public readonly record struct Counts(int Retired, int Loads, int Stores, int Accesses, int Bus, int Conditional, int Unconditional);

    /// <summary>
    /// The pipeline at one point of the block, as a way out writes it back there: the issue cycle, when the
    /// stream delivers, the times whose latest is the drain time, the slot state (null: in its local), the dual issues
    /// decided at translation (and whether some were decided at run time), the counts.
    /// </summary>
    public sealed record State(Time Cycle, Time FetchReady, Time[] Drained, int? Slots, int? Slot0, int? LastSlot,
        int Dual, bool DualAtRun, Counts Counts);

    private Time _cycle, _fetchReady;
    private readonly List<Time> _drained = [];
    private int? _slotsKnown, _slot0Known, _lastSlotKnown;
    /// <summary>The unit in slot 0 whenever one slot is used (the last instruction issued here); -1: not known.</summary>
    private int _pairWith;
    private int _dual;
    /// <summary>The last instruction issued here was a conditional branch to the next one: taken, the front end fetches
    /// that one's line again (FrontEnd.Branch), not taken it stays in it.</summary>
    private bool _refetch;
    private bool _dualAtRun;
    private Counts _counts;
    // Scoreboard entries written since the state was acquired (also in the arrays), and those read from the arrays.
    private readonly Dictionary<int, Time> _ready = [], _unitFree = [];

    /// <summary>Emits, at the block's entry, the model, its memory side, front end and scoreboard arrays (never replaced)
    /// into locals. <paramref name="flat"/>: the MMU-off costs the block predicts (<see cref="A53Model.PredictsFlat"/>):
    /// the block runs nothing, sets <see cref="Cpu.BlockMispredicted"/> and returns 0 when the CPU's translation context
    /// is not the one the model remembers as such. <paramref name="stubs"/>: code emitted after the block's.</summary>
    public A53BlockTiming(BlockEmitter e, ulong start, FlatCosts? flat, List<Action> stubs)
    {
        _start = start;
        _e = e;
        _flat = flat;
        _stubs = stubs;
        _il = e.Il;
        _times = new BlockTimes(_il);
        _model = Local(typeof(A53Model));
        _readyArray = Local(typeof(ulong).MakeByRefType());
        _unitFreeArray = Local(typeof(ulong).MakeByRefType());
        (_slots, _slot0, _lastSlot) = (Local(typeof(int)), Local(typeof(int)), Local(typeof(int)));
        (_dualRun, _value) = (Local(typeof(ulong)), Local(typeof(ulong)));
        (_memory, _front) = (Local(typeof(MemoryTiming)), Local(typeof(FrontEnd)));
        (_fetchHits, _dataHits, _steadyBranches) = (Local(typeof(long)), Local(typeof(long)), Local(typeof(long)));
        e.LoadCpu(); _il.Emit(OpCodes.Ldfld, BlockEmitter.Timing); _il.Emit(OpCodes.Castclass, typeof(A53Model)); _il.Emit(OpCodes.Stloc, _model);
        _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, FrontField); _il.Emit(OpCodes.Stloc, _front);
        if (flat != null)
        {
            _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, MemoryField); _il.Emit(OpCodes.Stloc, _memory);
            // Only a handler can change the translation context (a new epoch or EL), and the block leaves after one that
            // did: the context at entry is the block's.
            var predicted = _il.DefineLabel();
            var otherwise = _il.DefineLabel();
            BranchUnlessContext(FlatDataEpoch, FlatDataEl, otherwise);
            BranchUnlessContext(FlatFetchEpoch, FlatFetchEl, otherwise);
            _il.Emit(OpCodes.Br, predicted);
            _il.MarkLabel(otherwise);
            e.LoadCpu(); _il.Emit(OpCodes.Ldc_I4_1); _il.Emit(OpCodes.Stfld, Mispredicted);
            _il.Emit(OpCodes.Ldc_I4_0); _il.Emit(OpCodes.Ret);
            _il.MarkLabel(predicted);
        }
        foreach (var (array, local) in new[] { (ReadyField, _readyArray), (UnitFreeField, _unitFreeArray) })
        {
            _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, array); _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Ldelema, typeof(ulong)); _il.Emit(OpCodes.Stloc, local);
        }
    }

    /// <summary>Whether the block issues <paramref name="inst"/> itself when it is generated inline: not a divide (its
    /// latency depends on the quotient) nor a multiply-accumulate with a late accumulator, which Retire handles, nor a
    /// serialising instruction but a plain system-register move (no maintenance, no redirect).</summary>
    public static bool Handles(in DecodedInst inst)
    {
        var p = IssueProfile.Of(in inst);
        return p.Unit is not (IssueUnit.Divide or IssueUnit.FpDivide) && p.AccumulatorLate == 0
            && (p.Unit != IssueUnit.Serialising || Inline.SystemRegisterForms.MovesPlain(in inst));
    }

    /// <summary>Before the block's first instruction when it is a load or store: to <paramref name="bail"/> (the
    /// interpreter runs it) when the clock moved since the model's last instruction (a sleep between blocks). Retire
    /// would then rebase after the accesses, and charge none of them; the block charges them, so it runs only when
    /// there is nothing to rebase.</summary>
    public void BranchIfClockMoved(Label bail)
    {
        LoadClocks();
        _il.Emit(OpCodes.Bne_Un, bail);
    }

    /// <summary>Pushes cpu.Cycles, then the model's clock (equal unless the clock moved without the model).</summary>
    private void LoadClocks()
    {
        _e.LoadCpu(); _il.Emit(OpCodes.Ldfld, BlockEmitter.Cycles); _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, CycleField);
    }

    /// <summary>Pushes the clock while <see cref="Live"/> (cpu.Cycles is behind it until <see cref="Save"/>), for a check
    /// against stopAt that every later instruction of the pass follows (<see cref="ClockChecked"/>).</summary>
    public void LoadCycle()
    {
        _times.Push(_cycle);
        _checked = _cycle;
    }

    /// <summary>Whether the clock is known to be no later than at the last check of this pass (<see cref="LoadCycle"/>): an
    /// instruction issued in the same cycle (dual-issued beside the one before) cannot have reached stopAt where that
    /// one had not, so the run loop would not stop before the next one either.</summary>
    public bool ClockChecked => Live && _checked is { } c && _times.AtMost(_cycle, c);
    private Time? _checked;

    /// <summary>The state here, for a way out emitted later (<see cref="Save"/>).</summary>
    public State Capture() => new(_cycle, _fetchReady, [.. _drained], _slotsKnown, _slot0Known, _lastSlotKnown, _dual, _dualAtRun, _counts);

    /// <summary>Writes the state back to the model, and the clock to cpu.Cycles, if the block holds it; it stops holding it.</summary>
    public void Release()
    {
        // What the next instruction's fetch is, the model's Retire for this one decides.
        (_refetch, _newLine) = (false, false);
        if (!Live) return;
        Save();
        Live = false;
    }

    /// <summary>
    /// The block runs itself again (a self-loop, BlockTranslator.LoopBack): a pass that counts only instructions, loads,
    /// stores and data accesses adds them to locals (<see cref="SaveForLoop"/>), and the next write-back (a way out, a
    /// handler's) adds them with its own. Called before anything is emitted, so that every write-back has the locals.
    /// </summary>
    public void DeferLoopCounts() =>
        _loop ??= (Local(typeof(long)), Local(typeof(long)), Local(typeof(long)), Local(typeof(long)));

    /// <summary>Writes the state back where the block holds it (<see cref="Live"/>), before a way out (the block keeps
    /// holding it for the code that follows) or a handler.</summary>
    public void Save() => Save(loopPass: false);

    /// <summary><see cref="Save"/> at the end of a self-loop's pass, before the next: the counts go to the loop's locals
    /// where they can (<see cref="DeferLoopCounts"/>).</summary>
    public void SaveForLoop() => Save(loopPass: true);

    /// <summary>
    /// The end of a self-loop's pass whose state the block holds (<see cref="Live"/>), before a pass emitted after
    /// <see cref="BeginCarriedPass"/>: the counts as <see cref="SaveForLoop"/>, the dual issues into their run-time count,
    /// and the times and slot state into that pass's locals instead of the model's fields (which nothing reads in
    /// between: a handler or way out writes the state back first). The next pass then needs no entry work: the clock
    /// cannot have moved without the block, and no table walk happens inside it.
    /// </summary>
    public void Carry()
    {
        var s = Capture();
        CountPass(s.Counts);
        if (s.Dual != 0) { _il.Emit(OpCodes.Ldloc, _dualRun); _e.Constant((ulong)s.Dual); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stloc, _dualRun); }
        _carried ??= (Local(typeof(ulong)), Local(typeof(ulong)), Local(typeof(ulong)));
        var (cycle, fetchReady, drained) = _carried.Value;
        // All three pushed before any is stored: each may be computed from the others' locals.
        _times.Push(s.Cycle); _times.Push(s.FetchReady); _times.PushLatest(s.Drained);
        _il.Emit(OpCodes.Stloc, drained); _il.Emit(OpCodes.Stloc, fetchReady); _il.Emit(OpCodes.Stloc, cycle);
        if (s.Slots is int slots) SetInt(_slots, slots);
        if (s.Slot0 is int slot0) SetInt(_slot0, slot0);
        if (s.LastSlot is int lastSlot) SetInt(_lastSlot, lastSlot);
    }

    /// <summary>Whether some pass ended in <see cref="Carry"/>: a pass from <see cref="BeginCarriedPass"/> is reached.</summary>
    public bool Carried => _carried != null;

    /// <summary>The state at the start of a pass reached from <see cref="Carry"/>: held by the block, in the carried locals,
    /// nothing known about it (as after <see cref="Acquire"/>); the dual issues counted at run time from here on; the
    /// first instruction in a new line (the back edge was taken).</summary>
    public void BeginCarriedPass()
    {
        var (cycle, fetchReady, drained) = _carried!.Value;
        Begin(Time.Of(cycle), Time.Of(fetchReady), Time.Of(drained), dualAtRun: true);
        _refetch = false;
        _newLine = true;
    }

    // The locals a carried pass starts from (Carry): the issue cycle, when the stream delivers, the drain time.
    private (LocalBuilder Cycle, LocalBuilder FetchReady, LocalBuilder Drained)? _carried;
    // The next instruction issued here starts a carried pass: its line is fetched anew.
    private bool _newLine;

    private void Save(bool loopPass)
    {
        var s = Capture();
        if (loopPass) CountPass(s.Counts);
        else CountAll(s.Counts);
        Store(CycleField, () => _times.Push(s.Cycle));
        Store(SlotsField, () => Small(s.Slots, _slots));
        Store(Slot0Field, () => Small(s.Slot0, _slot0));
        Store(LastSlotField, () => Small(s.LastSlot, _lastSlot));
        Store(FetchReadyField, () => _times.Push(s.FetchReady));
        Store(DrainedField, () => _times.PushLatest(s.Drained));
        if (s.Dual != 0 || s.DualAtRun)
        {
            _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, StatsField); _il.Emit(OpCodes.Ldflda, DualIssued);
            _il.Emit(OpCodes.Dup); _il.Emit(OpCodes.Ldind_I8); _e.Constant((ulong)s.Dual); _il.Emit(OpCodes.Add);
            if (s.DualAtRun) { _il.Emit(OpCodes.Ldloc, _dualRun); _il.Emit(OpCodes.Add); }
            _il.Emit(OpCodes.Stind_I8);
        }
        _e.LoadCpu(); _times.Push(s.Cycle); _il.Emit(OpCodes.Stfld, BlockEmitter.Cycles);
    }

    /// <summary>
    /// Leaves the block after its <paramref name="ran"/>th instruction of the pass (at <paramref name="at"/>,
    /// <paramref name="index"/> in its page, run inline), the state here written back, through a tail every such way out
    /// shares (<see cref="Via"/>).
    /// </summary>
    public void Leave(int ran, ulong at, int index) =>
        Via(Capture(), ran, at - 4UL * (ulong)(ran - 1), bail: false, firstIndex: index - (ran - 1));

    /// <summary><see cref="Leave"/> after a conditional branch inside the block that was taken: PC is its
    /// <paramref name="target"/>.</summary>
    public void LeaveTaken(int ran, ulong at, int index, LocalBuilder target) =>
        Via(Capture(), ran, at - 4UL * (ulong)(ran - 1), bail: false, firstIndex: index - (ran - 1), target);

    /// <summary>
    /// The way out of a load or store whose fast path did not apply, the <paramref name="ran"/>th instruction of the pass
    /// (at <paramref name="at"/>, <paramref name="index"/> in its page): the state before it (<paramref name="before"/>)
    /// written back, the interpreter runs it (Cpu.ExecuteFromBlock) and the block returns, through a shared tail.
    /// </summary>
    public void Bail(State before, int ran, ulong at, int index) =>
        Via(before, ran, at - 4UL * (ulong)ran, bail: true, firstIndex: index - ran);

    /// <summary>
    /// A way out: the pipeline's times and slot state go into locals, its counts, dual issues and step into one
    /// constant (<see cref="Packed"/>), and a tail shared by every exit after an instruction (or every bail before one)
    /// writes them back, then sets PC and the registers (or runs the instruction in the interpreter). A block has a way
    /// out per instruction, and writing the registers back alone is a store per register: shared, a block's code is a
    /// fraction of the size, so RyuJIT compiles longer blocks with its optimisations (BlockTranslator.MaxIlBytes).
    /// </summary>
    private void Via(State s, int step, ulong blockPc, bool bail, int firstIndex, LocalBuilder? target = null)
    {
        _exit ??= new Exit(Local(typeof(ulong)), Local(typeof(ulong)), Local(typeof(ulong)), Local(typeof(ulong)), Local(typeof(ulong)),
            _il.DefineLabel(), _il.DefineLabel(), blockPc, firstIndex);
        if (!bail)
        {
            if (target != null) _il.Emit(OpCodes.Ldloc, target); else _e.Constant(blockPc + 4UL * (ulong)step);
            _il.Emit(OpCodes.Stloc, _exit.Next);
        }
        _times.Push(s.Cycle); _il.Emit(OpCodes.Stloc, _exit.Cycle);
        _times.Push(s.FetchReady); _il.Emit(OpCodes.Stloc, _exit.FetchReady);
        _times.PushLatest(s.Drained); _il.Emit(OpCodes.Stloc, _exit.Drained);
        if (s.Slots is int slots) SetInt(_slots, slots);
        if (s.Slot0 is int slot0) SetInt(_slot0, slot0);
        if (s.LastSlot is int lastSlot) SetInt(_lastSlot, lastSlot);
        _il.Emit(OpCodes.Ldc_I8, (long)Packed(s.Counts, s.Dual, step)); _il.Emit(OpCodes.Stloc, _exit.Code);
        _il.Emit(OpCodes.Br, bail ? _exit.BailTail : _exit.Tail);
        if (bail ? _bailTailUsed : _exitTailUsed) return;
        if (bail) _bailTailUsed = true; else _exitTailUsed = true;
        _stubs.Add(bail ? EmitBailTail : EmitExitTail);
    }

    /// <summary>A way out's locals (<paramref name="Next"/>: the PC an exit after an instruction leaves at) and tails.</summary>
    private sealed record Exit(LocalBuilder Cycle, LocalBuilder FetchReady, LocalBuilder Drained, LocalBuilder Code, LocalBuilder Next,
        Label Tail, Label BailTail, ulong BlockPc, int FirstIndex);
    private Exit? _exit;
    private bool _exitTailUsed, _bailTailUsed;

    /// <summary>An exit's step (instructions of the pass), counts and dual issues decided at translation, a byte each (a
    /// block has at most BlockTranslator.MaxTimedLength instructions, each at most 2 accesses and a bus access for its fetch).</summary>
    private static ulong Packed(Counts c, int dual, int step)
    {
        // The unconditional branch ends the block, which leaves after it through Save, never through a tail.
        if (c.Unconditional != 0) throw new InvalidOperationException("an exit past the block's last branch");
        ReadOnlySpan<int> fields = [step, c.Retired, c.Loads, c.Stores, c.Accesses, c.Bus, c.Conditional, dual];
        ulong packed = 0;
        for (int n = 0; n < fields.Length; n++)
            packed |= (ulong)(fields[n] is >= 0 and <= 255 ? fields[n] : throw new InvalidOperationException("a block's count past a byte")) << (8 * n);
        return packed;
    }

    /// <summary>Pushes the packed field at <paramref name="shift"/> (an int).</summary>
    private void Packed(int shift)
    {
        _il.Emit(OpCodes.Ldloc, _exit!.Code); _il.Emit(OpCodes.Ldc_I4, shift); _il.Emit(OpCodes.Shr_Un); _il.Emit(OpCodes.Conv_U1);
    }

    /// <summary>Pushes the block's first address plus 4 per instruction of the exit's step.</summary>
    private void StepPc()
    {
        _e.Constant(_exit!.BlockPc); Packed(0); _il.Emit(OpCodes.Conv_U8); _il.Emit(OpCodes.Ldc_I8, 4L); _il.Emit(OpCodes.Mul); _il.Emit(OpCodes.Add);
    }

    private void EmitExitTail()
    {
        _il.MarkLabel(_exit!.Tail);
        WriteBackFromExit();
        _e.SetPc(_exit.Next);
        _e.Return(() => Packed(0));
    }

    private void EmitBailTail()
    {
        _il.MarkLabel(_exit!.BailTail);
        WriteBackFromExit();
        _e.FlushRegisters();
        _e.LoadCpu(); _e.LoadPage(); _e.Constant(_exit.FirstIndex); Packed(0); _il.Emit(OpCodes.Add); StepPc(); _e.Constant(0UL);
        _il.Emit(OpCodes.Call, ExecuteFromBlock);
        _e.ReturnWithoutFlush(() => { Packed(0); _il.Emit(OpCodes.Ldc_I4_1); _il.Emit(OpCodes.Add); }); // the handler wrote the registers
    }

    /// <summary><see cref="Save"/> from an exit's locals.</summary>
    private void WriteBackFromExit()
    {
        var x = _exit!;
        // cpu.Retired += retired; the model counts the accesses, bus accesses and branch (when any), with a self-loop's
        // earlier passes'.
        _e.LoadCpu(); _il.Emit(OpCodes.Dup); _il.Emit(OpCodes.Ldfld, BlockEmitter.Retired); Packed(8); _il.Emit(OpCodes.Conv_U8);
        LoopCount(_loop?.Retired); _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Stfld, BlockEmitter.Retired);
        var counted = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, x.Code); _il.Emit(OpCodes.Ldc_I8, 0x00FF_FFFF_FFFF_0000L); _il.Emit(OpCodes.And);
        if (_hitsCounted) { PushHits(); _il.Emit(OpCodes.Or); }
        if (_loop is { } l) { _il.Emit(OpCodes.Ldloc, l.Accesses); _il.Emit(OpCodes.Or); }
        _il.Emit(OpCodes.Brfalse, counted);
        _il.Emit(OpCodes.Ldloc, _model); _e.LoadCpu();
        Packed(16); _il.Emit(OpCodes.Conv_I8); LoopCount(_loop?.Loads);
        Packed(24); _il.Emit(OpCodes.Conv_I8); LoopCount(_loop?.Stores);
        Packed(32); _il.Emit(OpCodes.Conv_I8); LoopCount(_loop?.Accesses);
        Packed(40); Packed(48); _il.Emit(OpCodes.Ldc_I4_0);
        PushHitCounts(); _il.Emit(OpCodes.Call, CountInBlock);
        _il.MarkLabel(counted);
        Store(CycleField, () => _il.Emit(OpCodes.Ldloc, x.Cycle));
        Store(SlotsField, () => _il.Emit(OpCodes.Ldloc, _slots));
        Store(Slot0Field, () => _il.Emit(OpCodes.Ldloc, _slot0));
        Store(LastSlotField, () => _il.Emit(OpCodes.Ldloc, _lastSlot));
        Store(FetchReadyField, () => _il.Emit(OpCodes.Ldloc, x.FetchReady));
        Store(DrainedField, () => _il.Emit(OpCodes.Ldloc, x.Drained));
        _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, StatsField); _il.Emit(OpCodes.Ldflda, DualIssued);
        _il.Emit(OpCodes.Dup); _il.Emit(OpCodes.Ldind_I8); Packed(56); _il.Emit(OpCodes.Conv_U8); _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldloc, _dualRun); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stind_I8);
        _e.LoadCpu(); _il.Emit(OpCodes.Ldloc, x.Cycle); _il.Emit(OpCodes.Stfld, BlockEmitter.Cycles);
    }

    /// <summary>Adds the counts of the instructions issued here since the last write-back, and a self-loop's earlier
    /// passes' (<see cref="DeferLoopCounts"/>), to the machine: cpu.Retired and the model's events
    /// (<see cref="A53Model.CountInBlock"/>); the locals start again from 0, as the block may go on.</summary>
    private void CountAll(Counts c)
    {
        if (c.Retired != 0 || _loop != null)
        {
            _e.LoadCpu(); _il.Emit(OpCodes.Dup); _il.Emit(OpCodes.Ldfld, BlockEmitter.Retired); _e.Constant((ulong)c.Retired);
            LoopCount(_loop?.Retired); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stfld, BlockEmitter.Retired);
        }
        bool counts = c.Accesses != 0 || c.Bus != 0 || c.Conditional != 0 || c.Unconditional != 0;
        if (!counts && !_hitsCounted && _loop == null) return;
        // Only hits or earlier passes to count (a loop's pass without loads or stores, say): only when there are some.
        var counted = _il.DefineLabel();
        if (!counts)
        {
            if (_hitsCounted) PushHits(); else _il.Emit(OpCodes.Ldc_I8, 0L);
            if (_loop is { } l) { _il.Emit(OpCodes.Ldloc, l.Accesses); _il.Emit(OpCodes.Or); }
            _il.Emit(OpCodes.Brfalse, counted);
        }
        _il.Emit(OpCodes.Ldloc, _model); _e.LoadCpu();
        _e.Constant((long)c.Loads); LoopCount(_loop?.Loads);
        _e.Constant((long)c.Stores); LoopCount(_loop?.Stores);
        _e.Constant((long)c.Accesses); LoopCount(_loop?.Accesses);
        _e.Constant(c.Bus); _e.Constant(c.Conditional); _e.Constant(c.Unconditional);
        PushHitCounts(); _il.Emit(OpCodes.Call, CountInBlock);
        if (_hitsCounted) { SetLong(_fetchHits, 0); SetLong(_dataHits, 0); SetLong(_steadyBranches, 0); }
        if (_loop is { } p) foreach (var local in new[] { p.Loads, p.Stores, p.Accesses }) SetLong(local, 0);
        _il.MarkLabel(counted);
        if (_loop is { } r) SetLong(r.Retired, 0);
    }

    /// <summary>The counts of a self-loop's pass: into the loop's locals where they can go (<see cref="DeferLoopCounts"/>:
    /// the L1 hits stay in their locals too, nothing reads the counts until a write-back adds them all), else to the
    /// machine.</summary>
    private void CountPass(Counts c)
    {
        if (_loop is { } l && c.Bus == 0 && c.Conditional == 0 && c.Unconditional == 0)
        {
            Increment(l.Retired, c.Retired); Increment(l.Loads, c.Loads); Increment(l.Stores, c.Stores); Increment(l.Accesses, c.Accesses);
        }
        else CountAll(c);
    }

    /// <summary>Adds the loop's local (a long) to the value on the stack, if the block loops.</summary>
    private void LoopCount(LocalBuilder? local)
    {
        if (local == null) return;
        _il.Emit(OpCodes.Ldloc, local); _il.Emit(OpCodes.Add);
    }

    private void SetLong(LocalBuilder local, long value) { _il.Emit(OpCodes.Ldc_I8, value); _il.Emit(OpCodes.Stloc, local); }

    private void Small(int? known, LocalBuilder local)
    {
        if (known is int k) _e.Constant(k); else _il.Emit(OpCodes.Ldloc, local);
    }

    private void Acquire()
    {
        if (Live) return;
        var (cycle, fetchReady, drained) = (LoadTime(CycleField), LoadTime(FetchReadyField), LoadTime(DrainedField));
        Load(SlotsField, _slots); Load(Slot0Field, _slot0); Load(LastSlotField, _lastSlot);
        _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Stloc, _dualRun);
        Begin(cycle, fetchReady, drained, dualAtRun: false);
    }

    /// <summary>The block holds the state from here, with these times, the slot state in its locals and nothing else known
    /// about it (no scoreboard entry, count or clock check since); <paramref name="dualAtRun"/>: _dualRun holds dual
    /// issues to add on the way out.</summary>
    private void Begin(Time cycle, Time fetchReady, Time drained, bool dualAtRun)
    {
        Live = true;
        (_cycle, _fetchReady) = (cycle, fetchReady);
        _drained.Clear();
        _drained.Add(drained);
        (_slotsKnown, _slot0Known, _lastSlotKnown, _pairWith) = (null, null, null, -1);
        _dual = 0;
        _dualAtRun = dualAtRun;
        _ready.Clear();
        _unitFree.Clear();
        _counts = default;
        _checked = null;
    }

    /// <summary>
    /// The issue of <paramref name="inst"/> at <paramref name="at"/>, just run inline, as <see cref="A53Model.Retire"/>
    /// computes it; <paramref name="sameLine"/>: the instruction before it in the block was in the same 64-byte line,
    /// so the front end delivers it when it delivers any (FrontEnd.FetchCurrent). The block's <paramref name="first"/>
    /// instruction, unless a load or store (<see cref="BranchIfClockMoved"/>), rebases the model as Retire would when
    /// the clock moved without it: the same before the instruction as after, since it makes no data access. A direct
    /// branch (<paramref name="index"/>: its place in the page) then trains the predictor, whose verdict may delay the
    /// stream. Where the block predicts MMU-off costs (<see cref="A53Model.PredictsFlat"/>, checked at its entry), a new
    /// line's fetch (not the block's first: whether it is a new line depends on the block before), the data accesses and
    /// a direct branch (<paramref name="next"/>: the local holding its next PC) cost those constants.
    /// </summary>
    public void Retire(in DecodedInst inst, ulong at, bool first, bool sameLine, int index, LocalBuilder? next = null)
    {
        bool memory = (inst.Flags & (InstFlags.Load | InstFlags.Store)) != 0;
        if (first && !memory) // a first load or store runs only when there is nothing to rebase (BranchIfClockMoved)
        {
            var inStep = _il.DefineLabel();
            LoadClocks();
            _il.Emit(OpCodes.Beq, inStep);
            _il.Emit(OpCodes.Ldloc, _model); _e.LoadCpu(); _il.Emit(OpCodes.Call, EnterBlock);
            _il.MarkLabel(inStep);
        }
        // After a branch to the next instruction (inside the block), whether the stream is still in its line depends on
        // whether it was taken: the model knows (FrontEnd._line).
        bool refetch = _refetch;
        _refetch = false;
        if (first || refetch || _newLine) sameLine = false;
        _newLine = false;
        Acquire();
        bool predictFetch = _flat != null && !first && !sameLine && !refetch && (inst.Flags & InstFlags.Branch) == 0;
        bool predictAccess = _flat != null && memory && _e.Access != null;
        // A direct branch taken exactly when the next PC is not at + 4 (or always taken): not predicted with the MMU off.
        // (An indirect one, which counts other events, asks the model.)
        bool branch = (inst.Flags & InstFlags.Branch) != 0;
        var kind = FrontEnd.KindOf(inst.Raw);
        bool predictBranch = _flat != null && branch && next != null
            && kind is BranchKind.Conditional or BranchKind.Unconditional or BranchKind.Call
            && (kind != BranchKind.Conditional || inst.Imm != 4)
            && BranchPenalty.For(BranchOutcome.NotPredicted, BranchKind.Conditional, taken: false) == 0;
        var predictedBranchTo = predictBranch ? next : null;
        var p = IssueProfile.Of(in inst);
        bool store = (inst.Flags & InstFlags.Store) != 0, pair = (inst.Flags & InstFlags.Pair) != 0;
        _counts = _counts with { Retired = _counts.Retired + 1 };
        if (memory && _e.Access is { } counted)
            _counts = _counts with
            {
                Loads = _counts.Loads + (store ? 0 : 1), Stores = _counts.Stores + (store ? 1 : 0), Accesses = _counts.Accesses + counted.Count,
            };

        // When it can issue: the stream, the latest source (a store's data is read a cycle after issue), its pipe.
        var waits = new List<Time>(6);
        if (sameLine) waits.Add(_fetchReady);
        else if (predictFetch)
        {
            // FrontEnd.FetchNewLine with the MMU off: no micro-TLB cost, a Non-cacheable line, one bus access.
            _il.Emit(OpCodes.Ldloc, _front); _e.Constant(at >> 6); _il.Emit(OpCodes.Stfld, LineField);
            _il.Emit(OpCodes.Ldloc, _front); _e.Constant(at >> 12); _il.Emit(OpCodes.Stfld, PageField);
            waits.Add(_fetchReady.Plus(_flat!.FetchExtra));
            _counts = _counts with { Bus = _counts.Bus + 1 };
        }
        else waits.Add(Fetch(at, inlineHit: !refetch)); // the stream's time plus what the new line costs
        foreach (var (src, late) in new[] { (inst.Src0, false), (inst.Src3, false), (inst.Src1, store), (inst.Src2, store && pair) })
        {
            if (src >= StaticOperands.Count) continue; // no operand: reads 0
            var ready = Entry(_ready, _readyArray, src);
            waits.Add(late ? OneEarlier(ready) : ready);
        }
        waits.Add(Entry(_unitFree, _unitFreeArray, (int)p.Pipe & 15));
        bool serialising = p.Unit == IssueUnit.Serialising;
        if (serialising) waits.AddRange(_drained); // everything older has completed
        var earliest = _times.Latest([.. waits]);
        var issue = Issue(in p, earliest);

        // Results: a load or store may stall (its accesses), and so may the block's first instruction: the table walk of
        // the fetch that brought it (between blocks) is charged to it.
        var start = memory || first ? ChargedResults(in inst, in p, pair, first, issue, predictAccess) : issue;
        if (!(memory || first))
        {
            // Register only: no stall, so every time is the issue cycle plus a constant.
            ulong latency2 = pair && p.Latency2 != 0 ? p.Latency2 : p.Latency;
            WriteReady(inst.Dst0, issue.Plus(p.Latency));
            WriteReady(inst.Dst1, issue.Plus(pair ? latency2 : p.Latency));
            WriteReady(inst.Dst2, issue.Plus(1));
            if (!p.Shared || p.Occupancy > 1) WriteEntry(_unitFree, _unitFreeArray, (int)p.Pipe & 15, issue.Plus(p.Occupancy));
            Drain(issue.Plus(Math.Max((ulong)p.Latency, p.Occupancy)));
        }
        if (serialising) Drain(issue.Plus(1));
        if (predictedBranchTo != null) NotPredicted(in inst, at, predictedBranchTo, start);
        else if ((inst.Flags & InstFlags.Branch) != 0)
        {
            // lost = the predictor's verdict; a loss holds the stream until issue + 1 + lost. Taken: always, or (a conditional
            // one, not to at + 4) when the next PC is not at + 4.
            var done = _il.DefineLabel();
            if (next != null && kind == BranchKind.Conditional && inst.Imm != 4 && at + inst.Imm == _start) SteadyBackEdge(at, next, done);
            _refetch = kind == BranchKind.Conditional && inst.Imm == 4; // taken, it sends the stream to the next line fetch
            _il.Emit(OpCodes.Ldloc, _model); _e.LoadCpu();
            if (next == null || (kind == BranchKind.Conditional && inst.Imm == 4))
            {
                _e.LoadInst(index); _e.Constant(at); _il.Emit(OpCodes.Call, BranchInBlock);
            }
            else
            {
                _e.Constant(at); _il.Emit(OpCodes.Ldc_I4, (int)kind);
                if (kind != BranchKind.Conditional) _il.Emit(OpCodes.Ldc_I4_1);
                else PushTaken(next, at);
                _il.Emit(OpCodes.Call, KnownBranchInBlock);
            }
            _il.Emit(OpCodes.Stloc, _value);
            _il.MarkLabel(done);
            _fetchReady = RaiseIf(_value, _fetchReady, () =>
            {
                _il.Emit(OpCodes.Ldloc, _value); _times.Push(start.Plus(1)); _il.Emit(OpCodes.Add);
            });
        }
    }

    /// <summary>
    /// When the instruction issues, <paramref name="earliest"/> being when it could: in slot 1 beside the older
    /// instruction when one slot is used, everything is ready and the pairing rules allow; otherwise the next cycle (or
    /// later) in slot 0. Decided at translation where the times compare and the slot state is known.
    /// </summary>
    private Time Issue(in IssueProfile p, Time earliest)
    {
        int unit = (int)p.Unit;
        bool mayPair = p.Slot1After != 0 && _slotsKnown != 2
            && (_pairWith < 0 || ((p.Slot1After >> _pairWith) & 1) != 0)
            && !_times.AtMost(_cycle.Plus(1), earliest);
        if (!mayPair)
        {
            _cycle = _times.Latest(earliest, _cycle.Plus(1));
            (_lastSlotKnown, _slot0Known, _slotsKnown, _pairWith) = (0, unit, p.SingleIssue ? 2 : 1, unit);
            return _cycle;
        }
        bool ready = _times.AtMost(earliest, _cycle);
        if (_slotsKnown == 1 && _pairWith >= 0 && ready)
        {
            (_lastSlotKnown, _slotsKnown) = (1, 2);
            _dual++;
            return _cycle;
        }

        // Decided at run time. The dual path leaves slot 0's unit as it was: its local must hold it.
        if (_slot0Known is int s0) { SetInt(_slot0, s0); _slot0Known = null; }
        var next = _times.Declare(_cycle, earliest);
        var single = _il.DefineLabel();
        var issued = _il.DefineLabel();
        if (_slotsKnown == null) { _il.Emit(OpCodes.Ldloc, _slots); _il.Emit(OpCodes.Ldc_I4_1); _il.Emit(OpCodes.Bne_Un, single); }
        if (!ready) { _times.Push(earliest); _times.Push(_cycle); _il.Emit(OpCodes.Bgt_Un, single); }
        if (_pairWith < 0)
        {
            _il.Emit(OpCodes.Ldc_I4, (int)p.Slot1After); _il.Emit(OpCodes.Ldloc, _slot0); _il.Emit(OpCodes.Shr_Un);
            _il.Emit(OpCodes.Ldc_I4_1); _il.Emit(OpCodes.And); _il.Emit(OpCodes.Brfalse, single);
        }
        _times.Push(_cycle); _il.Emit(OpCodes.Stloc, next);
        SetInt(_lastSlot, 1); SetInt(_slots, 2);
        _il.Emit(OpCodes.Ldloc, _dualRun); _il.Emit(OpCodes.Ldc_I8, 1L); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stloc, _dualRun);
        _il.Emit(OpCodes.Br, issued);
        _il.MarkLabel(single);
        _times.PushLatest([earliest, _cycle.Plus(1)]); _il.Emit(OpCodes.Stloc, next);
        SetInt(_lastSlot, 0); SetInt(_slot0, unit); SetInt(_slots, p.SingleIssue ? 2 : 1);
        _il.MarkLabel(issued);
        _dualAtRun = true;
        _cycle = Time.Of(next);
        (_lastSlotKnown, _slotsKnown, _pairWith) = (null, p.SingleIssue ? 2 : null, unit);
        return _cycle;
    }

    /// <summary>The results with what the model charges for data accesses and table walks since the last instruction
    /// (the <paramref name="first"/> instruction's only): Retire's own arithmetic, in its order (the accesses, then the
    /// walks, whose descriptor reads also go through L1D). Returns issue + stall.</summary>
    private Time ChargedResults(in DecodedInst inst, in IssueProfile p, bool pair, bool first, Time issue, bool predictAccess)
    {
        Time stall = Time.Zero, extra = Time.Zero; // the pipe stall; the accesses' extra result latency
        bool store = (inst.Flags & InstFlags.Store) != 0;
        if (_e.Access is { } predicted && predictAccess)
        {
            // AccessInBlock with the MMU off: Device accesses, each one bus access, no stall; a load's result DeviceExtra late.
            if (!store) extra = new Time(null, _flat!.DeviceExtra);
            _counts = _counts with { Bus = _counts.Bus + predicted.Count };
        }
        else if (_e.Access is { } access)
        {
            // An inline load or store: the block did not log its accesses (BlockEmitter.LogAccesses), which are aligned and
            // in one fast-path page (AccessInBlock). Their extra occupancy is 0.
            (stall, extra) = Access(access.Address, access.Host, access.Size, access.Count, store);
        }
        if (first)
        {
            // The walks of the fetch that brought the block's first instruction: the call only when the walk log moved (almost
            // never: the block's every entry had paid for the call).
            var walks = Local(typeof(ulong));
            var none = _il.DefineLabel();
            _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Stloc, walks);
            _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, WalksField); _il.Emit(OpCodes.Ldfld, WalkReadsField);
            _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, WalkSeenField); _il.Emit(OpCodes.Beq, none);
            _il.Emit(OpCodes.Ldloc, _model); _e.LoadCpu(); _il.Emit(OpCodes.Call, WalksInBlock); _il.Emit(OpCodes.Stloc, walks);
            _il.MarkLabel(none);
            _il.Emit(OpCodes.Ldloc, walks);
            if (stall.Base != null) { _times.Push(stall); _il.Emit(OpCodes.Add); }
            stall = _times.Store();
        }
        var start = Sum(issue, stall);
        var done = Sum(start.Plus(p.Latency), extra);
        WriteReady(inst.Dst0, done);
        WriteReady(inst.Dst1, pair ? Sum(start.Plus(p.Latency2 != 0 ? p.Latency2 : p.Latency), extra) : done);
        WriteReady(inst.Dst2, issue.Plus(1));

        // The pipe: held past the stall and the occupancy (a shared unit only past a one-cycle op or with a stall).
        int pipe = (int)p.Pipe & 15;
        var held = start.Plus(p.Occupancy);
        if (!p.Shared || p.Occupancy > 1) WriteEntry(_unitFree, _unitFreeArray, pipe, held);
        else if (stall.Base != null)
        {
            var old = Entry(_unitFree, _unitFreeArray, pipe);
            WriteEntry(_unitFree, _unitFreeArray, pipe, Select(stall, held, old));
        }
        Drain(done);
        Drain(held);

        // A stall holds everything younger: the stream resumes after it.
        if (stall.Base != null) _fetchReady = RaiseIf(stall.Base, _fetchReady, () => _times.Push(start.Plus(1)));
        return start;
    }

    /// <summary>
    /// When the stream delivers the instruction at <paramref name="at"/>, the first of a new line
    /// (<see cref="A53Model.FetchInBlock"/>). Where this line's fetch hit here before and nothing disturbed the model
    /// since (<see cref="A53Model.Disturbances"/>: a loop's later passes), it hits again: the stream is in the line, an
    /// L1I_CACHE counted on the way out, no call. Not <paramref name="inlineHit"/>: the stream may still be in the line
    /// (<see cref="_refetch"/>), so always the call.
    /// </summary>
    private Time Fetch(ulong at, bool inlineHit)
    {
        var seen = inlineHit ? Local(typeof(ulong)) : null;
        var ready = _times.Declare(_fetchReady);
        var call = _il.DefineLabel();
        var done = _il.DefineLabel();
        if (seen != null)
        {
            _hitsCounted = true;
            _il.Emit(OpCodes.Ldloc, seen); PushDisturbances(); _il.Emit(OpCodes.Bne_Un, call);
            _il.Emit(OpCodes.Ldloc, _front); _e.Constant(at >> 6); _il.Emit(OpCodes.Stfld, LineField);
            Increment(_fetchHits, 1);
            _times.Push(_fetchReady); _il.Emit(OpCodes.Stloc, ready);
            _il.Emit(OpCodes.Br, done);
        }
        _il.MarkLabel(call);
        _il.Emit(OpCodes.Ldloc, _model); _e.LoadCpu(); _e.Constant(at); _times.Push(_fetchReady);
        _il.Emit(OpCodes.Call, FetchInBlock);
        _il.Emit(OpCodes.Stloc, ready);
        if (seen != null)
        {
            _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, LastHitField); _il.Emit(OpCodes.Brfalse, done);
            PushDisturbances(); _il.Emit(OpCodes.Stloc, seen);
        }
        _il.MarkLabel(done);
        return Time.Of(ready);
    }

    /// <summary>
    /// The pipe stall and extra result latency of an inline load's or store's <paramref name="count"/> accesses of
    /// <paramref name="size"/> bytes at the VA in <paramref name="address"/> (<see cref="A53Model.AccessInBlock"/>). In the
    /// line the block's last load (store) hit, with nothing disturbing the model since (<see cref="A53Model.Disturbances"/>;
    /// the VA's PA cannot change inside the block but by a handler, which retires through the model), they hit again: no
    /// cost, their L1D_CACHE counted on the way out, no call. A copy loop's loads and stores each stay in a line for
    /// several passes, and a run of stack accesses in one.
    /// </summary>
    private (Time Stall, Time Extra) Access(LocalBuilder address, LocalBuilder host, int size, int count, bool store)
    {
        ref var cache = ref store ? ref _storeLine : ref _loadLine;
        cache ??= (Local(typeof(ulong)), Local(typeof(ulong)));
        var (line, seen) = cache.Value;
        var stall = _times.Declare();
        var extra = _times.Declare();
        var call = _il.DefineLabel();
        var done = _il.DefineLabel();
        _hitsCounted = true;
        int last = count * size - 1; // the offset of the accesses' last byte
        PushLine(address, 0); _il.Emit(OpCodes.Ldloc, line); _il.Emit(OpCodes.Bne_Un, call);
        if (count == 2) { PushLine(address, last); _il.Emit(OpCodes.Ldloc, line); _il.Emit(OpCodes.Bne_Un, call); }
        _il.Emit(OpCodes.Ldloc, seen); PushDisturbances(); _il.Emit(OpCodes.Bne_Un, call);
        Increment(_dataHits, count);
        _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Stloc, stall);
        _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Stloc, extra);
        _il.Emit(OpCodes.Br, done);
        _il.MarkLabel(call);
        _il.Emit(OpCodes.Ldloc, _model); _e.LoadCpu(); _il.Emit(OpCodes.Ldloc, address); _il.Emit(OpCodes.Ldloc, host);
        _il.Emit(OpCodes.Ldc_I4, size); _il.Emit(OpCodes.Ldc_I4, count);
        _il.Emit(store ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Call, AccessInBlock);
        _il.Emit(OpCodes.Stloc, stall);
        _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, AccessLatencyField); _il.Emit(OpCodes.Stloc, extra);
        _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, LastHitField); _il.Emit(OpCodes.Brfalse, done);
        // A pair's second access may be in the next line: only a pair inside one line is remembered.
        if (count == 2) { PushLine(address, last); PushLine(address, 0); _il.Emit(OpCodes.Bne_Un, done); }
        PushLine(address, 0); _il.Emit(OpCodes.Stloc, line);
        PushDisturbances(); _il.Emit(OpCodes.Stloc, seen);
        _il.MarkLabel(done);
        return (Time.Of(stall), Time.Of(extra));
    }

    /// <summary>Pushes the VA line (VA &gt;&gt; 6) of the address in <paramref name="address"/> plus <paramref name="offset"/>.</summary>
    private void PushLine(LocalBuilder address, int offset)
    {
        _il.Emit(OpCodes.Ldloc, address); if (offset != 0) { _e.Constant((ulong)offset); _il.Emit(OpCodes.Add); }
        _il.Emit(OpCodes.Ldc_I4_6); _il.Emit(OpCodes.Shr_Un);
    }

    private void PushDisturbances() { _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, DisturbancesField); }

    /// <summary>Pushes whether a hit was counted without a call since the last write-back (an int, not 0 if so).</summary>
    private void PushHits()
    {
        _il.Emit(OpCodes.Ldloc, _fetchHits); _il.Emit(OpCodes.Ldloc, _dataHits); _il.Emit(OpCodes.Or);
        _il.Emit(OpCodes.Ldloc, _steadyBranches); _il.Emit(OpCodes.Or);
    }

    /// <summary>Pushes CountInBlock's last arguments: the hits and back edges counted without a call.</summary>
    private void PushHitCounts()
    {
        _il.Emit(OpCodes.Ldloc, _fetchHits); _il.Emit(OpCodes.Ldloc, _dataHits); _il.Emit(OpCodes.Ldloc, _steadyBranches);
    }

    /// <summary>Adds <paramref name="by"/> to a long local (nothing for 0).</summary>
    private void Increment(LocalBuilder counter, int by)
    {
        if (by == 0) return;
        _il.Emit(OpCodes.Ldloc, counter); _il.Emit(OpCodes.Ldc_I8, (long)by); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stloc, counter);
    }

    /// <summary>
    /// FrontEnd.Branch with prediction disabled (the MMU off): a direct branch is not predicted, so counted as
    /// mispredicted, and a taken one holds the stream until its start + 1 + the bubble and has the target's line looked
    /// up; taken is always, or (a conditional one, not to at + 4) when the next PC (<paramref name="next"/>) is not at + 4.
    /// </summary>
    private void NotPredicted(in DecodedInst inst, ulong at, LocalBuilder next, Time start)
    {
        var kind = FrontEnd.KindOf(inst.Raw);
        ulong lost = (ulong)BranchPenalty.For(BranchOutcome.NotPredicted, kind, taken: true);
        _counts = kind == BranchKind.Conditional ? _counts with { Conditional = _counts.Conditional + 1 } : _counts with { Unconditional = (int)kind + 1 };
        if (kind != BranchKind.Conditional)
        {
            ForgetLine();
            _fetchReady = _times.Latest(_fetchReady, start.Plus(1 + lost));
            return;
        }
        var notTaken = _il.DefineLabel();
        PushTaken(next, at);
        _il.Emit(OpCodes.Conv_U8); _il.Emit(OpCodes.Stloc, _value);
        _il.Emit(OpCodes.Ldloc, _value); _il.Emit(OpCodes.Brfalse, notTaken);
        ForgetLine();
        _il.MarkLabel(notTaken);
        _fetchReady = RaiseIf(_value, _fetchReady, () => _times.Push(start.Plus(1 + lost)));
    }

    /// <summary>
    /// A self-loop's back edge at <paramref name="at"/>, taken (its next PC in <paramref name="next"/> is the block's start)
    /// in the predictor's steady state (<see cref="FrontEnd.TakenSteadily"/>, which trains the history): its verdict in
    /// _value and its two events counted on the way out, no call, then to <paramref name="done"/>. Otherwise on to the
    /// model's call. (Predicting other branches inline, a not-taken one by its counter, was no faster: more host code at
    /// every branch.)
    /// </summary>
    private void SteadyBackEdge(ulong at, LocalBuilder next, Label done)
    {
        var call = _il.DefineLabel();
        _hitsCounted = true;
        _il.Emit(OpCodes.Ldloc, next); _e.Constant(_start); _il.Emit(OpCodes.Bne_Un, call);
        _il.Emit(OpCodes.Ldloc, _front); _e.LoadCpu(); _e.Constant(at); _e.Constant(_start); _il.Emit(OpCodes.Call, TakenSteadily);
        _il.Emit(OpCodes.Brfalse, call);
        Increment(_steadyBranches, 1);
        _il.Emit(OpCodes.Ldc_I8, (long)BranchPenalty.CorrectTakenEarlyBubble); _il.Emit(OpCodes.Stloc, _value);
        _il.Emit(OpCodes.Br, done);
        _il.MarkLabel(call);
    }

    /// <summary>Pushes whether the conditional branch at <paramref name="at"/> (not to at + 4) was taken: its next PC
    /// (<paramref name="next"/>) is not at + 4.</summary>
    private void PushTaken(LocalBuilder next, ulong at)
    {
        _il.Emit(OpCodes.Ldloc, next); _e.Constant(at + 4); _il.Emit(OpCodes.Ceq); _il.Emit(OpCodes.Ldc_I4_0); _il.Emit(OpCodes.Ceq);
    }

    /// <summary>A taken branch: the front end looks its target's line up afresh (FrontEnd.Branch).</summary>
    private void ForgetLine()
    {
        _il.Emit(OpCodes.Ldloc, _front); _e.Constant(ulong.MaxValue); _il.Emit(OpCodes.Stfld, LineField);
    }

    /// <summary>To <paramref name="otherwise"/> unless the CPU's translation context (context epoch and EL) is the one the model's
    /// memory side remembers in <paramref name="epoch"/> and <paramref name="el"/>.</summary>
    private void BranchUnlessContext(FieldInfo epoch, FieldInfo el, Label otherwise)
    {
        _e.LoadCpu(); _il.Emit(OpCodes.Ldfld, Epoch); _il.Emit(OpCodes.Ldloc, _memory); _il.Emit(OpCodes.Ldfld, epoch); _il.Emit(OpCodes.Bne_Un, otherwise);
        _e.LoadCpu(); _il.Emit(OpCodes.Ldfld, El); _il.Emit(OpCodes.Ldloc, _memory); _il.Emit(OpCodes.Ldfld, el); _il.Emit(OpCodes.Bne_Un, otherwise);
    }

    /// <summary>a + b, b known only at run time (or Zero).</summary>
    private Time Sum(Time a, Time b)
    {
        if (b.Base == null) return a.Plus(b.Offset);
        _times.Push(a); _times.Push(b); _il.Emit(OpCodes.Add);
        return _times.Store(a);
    }

    /// <summary>stall != 0 ? then : otherwise, in a new local.</summary>
    private Time Select(Time stall, Time then, Time otherwise)
    {
        var local = _times.Declare();
        var keep = _il.DefineLabel();
        _times.Push(otherwise); _il.Emit(OpCodes.Stloc, local);
        _times.Push(stall); _il.Emit(OpCodes.Brfalse, keep);
        _times.Push(then); _il.Emit(OpCodes.Stloc, local);
        _il.MarkLabel(keep);
        return Time.Of(local);
    }

    /// <summary>time, or the latest of it and what <paramref name="value"/> pushes when <paramref name="condition"/> (a
    /// local) is not 0: in a new local, at least <paramref name="time"/>.</summary>
    private Time RaiseIf(LocalBuilder condition, Time time, Action value)
    {
        var local = _times.Declare(time);
        var keep = _il.DefineLabel();
        _times.Push(time); _il.Emit(OpCodes.Stloc, local);
        _il.Emit(OpCodes.Ldloc, condition); _il.Emit(OpCodes.Brfalse, keep);
        value(); _times.Push(time); _times.EmitMax();
        _il.Emit(OpCodes.Stloc, local);
        _il.MarkLabel(keep);
        return Time.Of(local);
    }

    /// <summary>t - 1, or 0 for 0 (a store's data read a cycle after issue).</summary>
    private Time OneEarlier(Time t)
    {
        if (t.Offset >= 1) return t with { Offset = t.Offset - 1 };
        if (t.Base == null) return Time.Zero;
        _times.Push(t); _il.Emit(OpCodes.Stloc, _value);
        _il.Emit(OpCodes.Ldloc, _value); _il.Emit(OpCodes.Ldloc, _value); _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Cgt_Un);
        _il.Emit(OpCodes.Conv_U8); _il.Emit(OpCodes.Sub);
        return _times.Store();
    }

    private void Drain(Time t)
    {
        var kept = _times.Undominated([.. _drained, t]);
        _drained.Clear();
        _drained.AddRange(kept);
    }

    /// <summary>A scoreboard entry: the time written here, else the array's, read once.</summary>
    private Time Entry(Dictionary<int, Time> written, LocalBuilder array, int index)
    {
        if (written.TryGetValue(index, out var t)) return t;
        Element(array, index); _il.Emit(OpCodes.Ldind_I8);
        return written[index] = _times.Store();
    }

    private void WriteReady(byte reg, Time t)
    {
        if (reg >= StaticOperands.Count) return; // an absent operand writes nothing anyone reads
        WriteEntry(_ready, _readyArray, reg, t);
    }

    private void WriteEntry(Dictionary<int, Time> written, LocalBuilder array, int index, Time t)
    {
        written[index] = t;
        Element(array, index); _times.Push(t); _il.Emit(OpCodes.Stind_I8);
    }

    /// <summary>Pushes the address of element <paramref name="index"/> of the array whose first element <paramref name="first"/> refers to.</summary>
    private void Element(LocalBuilder first, int index)
    {
        _il.Emit(OpCodes.Ldloc, first);
        if (index != 0) { _il.Emit(OpCodes.Ldc_I4, index * 8); _il.Emit(OpCodes.Add); }
    }

    private Time LoadTime(FieldInfo field)
    {
        _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, field);
        return _times.Store();
    }

    private void SetInt(LocalBuilder local, int value) { _il.Emit(OpCodes.Ldc_I4, value); _il.Emit(OpCodes.Stloc, local); }
    private void Load(FieldInfo field, LocalBuilder local) { _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, field); _il.Emit(OpCodes.Stloc, local); }
    private void Store(FieldInfo field, Action value) { _il.Emit(OpCodes.Ldloc, _model); value(); _il.Emit(OpCodes.Stfld, field); }
    private LocalBuilder Local(Type t) => _il.DeclareLocal(t);
    private static FieldInfo Field(string name) => typeof(A53Model).GetField(name, Instance)!;
}
