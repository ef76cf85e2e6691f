using System.Reflection;
using System.Reflection.Emit;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Timing.A53;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>
/// The A53 model's per-block static part. For an instruction generated inline, the block runs the model's issue step
/// (<see cref="A53Model.Retire"/>) itself, with what translation knows as constants: the instruction's profile and
/// operands, and whether it is in the 64-byte fetch line of the one before. The pipeline's scalar state (issue cycle,
/// slots used, slot 0's unit, fetch and drain times) lives in IL locals from one such instruction to the next, so in
/// host registers; the scoreboard stays the model's array. What depends on the run is a call into the model: a new
/// fetch line (<see cref="A53Model.FetchInBlock"/>), the data accesses through TLBs and caches
/// (<see cref="A53Model.AccessInBlock"/>), the table walks of the fetch that brought the block's first instruction
/// (<see cref="A53Model.WalksInBlock"/>), a direct branch's prediction (<see cref="A53Model.BranchInBlock"/>). Any other
/// instruction calls Retire, which reads the state from the model: <see cref="Release"/> writes it back before, and
/// every way out of the block does too (<see cref="Save"/>).
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
        AccessLatencyField = Field(nameof(A53Model.AccessLatency));
    private static readonly FieldInfo StatsField = typeof(A53Model).GetField($"<{nameof(A53Model.Stats)}>k__BackingField", Instance)!;
    private static readonly FieldInfo DualIssued = typeof(A53Statistics).GetField(nameof(A53Statistics.DualIssued))!;
    private static readonly MethodInfo FetchInBlock = typeof(A53Model).GetMethod(nameof(A53Model.FetchInBlock), Instance)!;
    private static readonly MethodInfo WalksInBlock = typeof(A53Model).GetMethod(nameof(A53Model.WalksInBlock), Instance)!;
    private static readonly MethodInfo AccessInBlock = typeof(A53Model).GetMethod(nameof(A53Model.AccessInBlock), Instance)!;
    private static readonly MethodInfo EnterBlock = typeof(A53Model).GetMethod(nameof(A53Model.EnterBlock), Instance)!;
    private static readonly MethodInfo BranchInBlock = typeof(A53Model).GetMethod(nameof(A53Model.BranchInBlock), Instance)!;
    private static readonly MethodInfo CountInBlock = typeof(A53Model).GetMethod(nameof(A53Model.CountInBlock), Instance)!;
    private static readonly MethodInfo MaxMethod = typeof(A53BlockTiming).GetMethod(nameof(Max), BindingFlags.Static | BindingFlags.NonPublic)!;

    private readonly BlockEmitter _e;
    private readonly ILGenerator _il;
    private readonly LocalBuilder _model, _ready, _unitFree;
    private readonly LocalBuilder _cycle, _slots, _slot0, _lastSlot, _fetchReady, _drained, _dual, _value;

    /// <summary>Whether the locals hold the pipeline's state (else the model's fields do).</summary>
    public bool Live { get; private set; }

    /// <summary>The clock while <see cref="Live"/>: cpu.Cycles is behind it until <see cref="Save"/>.</summary>
    public LocalBuilder Cycle => _cycle;

    /// <summary>What the instructions issued here count, added to the machine only by <see cref="Save"/>: cpu.Retired,
    /// and the accesses of the loads and stores (<see cref="A53Model.CountInBlock"/>). Nothing reads them in between:
    /// a handler or the model's Retire runs only after <see cref="Release"/>.</summary>
    public readonly record struct Counts(int Retired, int Loads, int Stores, int Accesses);

    /// <summary>The counts since the state was acquired, at this point of the block (for a way out emitted later).</summary>
    public Counts Pending { get; private set; }

    /// <summary>Emits, at the block's entry, the model and its scoreboard arrays (never replaced) into locals.</summary>
    public A53BlockTiming(BlockEmitter e)
    {
        _e = e;
        _il = e.Il;
        _model = Local(typeof(A53Model));
        _ready = Local(typeof(ulong).MakeByRefType());
        _unitFree = Local(typeof(ulong).MakeByRefType());
        (_cycle, _fetchReady, _drained, _dual, _value) = (Local(typeof(ulong)), Local(typeof(ulong)), Local(typeof(ulong)), Local(typeof(ulong)), Local(typeof(ulong)));
        (_slots, _slot0, _lastSlot) = (Local(typeof(int)), Local(typeof(int)), Local(typeof(int)));
        e.LoadCpu(); _il.Emit(OpCodes.Ldfld, BlockEmitter.Timing); _il.Emit(OpCodes.Castclass, typeof(A53Model)); _il.Emit(OpCodes.Stloc, _model);
        foreach (var (array, local) in new[] { (ReadyField, _ready), (UnitFreeField, _unitFree) })
        {
            _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, array); _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Ldelema, typeof(ulong)); _il.Emit(OpCodes.Stloc, local);
        }
    }

    /// <summary>Whether the block issues <paramref name="inst"/> itself when it is generated inline: not a divide (its
    /// latency depends on the quotient) nor a multiply-accumulate with a late accumulator, which Retire handles.</summary>
    public static bool Handles(in DecodedInst inst)
    {
        var p = IssueProfile.Of(in inst);
        return p.Unit is not (IssueUnit.Divide or IssueUnit.FpDivide or IssueUnit.Serialising) && p.AccumulatorLate == 0;
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

    /// <summary>Writes the state back to the model, and the clock to cpu.Cycles, if the locals hold it; they stop holding it.</summary>
    public void Release()
    {
        if (!Live) return;
        Save();
        Live = false;
    }

    /// <summary>Writes the state back on a way out of the block where it was <see cref="Live"/> (the locals keep holding
    /// it for the code that follows), with the <see cref="Pending"/> counts of that point (<paramref name="at"/>, or now).</summary>
    public void Save(Counts? at = null)
    {
        var c = at ?? Pending;
        if (c.Retired != 0) _e.CountRetired(c.Retired);
        if (c.Accesses != 0)
        {
            _il.Emit(OpCodes.Ldloc, _model); _e.LoadCpu(); _e.Constant(c.Loads); _e.Constant(c.Stores); _e.Constant(c.Accesses);
            _il.Emit(OpCodes.Call, CountInBlock);
        }
        Store(CycleField, _cycle); Store(SlotsField, _slots); Store(Slot0Field, _slot0); Store(LastSlotField, _lastSlot);
        Store(FetchReadyField, _fetchReady); Store(DrainedField, _drained);
        _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, StatsField); _il.Emit(OpCodes.Ldflda, DualIssued);
        _il.Emit(OpCodes.Dup); _il.Emit(OpCodes.Ldind_I8); _il.Emit(OpCodes.Ldloc, _dual); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stind_I8);
        _e.LoadCpu(); _il.Emit(OpCodes.Ldloc, _cycle); _il.Emit(OpCodes.Stfld, BlockEmitter.Cycles);
    }

    private void Acquire()
    {
        if (Live) return;
        Live = true;
        Load(CycleField, _cycle); Load(SlotsField, _slots); Load(Slot0Field, _slot0); Load(LastSlotField, _lastSlot);
        Load(FetchReadyField, _fetchReady); Load(DrainedField, _drained);
        _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Stloc, _dual);
        Pending = default;
    }

    /// <summary>
    /// The issue of <paramref name="inst"/> at <paramref name="at"/>, just run inline, as <see cref="A53Model.Retire"/>
    /// computes it; <paramref name="sameLine"/>: the instruction before it in the block was in the same 64-byte line,
    /// so the front end delivers it when it delivers any (FrontEnd.FetchCurrent). The block's <paramref name="first"/>
    /// instruction, unless a load or store (<see cref="BranchIfClockMoved"/>), rebases the model as Retire would when
    /// the clock moved without it: the same before the instruction as after, since it makes no data access. A direct
    /// branch (<paramref name="index"/>: its place in the page) then trains the predictor, whose verdict may delay the
    /// stream.
    /// </summary>
    public void Retire(in DecodedInst inst, ulong at, bool first, bool sameLine, int index)
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
        if (first) sameLine = false;
        Acquire();
        var p = IssueProfile.Of(in inst);
        bool store = (inst.Flags & InstFlags.Store) != 0, pair = (inst.Flags & InstFlags.Pair) != 0;
        Pending = Pending with { Retired = Pending.Retired + 1 };
        if (memory && _e.Access is { } counted)
            Pending = Pending with
            {
                Loads = Pending.Loads + (store ? 0 : 1), Stores = Pending.Stores + (store ? 1 : 0), Accesses = Pending.Accesses + counted.Count,
            };

        // When it can issue: the stream, the latest source (a store's data is read a cycle after issue), its pipe.
        var earliest = _e.Temp(typeof(ulong));
        if (sameLine) _il.Emit(OpCodes.Ldloc, _fetchReady);
        else
        {
            _il.Emit(OpCodes.Ldloc, _model); _e.LoadCpu(); _e.Constant(at); _il.Emit(OpCodes.Ldloc, _fetchReady);
            _il.Emit(OpCodes.Call, FetchInBlock);
        }
        _il.Emit(OpCodes.Stloc, earliest);
        foreach (var (src, late) in new[] { (inst.Src0, false), (inst.Src3, false), (inst.Src1, store), (inst.Src2, store && pair) })
        {
            if (src >= StaticOperands.Count) continue; // no operand: reads 0
            Element(_ready, src); _il.Emit(OpCodes.Ldind_I8);
            if (late) SaturatingDecrement();
            MaxInto(earliest);
        }
        Element(_unitFree, (int)p.Pipe & 15); _il.Emit(OpCodes.Ldind_I8);
        MaxInto(earliest);

        // Slot 1 beside the older instruction when it is free, everything is ready and the pairing rules allow;
        // otherwise the next cycle (or later) in slot 0. Either way _cycle becomes the issue cycle.
        var notDual = _il.DefineLabel();
        var issued = _il.DefineLabel();
        if (p.Slot1After != 0)
        {
            _il.Emit(OpCodes.Ldloc, _slots); _il.Emit(OpCodes.Ldc_I4_1); _il.Emit(OpCodes.Bne_Un, notDual);
            _il.Emit(OpCodes.Ldloc, earliest); _il.Emit(OpCodes.Ldloc, _cycle); _il.Emit(OpCodes.Bgt_Un, notDual);
            _il.Emit(OpCodes.Ldc_I4, (int)p.Slot1After); _il.Emit(OpCodes.Ldloc, _slot0); _il.Emit(OpCodes.Shr_Un);
            _il.Emit(OpCodes.Ldc_I4_1); _il.Emit(OpCodes.And); _il.Emit(OpCodes.Brfalse, notDual);
            SetInt(_lastSlot, 1); SetInt(_slots, 2);
            _il.Emit(OpCodes.Ldloc, _dual); _il.Emit(OpCodes.Ldc_I8, 1L); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stloc, _dual);
            _il.Emit(OpCodes.Br, issued);
        }
        _il.MarkLabel(notDual);
        _il.Emit(OpCodes.Ldloc, _cycle); _il.Emit(OpCodes.Ldc_I8, 1L); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stloc, _cycle);
        _il.Emit(OpCodes.Ldloc, earliest); MaxInto(_cycle);
        SetInt(_lastSlot, 0); SetInt(_slot0, (int)p.Unit); SetInt(_slots, p.SingleIssue ? 2 : 1);
        _il.MarkLabel(issued);

        // Results: a load or store may stall (its accesses), and so may the block's first instruction: the table walk of
        // the fetch that brought it (between blocks) is charged to it.
        LocalBuilder? start = memory || first ? ChargedResults(in inst, in p, pair, first) : null;
        if (start == null)
        {
            // Register only: no stall, so every time is the issue cycle plus a constant.
            ulong latency2 = pair && p.Latency2 != 0 ? p.Latency2 : p.Latency;
            WriteReady(inst.Dst0, () => AfterIssue(p.Latency));
            WriteReady(inst.Dst1, () => AfterIssue(pair ? latency2 : p.Latency));
            WriteReady(inst.Dst2, () => AfterIssue(1));
            if (!p.Shared || p.Occupancy > 1) { Element(_unitFree, (int)p.Pipe & 15); AfterIssue(p.Occupancy); _il.Emit(OpCodes.Stind_I8); }
            AfterIssue(Math.Max((ulong)p.Latency, p.Occupancy)); MaxInto(_drained);
        }
        if ((inst.Flags & InstFlags.Branch) != 0)
        {
            // lost = the predictor's verdict; a loss holds the stream until issue + 1 + lost.
            var flowing = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, _model); _e.LoadCpu(); _e.LoadInst(index); _e.Constant(at); _il.Emit(OpCodes.Call, BranchInBlock);
            _il.Emit(OpCodes.Dup); _il.Emit(OpCodes.Stloc, _value); _il.Emit(OpCodes.Brfalse, flowing);
            _il.Emit(OpCodes.Ldloc, _value); _il.Emit(OpCodes.Ldloc, start ?? _cycle); _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Ldc_I8, 1L); _il.Emit(OpCodes.Add); MaxInto(_fetchReady);
            _il.MarkLabel(flowing);
        }
    }

    /// <summary>The results with what the model charges for data accesses and table walks since the last instruction
    /// (the <paramref name="first"/> instruction's only): Retire's own arithmetic, in its order (the accesses, then the
    /// walks, whose descriptor reads also go through L1D). Returns the local holding issue + stall.</summary>
    private LocalBuilder ChargedResults(in DecodedInst inst, in IssueProfile p, bool pair, bool first)
    {
        var stall = _e.Temp(typeof(ulong));
        var latency = _e.Temp(typeof(ulong));   // the accesses' extra latency, then the result's
        var occupancy = _e.Temp(typeof(ulong)); // the accesses' extra occupancy, then the pipe's
        var start = _e.Temp(typeof(ulong));     // issue + stall
        var done = _e.Temp(typeof(ulong));
        var second = _e.Temp(typeof(ulong));    // LDP's second register: Latency2 (or Latency) plus the extra
        if (_e.Access is { } access)
        {
            // An inline load or store: the block did not log its accesses (BlockEmitter.LogAccesses), which are aligned and
            // in one fast-path page (AccessInBlock).
            _il.Emit(OpCodes.Ldloc, _model); _e.LoadCpu(); _il.Emit(OpCodes.Ldloc, access.Address);
            _il.Emit(OpCodes.Ldc_I4, access.Size); _il.Emit(OpCodes.Ldc_I4, access.Count);
            _il.Emit((inst.Flags & InstFlags.Store) != 0 ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Call, AccessInBlock); _il.Emit(OpCodes.Stloc, stall);
            _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, AccessLatencyField); _il.Emit(OpCodes.Stloc, latency);
            _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Stloc, occupancy);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Stloc, stall);
            _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Stloc, latency);
            _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Stloc, occupancy);
        }
        if (first)
        {
            // The walks of the fetch that brought the block's first instruction.
            _il.Emit(OpCodes.Ldloc, stall); _il.Emit(OpCodes.Ldloc, _model); _e.LoadCpu(); _il.Emit(OpCodes.Call, WalksInBlock);
            _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stloc, stall);
        }
        _il.Emit(OpCodes.Ldloc, _cycle); _il.Emit(OpCodes.Ldloc, stall); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stloc, start);
        if (pair)
        {
            _il.Emit(OpCodes.Ldloc, start); _il.Emit(OpCodes.Ldloc, latency); _il.Emit(OpCodes.Ldc_I8, (long)(p.Latency2 != 0 ? p.Latency2 : p.Latency));
            _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stloc, second);
        }
        _il.Emit(OpCodes.Ldloc, latency); _il.Emit(OpCodes.Ldc_I8, (long)p.Latency); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stloc, latency);
        _il.Emit(OpCodes.Ldloc, occupancy); _il.Emit(OpCodes.Ldc_I8, (long)p.Occupancy); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stloc, occupancy);
        _il.Emit(OpCodes.Ldloc, start); _il.Emit(OpCodes.Ldloc, latency); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stloc, done);
        WriteReady(inst.Dst0, () => _il.Emit(OpCodes.Ldloc, done));
        WriteReady(inst.Dst1, () => _il.Emit(OpCodes.Ldloc, pair ? second : done));
        WriteReady(inst.Dst2, () => AfterIssue(1));

        // The pipe: held past the stall and the occupancy (a shared unit only past a one-cycle op or with a stall).
        var free = _il.DefineLabel();
        if (p.Shared)
        {
            var hold = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, stall); _il.Emit(OpCodes.Brtrue, hold);
            _il.Emit(OpCodes.Ldloc, occupancy); _il.Emit(OpCodes.Ldc_I8, 1L); _il.Emit(OpCodes.Ble_Un, free);
            _il.MarkLabel(hold);
        }
        Element(_unitFree, (int)p.Pipe & 15); _il.Emit(OpCodes.Ldloc, start); _il.Emit(OpCodes.Ldloc, occupancy); _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Stind_I8);
        _il.MarkLabel(free);
        _il.Emit(OpCodes.Ldloc, done); MaxInto(_drained);
        _il.Emit(OpCodes.Ldloc, start); _il.Emit(OpCodes.Ldloc, occupancy); _il.Emit(OpCodes.Add); MaxInto(_drained);

        // A stall holds everything younger: the stream resumes after it.
        var flowing = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, stall); _il.Emit(OpCodes.Brfalse, flowing);
        _il.Emit(OpCodes.Ldloc, start); _il.Emit(OpCodes.Ldc_I8, 1L); _il.Emit(OpCodes.Add); MaxInto(_fetchReady);
        _il.MarkLabel(flowing);
        return start;
    }

    /// <summary>ready[reg] = value, for a tracked register (an absent operand writes nothing anyone reads).</summary>
    private void WriteReady(byte reg, Action value)
    {
        if (reg >= StaticOperands.Count) return;
        Element(_ready, reg);
        value();
        _il.Emit(OpCodes.Stind_I8);
    }

    private void AfterIssue(ulong cycles)
    {
        _il.Emit(OpCodes.Ldloc, _cycle);
        if (cycles != 0) { _il.Emit(OpCodes.Ldc_I8, (long)cycles); _il.Emit(OpCodes.Add); }
    }

    /// <summary>Pushes the address of element <paramref name="index"/> of the array whose first element <paramref name="first"/> refers to.</summary>
    private void Element(LocalBuilder first, int index)
    {
        _il.Emit(OpCodes.Ldloc, first);
        if (index != 0) { _il.Emit(OpCodes.Ldc_I4, index * 8); _il.Emit(OpCodes.Add); }
    }

    /// <summary>Pops v; target = max(target, v): a call RyuJIT inlines as a conditional move. Several per instruction:
    /// as IL branches they would push a long block past the basic-block count RyuJIT optimises
    /// (<see cref="BlockTranslator.MaxIlBytes"/>); a call is one IL instruction.</summary>
    private void MaxInto(LocalBuilder target)
    {
        _il.Emit(OpCodes.Ldloc, target);
        _il.Emit(OpCodes.Call, MaxMethod);
        _il.Emit(OpCodes.Stloc, target);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong Max(ulong a, ulong b) => a > b ? a : b;

    /// <summary>v on the stack becomes v - 1, or 0 for 0.</summary>
    private void SaturatingDecrement()
    {
        _il.Emit(OpCodes.Stloc, _value);
        _il.Emit(OpCodes.Ldloc, _value); _il.Emit(OpCodes.Ldloc, _value); _il.Emit(OpCodes.Ldc_I8, 0L); _il.Emit(OpCodes.Cgt_Un);
        _il.Emit(OpCodes.Conv_U8); _il.Emit(OpCodes.Sub);
    }

    private void SetInt(LocalBuilder local, int value) { _il.Emit(OpCodes.Ldc_I4, value); _il.Emit(OpCodes.Stloc, local); }
    private void Load(FieldInfo field, LocalBuilder local) { _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldfld, field); _il.Emit(OpCodes.Stloc, local); }
    private void Store(FieldInfo field, LocalBuilder local) { _il.Emit(OpCodes.Ldloc, _model); _il.Emit(OpCodes.Ldloc, local); _il.Emit(OpCodes.Stfld, field); }
    private LocalBuilder Local(Type t) => _il.DeclareLocal(t);
    private static FieldInfo Field(string name) => typeof(A53Model).GetField(name, Instance)!;
}
