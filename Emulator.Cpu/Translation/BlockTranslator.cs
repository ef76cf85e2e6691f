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

    /// <summary>Whether an instruction only computes on registers: it cannot reach a device or write code.</summary>
    private static bool RegistersOnly(in DecodedInst inst) =>
        (inst.Flags & (InstFlags.Load | InstFlags.Store)) == 0
        && inst.Timing is TimingClass.Alu or TimingClass.AluShifted or TimingClass.Shift or TimingClass.Bitfield
            or TimingClass.Multiply or TimingClass.MultiplyAccumulate or TimingClass.MultiplyHigh or TimingClass.Divide
            or TimingClass.Crc or TimingClass.SimdFp;

    /// <summary>
    /// Translates the block of <paramref name="length"/> decoded instructions from <paramref name="first"/> of
    /// <paramref name="page"/>, the first at <paramref name="pc"/>. <paramref name="oneCycle"/>: the clock's model is
    /// `simple`, whose one cycle per instruction is added inline instead of asking the model.
    /// </summary>
    public static TranslatedBlock Translate(DecodedInst[] page, int first, int length, ulong pc, bool oneCycle)
    {
        var method = new DynamicMethod($"block_{pc:X}", typeof(int), Parameters, typeof(Cpu).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var taken = il.DeclareLocal(typeof(ulong));
        var slow = il.DeclareLocal(typeof(ulong));
        var epoch = il.DeclareLocal(typeof(ulong));
        var ran = il.DeclareLocal(typeof(int));
        var exit = il.DefineLabel();
        Snapshot(il, ExceptionsTaken, taken);
        Snapshot(il, SlowAccesses, slow);
        Snapshot(il, Epoch, epoch);

        for (int n = 0; n < length; n++)
        {
            int index = first + n;
            ulong at = pc + 4UL * (ulong)n;
            ref DecodedInst inst = ref page[index];
            // cpu.NextPc = at + 4; handler(cpu, ref page[index]); cpu.PC = cpu.NextPc; cpu.Retired++;
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldc_I8, (long)(at + 4)); il.Emit(OpCodes.Stfld, NextPc);
            il.Emit(OpCodes.Ldarg_0); LoadInst(il, index);
            if (HandlerMethods.Find(inst.Execute) is { } handler) il.Emit(OpCodes.Call, handler);
            else
            {
                LoadInst(il, index); il.Emit(OpCodes.Ldfld, Execute);
                il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, typeof(void), HandlerParameters, null);
            }
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, NextPc); il.Emit(OpCodes.Stfld, Pc);
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Dup); il.Emit(OpCodes.Ldfld, Retired); il.Emit(OpCodes.Ldc_I8, 1L);
            il.Emit(OpCodes.Add); il.Emit(OpCodes.Stfld, Retired);
            // cpu.Cycles += 1 (simple) or cpu._timing.Retire(cpu, ref page[index], at)
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Dup); il.Emit(OpCodes.Ldfld, Cycles);
            if (oneCycle) il.Emit(OpCodes.Ldc_I8, 1L);
            else
            {
                il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, Timing);
                il.Emit(OpCodes.Ldarg_0); LoadInst(il, index); il.Emit(OpCodes.Ldc_I8, (long)at);
                il.Emit(OpCodes.Callvirt, Retire);
            }
            il.Emit(OpCodes.Add); il.Emit(OpCodes.Stfld, Cycles);
            if (n == length - 1) break;

            // Early exits, each with the count run so far.
            var next = il.DefineLabel();
            var leave = il.DefineLabel();
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, ExceptionsTaken); il.Emit(OpCodes.Ldloc, taken); il.Emit(OpCodes.Bne_Un, leave);
            if (!RegistersOnly(in inst))
            {
                il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, SlowAccesses); il.Emit(OpCodes.Ldloc, slow); il.Emit(OpCodes.Bne_Un, leave);
                il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, Epoch); il.Emit(OpCodes.Ldloc, epoch); il.Emit(OpCodes.Bne_Un, leave);
            }
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, Cycles); il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Bge_Un, leave);
            il.Emit(OpCodes.Ldarg_3); il.Emit(OpCodes.Ldc_I8, (long)(n + 1)); il.Emit(OpCodes.Bgt_Un, next);
            il.MarkLabel(leave);
            il.Emit(OpCodes.Ldc_I4, n + 1); il.Emit(OpCodes.Stloc, ran); il.Emit(OpCodes.Br, exit);
            il.MarkLabel(next);
        }
        il.Emit(OpCodes.Ldc_I4, length); il.Emit(OpCodes.Ret);
        il.MarkLabel(exit);
        il.Emit(OpCodes.Ldloc, ran); il.Emit(OpCodes.Ret);
        var code = (BlockCode)method.CreateDelegate(typeof(BlockCode));
        return new TranslatedBlock(code, length, il.ILOffset);
    }

    private static FieldInfo BackingField(string property) =>
        typeof(Cpu).GetField($"<{property}>k__BackingField", Instance) ?? throw new MissingFieldException(nameof(Cpu), property);

    private static void LoadInst(ILGenerator il, int index)
    {
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldc_I4, index); il.Emit(OpCodes.Ldelema, typeof(DecodedInst));
    }

    private static void Snapshot(ILGenerator il, FieldInfo field, LocalBuilder local)
    {
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, field); il.Emit(OpCodes.Stloc, local);
    }
}
