using System.Reflection;
using System.Reflection.Emit;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Translation;

/// <summary>
/// Translates a guest basic block into a .NET method (a <see cref="DynamicMethod"/> that RyuJIT compiles). The block
/// does per instruction exactly what the interpreter's loop does (Cpu.Run.cs RunFast): NextPc, the handler, PC,
/// Retired, the timing model's cycles; what it leaves out are the loop's checks before each instruction, which hold
/// for the whole block: see <see cref="EndsBlock"/> and <see cref="TranslatedBlock"/> for when it stops early.
/// </summary>
internal static unsafe class BlockTranslator
{
    /// <summary>The longest block; a page holds 1024 instructions, and a block never leaves its page.</summary>
    public const int MaxLength = 64;

    private static readonly Type[] Parameters = [typeof(Cpu), typeof(DecodedInst[]), typeof(ulong), typeof(ulong)];
    private static readonly Type[] HandlerParameters = [typeof(Cpu), typeof(DecodedInst).MakeByRefType()];
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private static readonly FieldInfo NextPc = typeof(Cpu).GetField(nameof(Cpu.NextPc))!;
    private static readonly FieldInfo Pc = typeof(Cpu).GetField(nameof(Cpu.PC))!;
    private static readonly FieldInfo Retired = typeof(Cpu).GetField(nameof(Cpu.Retired))!;
    private static readonly FieldInfo Timing = typeof(Cpu).GetField("_timing", Instance)!;
    private static readonly FieldInfo SlowAccesses = typeof(Cpu).GetField(nameof(Cpu.SlowAccesses), Instance)!;
    private static readonly FieldInfo Execute = typeof(DecodedInst).GetField(nameof(DecodedInst.Execute))!;
    // The auto-properties' backing fields: in a long generated method RyuJIT's inlining budget runs out, and a
    // property's getter would then be a call per use.
    private static readonly FieldInfo Cycles = BackingField(nameof(Cpu.Cycles));
    private static readonly FieldInfo ExceptionsTaken = BackingField(nameof(Cpu.ExceptionsTaken));
    private static readonly FieldInfo Epoch = BackingField(nameof(Cpu.TranslationEpoch));
    private static readonly MethodInfo Retire = typeof(ITimingModel).GetMethod(nameof(ITimingModel.Retire))!;

    /// <summary>Whether the block ends after this instruction: a branch, or anything that may change what the loop checks
    /// between instructions (system registers, exception levels, interrupt masks, translation, the clock's events).</summary>
    public static bool EndsBlock(in DecodedInst inst) =>
        (inst.Flags & (InstFlags.Branch | InstFlags.Serialising)) != 0
        || inst.Timing is TimingClass.Exception or TimingClass.System or TimingClass.Barrier or TimingClass.CacheMaintenance
            or TimingClass.Hint or TimingClass.Branch or TimingClass.BranchIndirect
        || inst.Row == Decoder.UndefinedRow;

    /// <summary>Integer computation on registers only: it cannot take an exception, reach a device or write code, and
    /// reads neither the clock nor NextPc (ADR reads PC, which the block keeps right before every handler).</summary>
    private static bool IntegerOnly(in DecodedInst inst) =>
        (inst.Flags & (InstFlags.Load | InstFlags.Store | InstFlags.Branch | InstFlags.Serialising)) == 0
        && inst.Timing is TimingClass.Alu or TimingClass.AluShifted or TimingClass.Shift or TimingClass.Bitfield
            or TimingClass.Multiply or TimingClass.MultiplyAccumulate or TimingClass.MultiplyHigh or TimingClass.Divide
            or TimingClass.Crc;

    /// <summary>May reach memory (a device, a code page): FP/SIMD data processing may trap, but touches no memory.</summary>
    private static bool MayAccessMemory(in DecodedInst inst) =>
        !IntegerOnly(in inst) && !((inst.Flags & (InstFlags.Load | InstFlags.Store)) == 0 && inst.Timing == TimingClass.SimdFp);

