using System.Reflection;
using System.Reflection.Emit;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>
/// The IL of one block in the terms of the machine: guest registers and flags, the run loop's counters, handler
/// calls. The block method's arguments are (object unused, Cpu cpu, DecodedInst[] page, ulong stopAt, ulong budget); X0-X30 are
/// reached through a managed pointer to cpu.X[0] taken once per block (the array is never replaced), so a guest
/// register is one host load or store with no bounds check.
/// </summary>
internal sealed unsafe class BlockEmitter
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private static readonly Type[] HandlerParameters = [typeof(Cpu), typeof(DecodedInst).MakeByRefType()];
    public static readonly FieldInfo NextPc = typeof(Cpu).GetField(nameof(Cpu.NextPc))!;
    public static readonly FieldInfo Pc = typeof(Cpu).GetField(nameof(Cpu.PC))!;
    public static readonly FieldInfo Retired = typeof(Cpu).GetField(nameof(Cpu.Retired))!;
    private static readonly FieldInfo Sp = typeof(Cpu).GetField(nameof(Cpu.SP))!;
    private static readonly FieldInfo Nzcv = typeof(Cpu).GetField(nameof(Cpu.Nzcv))!;
    private static readonly FieldInfo X = typeof(Cpu).GetField(nameof(Cpu.X))!;
    public static readonly FieldInfo Timing = typeof(Cpu).GetField("_timing", Instance)!;
    private static readonly FieldInfo Execute = typeof(DecodedInst).GetField(nameof(DecodedInst.Execute))!;
    private static readonly FieldInfo StopRequest = BackingField(nameof(Cpu.StopRequest));
    // The auto-properties' backing fields: in a long generated method RyuJIT's inlining budget runs out, and a
    // property's getter would then be a call per use.
    public static readonly FieldInfo Cycles = BackingField(nameof(Cpu.Cycles));
    private static readonly MethodInfo Retire = typeof(ITimingModel).GetMethod(nameof(ITimingModel.Retire))!;

    private readonly ILGenerator _il;
    private readonly Type _model;
    // A sealed model's Retire is called directly (an interface call from generated code goes through a stub). The
    // run loop translates again when the model changes (Cpu.RunTranslated.cs), so the cast always holds.
    private readonly MethodInfo _retire;
    private readonly LocalBuilder _x, _u64, _u32, _flags, _ran;

    public BlockEmitter(ILGenerator il, Type model)
    {
        _il = il;
        _model = model;
        _retire = model.IsSealed
            ? model.GetMethod(nameof(ITimingModel.Retire), [typeof(Cpu), typeof(DecodedInst).MakeByRefType(), typeof(ulong)]) ?? Retire
            : Retire;
        _x = il.DeclareLocal(typeof(ulong).MakeByRefType());
        _u64 = il.DeclareLocal(typeof(ulong));
        _u32 = il.DeclareLocal(typeof(uint));
        _flags = il.DeclareLocal(typeof(uint));
        _ran = il.DeclareLocal(typeof(int));
        // if (cpu == null) return 0: TranslatedBlock.Prepare compiles the block without running it.
        var run = il.DefineLabel();
        LoadCpu(); il.Emit(OpCodes.Brtrue, run); il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Ret);
        il.MarkLabel(run);
        // ref ulong x = ref cpu.X[0]
        LoadCpu(); il.Emit(OpCodes.Ldfld, X); il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Ldelema, typeof(ulong)); il.Emit(OpCodes.Stloc, _x);
    }

    /// <summary>The guest instruction being emitted goes to this label when its fast path does not apply; set by the
    /// translator for an inline form of <see cref="InlineKind.Memory"/>.</summary>
    public Label Bail { get; set; }

    /// <summary>Whether the inline load or store being emitted logs its accesses for the timing model (Cpu.AccessLog):
    /// not when the block charges them itself (<see cref="A53BlockTiming"/>, from <see cref="Access"/>).</summary>
    public bool LogAccesses { get; set; }

    /// <summary>The inline load or store just emitted: its address and host address (locals), and its accesses (one, or
    /// two for a pair) and their size.</summary>
    public (LocalBuilder Address, LocalBuilder Host, int Count, int Size)? Access { get; set; }

    /// <summary>
    /// The page the block's last inline read (or write) was proved on by the RAM fast path: its tag (VA page | 1, 0 for
    /// none) and the host address of its first byte, in locals. Another access in that page needs only its own alignment
    /// check: the fast path's entry can change only through what a handler does (a slow access filling the table, a
    /// TLB or translation change, which also ends the block), and a page's writes become tracked again only through a
    /// handler or the run loop (decoding code, a snapshot), so every handler call forgets the pages
    /// (<see cref="ForgetFastPages"/>).
    /// </summary>
    public (LocalBuilder Tag, LocalBuilder Base) FastPage(bool write)
    {
        ref var page = ref write ? ref _writePage : ref _readPage;
        page ??= (_il.DeclareLocal(typeof(ulong)), _il.DeclareLocal(typeof(nint))); // locals start at 0: no page
        return page.Value;
    }

    private (LocalBuilder Tag, LocalBuilder Base)? _readPage, _writePage;

    /// <summary>The remembered fast-path pages are forgotten (after a handler call).</summary>
    public void ForgetFastPages()
    {
        foreach (var page in new[] { _readPage, _writePage })
            if (page is { } p) { Constant(0UL); Store(p.Tag); }
    }

    public int Size => _il.ILOffset;
    public ILGenerator Il => _il;
    public Label Label() => _il.DefineLabel();
    public void Mark(Label l) => _il.MarkLabel(l);
    public void Goto(Label l) => _il.Emit(OpCodes.Br, l);
    public void Emit(OpCode op) => _il.Emit(op);
    public void Emit(OpCode op, Label l) => _il.Emit(op, l);
    public void Emit(OpCode op, FieldInfo f) => _il.Emit(op, f);
    public void Call(MethodInfo m) => _il.Emit(OpCodes.Call, m);
    public LocalBuilder Local(Type t) => _il.DeclareLocal(t);

    // Locals for one instruction's intermediate values, reused by the next instruction: fewer locals, less JIT time.
    private readonly List<LocalBuilder> _temps = [];
    private int _tempsUsed;

    /// <summary>A local free until <see cref="EndInstruction"/>.</summary>
    public LocalBuilder Temp(Type t)
    {
        for (int n = _tempsUsed; n < _temps.Count; n++)
            if (_temps[n].LocalType == t)
            {
                (_temps[n], _temps[_tempsUsed]) = (_temps[_tempsUsed], _temps[n]);
                return _temps[_tempsUsed++];
            }
        var local = _il.DeclareLocal(t);
        _temps.Add(local);
        (_temps[^1], _temps[_tempsUsed]) = (_temps[_tempsUsed], _temps[^1]);
        return _temps[_tempsUsed++];
    }

    /// <summary>The instruction's temporaries are free again.</summary>
    public void EndInstruction() => _tempsUsed = 0;
    public void Load(LocalBuilder l) => _il.Emit(OpCodes.Ldloc, l);
    public void Store(LocalBuilder l) => _il.Emit(OpCodes.Stloc, l);
    public void Address(LocalBuilder l) => _il.Emit(OpCodes.Ldloca, l);
    // The method's arguments: (object unused, Cpu cpu, DecodedInst[] page, ulong stopAt, ulong budget). The first is the
    // delegate's target (BlockTranslator.Target): a delegate closed over it calls the method directly, where an open
    // static one goes through a stub that shifts every argument.
    public void LoadCpu() => _il.Emit(OpCodes.Ldarg_1);
    public void LoadPage() => _il.Emit(OpCodes.Ldarg_2);
    public void LoadStopAt() => _il.Emit(OpCodes.Ldarg_3);
    public void LoadBudget() => _il.Emit(OpCodes.Ldarg_S, (byte)4);

    public void Constant(ulong value) => _il.Emit(OpCodes.Ldc_I8, (long)value);
    public void Constant(int value) => _il.Emit(OpCodes.Ldc_I4, value);
    public void Constant(long value) => _il.Emit(OpCodes.Ldc_I8, value);

    // ---- guest registers (Arm ARM X[], SP[]); values on the stack are 64-bit ----

    /// <summary>X[n]; 31 reads as XZR.</summary>
    public void LoadX(int n)
    {
        if (n == 31) { Constant(0UL); return; }
        _read |= 1UL << n;
        if (_locals[n] is { } local) { _il.Emit(OpCodes.Ldloc, local); return; }
        XAddress(n); _il.Emit(OpCodes.Ldind_I8);
    }

    /// <summary>W[n], zero-extended.</summary>
    public void LoadW(int n)
    {
        LoadX(n);
        if (n != 31) ZeroExtend32();
    }

    public void LoadReg(int n, bool sf) { if (sf) LoadX(n); else LoadW(n); }

    /// <summary>X[n] with 31 meaning SP.</summary>
    public void LoadXSp(int n)
    {
        if (n == 31) { LoadCpu(); _il.Emit(OpCodes.Ldfld, Sp); }
        else LoadX(n);
    }

    /// <summary>Pops a value into X[n]; a write to 31 (XZR) is discarded.</summary>
    public void StoreX(int n)
    {
        if (n == 31) { _il.Emit(OpCodes.Pop); return; }
        _written |= 1UL << n;
        if (_locals[n] is { } local) { _il.Emit(OpCodes.Stloc, local); return; }
        _il.Emit(OpCodes.Stloc, _u64);
        XAddress(n); _il.Emit(OpCodes.Ldloc, _u64); _il.Emit(OpCodes.Stind_I8);
    }

    /// <summary>Pops a result of the operand size into X[n]: a 32-bit result zero-extends.</summary>
    public void StoreReg(int n, bool sf)
    {
        if (!sf && n != 31) ZeroExtend32();
        StoreX(n);
    }

    /// <summary>Pops a value into X[n], 31 meaning SP.</summary>
    public void StoreXSp(int n)
    {
        if (n != 31) { StoreX(n); return; }
        _il.Emit(OpCodes.Stloc, _u64);
        LoadCpu(); _il.Emit(OpCodes.Ldloc, _u64); _il.Emit(OpCodes.Stfld, Sp);
    }

    public void ZeroExtend32() { _il.Emit(OpCodes.Conv_U4); _il.Emit(OpCodes.Conv_U8); }

    private void XAddress(int n)
    {
        _il.Emit(OpCodes.Ldloc, _x);
        if (n != 0) { _il.Emit(OpCodes.Ldc_I4, n * 8); _il.Emit(OpCodes.Add); }
    }

    // ---- PSTATE.NZCV ----

    public void LoadNzcv()
    {
        _read |= NzcvBit;
        if (_locals[NzcvIndex] is { } local) { _il.Emit(OpCodes.Ldloc, local); return; }
        LoadCpu(); _il.Emit(OpCodes.Ldfld, Nzcv);
    }

    /// <summary>Pops a uint into NZCV.</summary>
    public void StoreNzcv()
    {
        _written |= NzcvBit;
        if (_locals[NzcvIndex] is { } local) { _il.Emit(OpCodes.Stloc, local); return; }
        _il.Emit(OpCodes.Stloc, _u32);
        LoadCpu(); _il.Emit(OpCodes.Ldloc, _u32); _il.Emit(OpCodes.Stfld, Nzcv);
    }

    // ---- guest registers in locals: what the inline forms of a block read and write lives in IL locals (so in host
    // registers) from the block's entry; the machine's copy is brought up to date before anything else reads it (a
    // handler, the bail to one, the run loop after the block) and reloaded after a handler, which may write any. ----

    private const int NzcvIndex = 32;
    private const ulong NzcvBit = 1UL << NzcvIndex;
    private readonly LocalBuilder?[] _locals = new LocalBuilder?[33];
    private ulong _read, _written, _cached, _cachedWritten;

    /// <summary>The registers (bit 32: NZCV) read and written by what was emitted so far.</summary>
    public (ulong Read, ulong Written) Registers => (_read, _written);

    /// <summary>Keeps <paramref name="cached"/> registers in locals from here on, loaded now; <paramref name="written"/>
    /// are those the block may change, written back by <see cref="FlushRegisters"/>.</summary>
    public void CacheRegisters(ulong cached, ulong written)
    {
        _cached = cached;
        _cachedWritten = written & cached;
        for (int n = 0; n <= NzcvIndex; n++)
            if ((cached >> n & 1) != 0) _locals[n] = _il.DeclareLocal(n == NzcvIndex ? typeof(uint) : typeof(ulong));
        ReloadRegisters();
    }

    /// <summary>Writes the block's registers back to the machine.</summary>
    public void FlushRegisters()
    {
        for (int n = 0; n <= NzcvIndex; n++)
        {
            if ((_cachedWritten >> n & 1) == 0) continue;
            if (n == NzcvIndex) { LoadCpu(); _il.Emit(OpCodes.Ldloc, _locals[n]!); _il.Emit(OpCodes.Stfld, Nzcv); }
            else { XAddress(n); _il.Emit(OpCodes.Ldloc, _locals[n]!); _il.Emit(OpCodes.Stind_I8); }
        }
    }

    /// <summary>Loads the block's registers from the machine (at entry, and after a handler ran).</summary>
    public void ReloadRegisters()
    {
        for (int n = 0; n <= NzcvIndex; n++)
        {
            if ((_cached >> n & 1) == 0) continue;
            if (n == NzcvIndex) { LoadCpu(); _il.Emit(OpCodes.Ldfld, Nzcv); }
            else { XAddress(n); _il.Emit(OpCodes.Ldind_I8); }
            _il.Emit(OpCodes.Stloc, _locals[n]!);
        }
    }

    /// <summary>Pushes ConditionHolds(cond) (Arm ARM shared/functions/system/ConditionHolds) as 0 or 1, cond known.</summary>
    public void ConditionHolds(uint cond)
    {
        if ((cond >> 1) == 7) { _il.Emit(OpCodes.Ldc_I4_1); return; } // AL, NV
        LoadNzcv(); _il.Emit(OpCodes.Stloc, _flags);
        switch (cond >> 1)
        {
            case 0: Flag(30); break;                                       // EQ: Z
            case 1: Flag(29); break;                                       // CS: C
            case 2: Flag(31); break;                                       // MI: N
            case 3: Flag(28); break;                                       // VS: V
            case 4: Flag(29); Flag(30); Not(); _il.Emit(OpCodes.And); break; // HI: C && !Z
            case 5: NEqualsV(); break;                                     // GE: N == V
            case 6: NEqualsV(); Flag(30); Not(); _il.Emit(OpCodes.And); break; // GT: N == V && !Z
        }
        if ((cond & 1) != 0) Not();

        void Flag(int bit)
        {
            _il.Emit(OpCodes.Ldloc, _flags); _il.Emit(OpCodes.Ldc_I4, bit); _il.Emit(OpCodes.Shr_Un);
            _il.Emit(OpCodes.Ldc_I4_1); _il.Emit(OpCodes.And);
        }
        void NEqualsV() { Flag(31); Flag(28); _il.Emit(OpCodes.Xor); Not(); }
        void Not() { _il.Emit(OpCodes.Ldc_I4_1); _il.Emit(OpCodes.Xor); }
    }

    // ---- the run loop's state ----

    public void StoreConstant(FieldInfo field, ulong value)
    {
        LoadCpu(); Constant(value); _il.Emit(OpCodes.Stfld, field);
    }

    public void Copy(FieldInfo from, FieldInfo to)
    {
        LoadCpu(); LoadCpu(); _il.Emit(OpCodes.Ldfld, from); _il.Emit(OpCodes.Stfld, to);
    }

    /// <summary>PC and NextPc both <paramref name="pc"/>: where the interpreter is between instructions.</summary>
    public void SetPc(ulong pc)
    {
        StoreConstant(Pc, pc);
        StoreConstant(NextPc, pc);
    }

    /// <summary><see cref="SetPc(ulong)"/> with the PC in a local (a branch's next PC).</summary>
    public void SetPc(LocalBuilder pc)
    {
        LoadCpu(); Load(pc); _il.Emit(OpCodes.Stfld, Pc);
        LoadCpu(); Load(pc); _il.Emit(OpCodes.Stfld, NextPc);
    }

    public LocalBuilder Snapshot(FieldInfo field)
    {
        var local = _il.DeclareLocal(field.FieldType);
        LoadCpu(); _il.Emit(OpCodes.Ldfld, field); _il.Emit(OpCodes.Stloc, local);
        return local;
    }

    public void BranchIfChanged(FieldInfo field, LocalBuilder before, Label target)
    {
        LoadCpu(); _il.Emit(OpCodes.Ldfld, field); _il.Emit(OpCodes.Ldloc, before); _il.Emit(OpCodes.Bne_Un, target);
    }

    /// <summary>Goes to <paramref name="target"/> when someone asked the run to stop.</summary>
    public void BranchIfStopRequested(Label target)
    {
        LoadCpu(); _il.Emit(OpCodes.Ldflda, StopRequest);
        _il.Emit(OpCodes.Call, typeof(StopReason?).GetProperty(nameof(Nullable<StopReason>.HasValue))!.GetMethod!);
        _il.Emit(OpCodes.Brtrue, target);
    }

    /// <summary>handler(cpu, ref page[index]): a direct call where the handler's method is known (RyuJIT may inline it).</summary>
    public void CallHandler(int index, delegate*<Cpu, ref DecodedInst, void> handler)
    {
        LoadCpu(); LoadInst(index);
        if (HandlerMethods.Find(handler) is { } method) _il.Emit(OpCodes.Call, method);
        else
        {
            LoadInst(index); _il.Emit(OpCodes.Ldfld, Execute);
            _il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, typeof(void), HandlerParameters, null);
        }
    }

    /// <summary>cpu.Retired += count; cpu.Cycles += count, or what the model says for the instruction <paramref name="retire"/>.</summary>
    public void Account(int count, (int Index, ulong At)? retire = null)
    {
        if (count == 0) return;
        Add(Retired, () => Constant((ulong)count));
        if (retire is not { } r) Add(Cycles, () => Constant((ulong)count));
        else Add(Cycles, () =>
        {
            LoadCpu(); _il.Emit(OpCodes.Ldfld, Timing);
            if (_retire != Retire) _il.Emit(OpCodes.Castclass, _model);
            LoadCpu(); LoadInst(r.Index); Constant(r.At);
            _il.Emit(_retire == Retire ? OpCodes.Callvirt : OpCodes.Call, _retire);
        });
    }

    private void Add(FieldInfo field, Action amount)
    {
        LoadCpu(); _il.Emit(OpCodes.Dup); _il.Emit(OpCodes.Ldfld, field);
        amount();
        _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stfld, field);
    }

    // ---- steps: the block may loop on itself, so what it ran is a count in a local plus the instructions of this pass ----

    /// <summary>Adds <paramref name="n"/> to the steps run in earlier passes of a self-looping block.</summary>
    public void AddRan(int n)
    {
        _il.Emit(OpCodes.Ldloc, _ran); Constant(n); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Stloc, _ran);
    }

    /// <summary>Pushes the steps run: earlier passes plus <paramref name="n"/>.</summary>
    public void LoadRan(int n)
    {
        _il.Emit(OpCodes.Ldloc, _ran);
        if (n != 0) { Constant(n); _il.Emit(OpCodes.Add); }
    }

    /// <summary>Leaves the block, its registers written back, returning the steps run.</summary>
    public void Return(int n)
    {
        FlushRegisters();
        ReturnWithoutFlush(n);
    }

    /// <summary>Leaves the block, its registers written back, returning the steps run: earlier passes plus what
    /// <paramref name="steps"/> pushes (an int).</summary>
    public void Return(Action steps)
    {
        FlushRegisters();
        ReturnWithoutFlush(steps);
    }

    /// <summary><see cref="ReturnWithoutFlush(int)"/>, the steps of this pass pushed by <paramref name="steps"/> (an int).</summary>
    public void ReturnWithoutFlush(Action steps)
    {
        _il.Emit(OpCodes.Ldloc, _ran); steps(); _il.Emit(OpCodes.Add); _il.Emit(OpCodes.Ret);
    }

    /// <summary>Leaves the block where the machine's registers are already current (a handler ran last).</summary>
    public void ReturnWithoutFlush(int n)
    {
        LoadRan(n); _il.Emit(OpCodes.Ret);
    }

    /// <summary>Goes to <paramref name="next"/> while the clock (cpu.Cycles, or what <paramref name="clock"/> pushes where
    /// the block holds it) is before stopAt (argument 2); falls through otherwise. Not the budget: a pass of the block
    /// fits in it (the run loop enters a block only then, a self-loop runs another pass only after
    /// <see cref="BranchUnlessPassFits"/>).</summary>
    public void BranchUnlessBefore(Label next, Action? clock = null)
    {
        if (clock != null) clock();
        else { LoadCpu(); _il.Emit(OpCodes.Ldfld, Cycles); }
        LoadStopAt(); _il.Emit(OpCodes.Blt_Un, next);
    }

    /// <summary>Falls through when another pass of <paramref name="length"/> instructions fits in the budget, after
    /// <paramref name="ran"/> steps of this one; else goes to <paramref name="no"/>.</summary>
    public void BranchUnlessPassFits(Label no, int length, int ran)
    {
        // budget - ran >= length  <=>  budget >= ran + length (ran + length is small)
        LoadBudget(); LoadRan(ran + length); _il.Emit(OpCodes.Conv_I8); _il.Emit(OpCodes.Blt_Un, no);
    }

    /// <summary>Goes to <paramref name="target"/> when another <paramref name="length"/> one-cycle instructions fit before
    /// stopAt and within the budget (<see cref="BlockTranslator.Fits"/>), <paramref name="ran"/> steps run so far.</summary>
    public void BranchIfFits(Label target, int length, int ran)
    {
        var no = _il.DefineLabel();
        BranchUnlessPassFits(no, length, ran);
        // stopAt > cycles && stopAt - cycles >= length
        LoadStopAt(); LoadCpu(); _il.Emit(OpCodes.Ldfld, Cycles); _il.Emit(OpCodes.Ble_Un, no);
        LoadStopAt(); LoadCpu(); _il.Emit(OpCodes.Ldfld, Cycles); _il.Emit(OpCodes.Sub); Constant((ulong)length);
        _il.Emit(OpCodes.Bge_Un, target);
        _il.MarkLabel(no);
    }

    public void LoadInst(int index)
    {
        LoadPage(); _il.Emit(OpCodes.Ldc_I4, index); _il.Emit(OpCodes.Ldelema, typeof(DecodedInst));
    }

    public static FieldInfo BackingField(string property) =>
        typeof(Cpu).GetField($"<{property}>k__BackingField", Instance) ?? throw new MissingFieldException(nameof(Cpu), property);
}