    /// <summary>
    /// Translates the block of <paramref name="length"/> decoded instructions from <paramref name="first"/> of
    /// <paramref name="page"/>, the first at <paramref name="pc"/>.
    /// <para>Under the `simple` model every instruction costs one cycle, so the run loop enters
    /// the block only when all of it fits before the next event and the step limit (<see cref="Fits"/>), and the block
    /// checks neither; it adds instructions and cycles in one sum before each handler that could observe them (one
    /// that may take an exception or reach a device) and on the way out. Otherwise the model is asked after each
    /// instruction, and the block stops once the clock reaches the event or the limit.</para>
    /// </summary>
    public static TranslatedBlock Translate(DecodedInst[] page, int first, int length, ulong pc, ITimingModel model)
    {
        bool oneCycle = model is OneCyclePerInstruction;
        var method = new DynamicMethod($"block_{pc:X}", typeof(int), Parameters, typeof(Cpu).Module, skipVisibility: true);
        var il = new Emitter(method.GetILGenerator(), model.GetType());
        var taken = il.Snapshot(ExceptionsTaken);
        var slow = il.Snapshot(SlowAccesses);
        var epoch = il.Snapshot(Epoch);
        int pending = 0; // instructions run whose Retired and Cycles are not added yet (oneCycle)
        bool pcStale = false; // whether cpu.PC is behind the instruction about to run

        for (int n = 0; n < length; n++)
        {
            int index = first + n;
            ulong at = pc + 4UL * (ulong)n;
            ref DecodedInst inst = ref page[index];
            bool last = n == length - 1, integer = IntegerOnly(in inst);
            if (oneCycle && !integer) { il.Account(pending); pending = 0; }
            if (pcStale) il.StoreConstant(Pc, at);
            if (!integer || last || !oneCycle) il.StoreConstant(NextPc, at + 4);
            il.CallHandler(index, inst.Execute);
            bool branch = (inst.Flags & InstFlags.Branch) != 0 || !integer;
            if (oneCycle)
            {
                pending++;
                pcStale = integer;
                if (!integer) il.Copy(NextPc, Pc);
            }
            else
            {
                // cpu.PC = cpu.NextPc; cpu.Retired++; cpu.Cycles += cpu._timing.Retire(cpu, ref page[index], at)
                if (branch) il.Copy(NextPc, Pc); else il.StoreConstant(Pc, at + 4);
                il.Account(1, retire: (index, at));
            }
            if (last) break;

            // Early exits after an instruction that could have changed what the run loop checks.
            var next = il.Label();
            var leave = il.Label();
            if (!integer)
            {
                il.BranchIfChanged(ExceptionsTaken, taken, leave);
                if (MayAccessMemory(in inst))
                {
                    il.BranchIfChanged(SlowAccesses, slow, leave);
                    il.BranchIfChanged(Epoch, epoch, leave);
                }
            }
            if (!oneCycle) il.BranchUnlessBefore(next, n + 1);
            else if (!integer) il.Goto(next);
            if (!oneCycle || !integer)
            {
                il.Mark(leave);
                if (oneCycle) il.Account(pending);
                il.Return(n + 1);
                il.Mark(next);
            }
        }
        if (oneCycle)
        {
            il.Account(pending);
            if (pcStale) il.StoreConstant(Pc, pc + 4UL * (ulong)length);
        }
        il.Return(length);
        var code = (BlockCode)method.CreateDelegate(typeof(BlockCode));
        return new TranslatedBlock(code, length, il.Size);
    }

    /// <summary>Whether a `simple`-model block of <paramref name="length"/> instructions runs whole before the clock
    /// reaches <paramref name="stopAt"/> and within <paramref name="budget"/> steps.</summary>
    public static bool Fits(int length, ulong cycles, ulong stopAt, ulong budget) =>
        budget >= (ulong)length && stopAt > cycles && stopAt - cycles >= (ulong)length;

    /// <summary>The IL of one block, in the terms of the run loop.</summary>
    private sealed class Emitter(ILGenerator il, Type model)
    {
        // A sealed model's Retire is called directly (an interface call from generated code goes through a stub). The
        // run loop translates again when the model changes (Cpu.RunTranslated.cs), so the cast always holds.
        private readonly MethodInfo _retire = model.IsSealed
            ? model.GetMethod(nameof(ITimingModel.Retire), [typeof(Cpu), typeof(DecodedInst).MakeByRefType(), typeof(ulong)]) ?? Retire
            : Retire;

        public int Size => il.ILOffset;
        public Label Label() => il.DefineLabel();
        public void Mark(Label l) => il.MarkLabel(l);
        public void Goto(Label l) => il.Emit(OpCodes.Br, l);

        public LocalBuilder Snapshot(FieldInfo field)
        {
            var local = il.DeclareLocal(typeof(ulong));
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, field); il.Emit(OpCodes.Stloc, local);
            return local;
        }

        public void StoreConstant(FieldInfo field, ulong value)
        {
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldc_I8, (long)value); il.Emit(OpCodes.Stfld, field);
        }

        public void Copy(FieldInfo from, FieldInfo to)
        {
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, from); il.Emit(OpCodes.Stfld, to);
        }

        /// <summary>handler(cpu, ref page[index]): a direct call where the handler's method is known (RyuJIT may inline it).</summary>
        public void CallHandler(int index, delegate*<Cpu, ref DecodedInst, void> handler)
        {
            il.Emit(OpCodes.Ldarg_0); LoadInst(index);
            if (HandlerMethods.Find(handler) is { } method) il.Emit(OpCodes.Call, method);
            else
            {
                LoadInst(index); il.Emit(OpCodes.Ldfld, Execute);
                il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, typeof(void), HandlerParameters, null);
            }
        }

        /// <summary>cpu.Retired += count; cpu.Cycles += count, or what the model says for the instruction <paramref name="retire"/>.</summary>
        public void Account(int count, (int Index, ulong At)? retire = null)
        {
            if (count == 0) return;
            Add(Retired, () => il.Emit(OpCodes.Ldc_I8, (long)count));
            if (retire is not { } r) Add(Cycles, () => il.Emit(OpCodes.Ldc_I8, (long)count));
            else Add(Cycles, () =>
            {
                il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, Timing);
                if (_retire != Retire) il.Emit(OpCodes.Castclass, model);
                il.Emit(OpCodes.Ldarg_0); LoadInst(r.Index); il.Emit(OpCodes.Ldc_I8, (long)r.At);
                il.Emit(_retire == Retire ? OpCodes.Callvirt : OpCodes.Call, _retire);
            });
        }

        private void Add(FieldInfo field, Action amount)
        {
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Dup); il.Emit(OpCodes.Ldfld, field);
            amount();
            il.Emit(OpCodes.Add); il.Emit(OpCodes.Stfld, field);
        }

        public void BranchIfChanged(FieldInfo field, LocalBuilder before, Label target)
        {
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, field); il.Emit(OpCodes.Ldloc, before); il.Emit(OpCodes.Bne_Un, target);
        }

        /// <summary>Goes to <paramref name="next"/> while the clock is before stopAt (argument 2) and fewer than budget
        /// (argument 3) instructions have run; falls through otherwise.</summary>
        public void BranchUnlessBefore(Label next, int ran)
        {
            var stop = il.DefineLabel();
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, Cycles); il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Bge_Un, stop);
            il.Emit(OpCodes.Ldarg_3); il.Emit(OpCodes.Ldc_I8, (long)ran); il.Emit(OpCodes.Bgt_Un, next);
            il.MarkLabel(stop);
        }

        public void Return(int ran)
        {
            il.Emit(OpCodes.Ldc_I4, ran); il.Emit(OpCodes.Ret);
        }

        private void LoadInst(int index)
        {
            il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldc_I4, index); il.Emit(OpCodes.Ldelema, typeof(DecodedInst));
        }
    }

    private static FieldInfo BackingField(string property) =>
        typeof(Cpu).GetField($"<{property}>k__BackingField", Instance) ?? throw new MissingFieldException(nameof(Cpu), property);
}
