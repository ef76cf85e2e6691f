using System.Reflection;
using System.Reflection.Emit;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Instructions;

namespace Aegis.Emulator.Cpu.Translation.Inline;

/// <summary>
/// Inline forms of the common integer instructions (Arm ARM C6.2), each the IL of its handler in
/// Instructions/DataProcessing*.cs with the operands known: ADD/SUB(S) immediate and shifted register, the logical
/// immediate and shifted-register forms, MOVZ/MOVN/MOVK, ADR/ADRP, UBFM/SBFM, CSEL/CSINC/CSINV/CSNEG, MADD/MSUB,
/// SMADDL/UMADDL/SMSUBL/UMSUBL, ADD/SUB(S) extended register, CCMN/CCMP, LSLV/LSRV/ASRV/RORV, CLZ.
/// </summary>
internal static class IntegerForms
{
    private const string Immediate = "DataProcessingImmediate", Register = "DataProcessingRegister";

    public static IEnumerable<(string Type, string Handler, InlineForm Form)> All =>
    [
        (Immediate, "AddImmediate", Form((e, in i, _) => AddSubImmediate(e, i, OpCodes.Add))),
        (Immediate, "SubImmediate", Form((e, in i, _) => AddSubImmediate(e, i, OpCodes.Sub))),
        (Immediate, "AddsImmediate", Form((e, in i, _) => { e.LoadXSp(i.Rn); AddWithCarry(e, i.Sf, i.Imm, 0); e.StoreX(i.Rd); })),
        (Immediate, "SubsImmediate", Form((e, in i, _) => { e.LoadXSp(i.Rn); AddWithCarry(e, i.Sf, ~i.Imm, 1); e.StoreX(i.Rd); })),
        (Immediate, "AndImmediate", Form((e, in i, _) => LogicalImmediate(e, i, OpCodes.And))),
        (Immediate, "OrrImmediate", Form((e, in i, _) => LogicalImmediate(e, i, OpCodes.Or))),
        (Immediate, "EorImmediate", Form((e, in i, _) => LogicalImmediate(e, i, OpCodes.Xor))),
        (Immediate, "AndsImmediate", Form((e, in i, _) =>
        {
            e.LoadReg(i.Rn, i.Sf); e.Constant(i.Imm); e.Emit(OpCodes.And);
            SetWithLogicalFlags(e, i);
        })),
        (Immediate, "MoveWideConstant", Form((e, in i, _) => { e.Constant(i.Imm); e.StoreX(i.Rd); })),
        (Immediate, "Movk", Form((e, in i, _) =>
        {
            int pos = (int)((i.Raw >> 21) & 3) * 16;
            e.LoadX(i.Rd); e.Constant(~(0xFFFFUL << pos)); e.Emit(OpCodes.And); e.Constant(i.Imm); e.Emit(OpCodes.Or);
            e.StoreReg(i.Rd, i.Sf);
        })),
        (Immediate, "Adr", Form((e, in i, pc) => { e.Constant(pc + i.Imm); e.StoreX(i.Rd); })),
        (Immediate, "Adrp", Form((e, in i, pc) => { e.Constant((pc & ~0xFFFUL) + i.Imm); e.StoreX(i.Rd); })),
        (Immediate, "Ubfm", Form((e, in i, _) =>
        {
            // Ror(src, r) & wmask & tmask
            bool sf = i.Sf;
            BitfieldOperands(i, out int r, out int _, out ulong tmask);
            e.LoadReg(i.Rn, sf); Rotate(e, sf, r); e.Constant(i.Imm & tmask); e.Emit(OpCodes.And);
            e.StoreX(i.Rd);
        })),
        (Immediate, "Sbfm", Form((e, in i, _) =>
        {
            // (Replicate(src<S>) & ~tmask) | (Ror(src, r) & wmask & tmask)
            bool sf = i.Sf;
            BitfieldOperands(i, out int r, out int s, out ulong tmask);
            var src = e.Temp(typeof(ulong));
            e.LoadReg(i.Rn, sf); e.Store(src);
            e.Constant(0UL); e.Load(src); e.Constant(s); e.Emit(OpCodes.Shr_Un); e.Constant(1UL); e.Emit(OpCodes.And); e.Emit(OpCodes.Sub);
            e.Constant(~tmask); e.Emit(OpCodes.And);
            e.Load(src); Rotate(e, sf, r); e.Constant(i.Imm & tmask); e.Emit(OpCodes.And);
            e.Emit(OpCodes.Or);
            e.StoreReg(i.Rd, sf);
        })),

        (Register, "AddShifted", Form((e, in i, _) => { e.LoadX(i.Rn); ShiftedOperand(e, i); e.Emit(OpCodes.Add); e.StoreReg(i.Rd, i.Sf); })),
        (Register, "SubShifted", Form((e, in i, _) => { e.LoadX(i.Rn); ShiftedOperand(e, i); e.Emit(OpCodes.Sub); e.StoreReg(i.Rd, i.Sf); })),
        (Register, "AddsShifted", Form((e, in i, _) => { e.LoadX(i.Rn); ShiftedOperand(e, i); AddWithCarry(e, i.Sf, 0); e.StoreX(i.Rd); })),
        (Register, "SubsShifted", Form((e, in i, _) =>
        {
            e.LoadX(i.Rn); ShiftedOperand(e, i); e.Emit(OpCodes.Not); AddWithCarry(e, i.Sf, 1); e.StoreX(i.Rd);
        })),
        (Register, "AndShifted", Form((e, in i, _) => LogicalShifted(e, i, OpCodes.And, invert: false))),
        (Register, "BicShifted", Form((e, in i, _) => LogicalShifted(e, i, OpCodes.And, invert: true))),
        (Register, "OrrShifted", Form((e, in i, _) => LogicalShifted(e, i, OpCodes.Or, invert: false))),
        (Register, "OrnShifted", Form((e, in i, _) => LogicalShifted(e, i, OpCodes.Or, invert: true))),
        (Register, "EorShifted", Form((e, in i, _) => LogicalShifted(e, i, OpCodes.Xor, invert: false))),
        (Register, "EonShifted", Form((e, in i, _) => LogicalShifted(e, i, OpCodes.Xor, invert: true))),
        (Register, "AndsShifted", Form((e, in i, _) => LogicalShifted(e, i, OpCodes.And, invert: false, flags: true))),
        (Register, "BicsShifted", Form((e, in i, _) => LogicalShifted(e, i, OpCodes.And, invert: true, flags: true))),
        (Register, "Csel", Form((e, in i, _) => ConditionalSelect(e, i, () => { }))),
        (Register, "Csinc", Form((e, in i, _) => ConditionalSelect(e, i, () => { e.Constant(1UL); e.Emit(OpCodes.Add); }))),
        (Register, "Csinv", Form((e, in i, _) => ConditionalSelect(e, i, () => e.Emit(OpCodes.Not)))),
        (Register, "Csneg", Form((e, in i, _) => ConditionalSelect(e, i, () => e.Emit(OpCodes.Neg)))),
        (Register, "Madd", Form((e, in i, _) => MultiplyAdd(e, i, OpCodes.Add))),
        (Register, "Msub", Form((e, in i, _) => MultiplyAdd(e, i, OpCodes.Sub))),
        (Register, "Smaddl", Form((e, in i, _) => LongMultiplyAdd(e, i, OpCodes.Add, signed: true))),
        (Register, "Smsubl", Form((e, in i, _) => LongMultiplyAdd(e, i, OpCodes.Sub, signed: true))),
        (Register, "Umaddl", Form((e, in i, _) => LongMultiplyAdd(e, i, OpCodes.Add, signed: false))),
        (Register, "Umsubl", Form((e, in i, _) => LongMultiplyAdd(e, i, OpCodes.Sub, signed: false))),
        (Register, "AddExtended", Form((e, in i, _) =>
        {
            e.LoadXSp(i.Rn); ExtendedOperand(e, i); e.Emit(OpCodes.Add);
            if (!i.Sf) e.ZeroExtend32();
            e.StoreXSp(i.Rd);
        })),
        (Register, "SubExtended", Form((e, in i, _) =>
        {
            e.LoadXSp(i.Rn); ExtendedOperand(e, i); e.Emit(OpCodes.Sub);
            if (!i.Sf) e.ZeroExtend32();
            e.StoreXSp(i.Rd);
        })),
        (Register, "AddsExtended", Form((e, in i, _) => { e.LoadXSp(i.Rn); ExtendedOperand(e, i); AddWithCarry(e, i.Sf, 0); e.StoreX(i.Rd); })),
        (Register, "SubsExtended", Form((e, in i, _) =>
        {
            e.LoadXSp(i.Rn); ExtendedOperand(e, i); e.Emit(OpCodes.Not); AddWithCarry(e, i.Sf, 1); e.StoreX(i.Rd);
        })),
        (Register, "CcmnRegister", Form((e, in i, _) => { byte m = i.Rm; ConditionalCompare(e, i, () => e.LoadX(m), 0); })),
        (Register, "CcmnImmediate", Form((e, in i, _) => { ulong imm = i.Rm; ConditionalCompare(e, i, () => e.Constant(imm), 0); })),
        (Register, "CcmpRegister", Form((e, in i, _) =>
        {
            byte m = i.Rm;
            ConditionalCompare(e, i, () => { e.LoadX(m); e.Emit(OpCodes.Not); }, 1);
        })),
        (Register, "CcmpImmediate", Form((e, in i, _) => { ulong imm = ~(ulong)i.Rm; ConditionalCompare(e, i, () => e.Constant(imm), 1); })),
        (Register, "Lslv", Form((e, in i, _) => VariableShift(e, i, 0))),
        (Register, "Lsrv", Form((e, in i, _) => VariableShift(e, i, 1))),
        (Register, "Asrv", Form((e, in i, _) => VariableShift(e, i, 2))),
        (Register, "Rorv", Form((e, in i, _) => VariableShift(e, i, 3))),
        (Register, "Clz", Form((e, in i, _) =>
        {
            e.LoadReg(i.Rn, i.Sf);
            if (i.Sf) e.Call(LeadingZeroCount64);
            else { e.Emit(OpCodes.Conv_U4); e.Call(LeadingZeroCount32); }
            e.Emit(OpCodes.Conv_I8);
            e.StoreX(i.Rd);
        })),
    ];

    private static InlineForm Form(InlineEmit emit) => new(InlineKind.Register, emit);

    private static readonly MethodInfo AddFlags64 = typeof(Arithmetic).GetMethod(nameof(Arithmetic.AddFlags64))!;
    private static readonly MethodInfo AddFlags32 = typeof(Arithmetic).GetMethod(nameof(Arithmetic.AddFlags32))!;
    private static readonly MethodInfo LogicalFlags = typeof(Arithmetic).GetMethod(nameof(Arithmetic.LogicalFlags))!;
    private static readonly MethodInfo ExtendReg = typeof(Arithmetic).GetMethod(nameof(Arithmetic.ExtendReg))!;
    private static readonly MethodInfo ShiftReg64 = typeof(Arithmetic).GetMethod(nameof(Arithmetic.ShiftReg64))!;
    private static readonly MethodInfo ShiftReg32 = typeof(Arithmetic).GetMethod(nameof(Arithmetic.ShiftReg32))!;
    private static readonly MethodInfo LeadingZeroCount64 = typeof(System.Numerics.BitOperations).GetMethod(
        nameof(System.Numerics.BitOperations.LeadingZeroCount), [typeof(ulong)])!;
    private static readonly MethodInfo LeadingZeroCount32 = typeof(System.Numerics.BitOperations).GetMethod(
        nameof(System.Numerics.BitOperations.LeadingZeroCount), [typeof(uint)])!;

    /// <summary>SetXSp(Rd, XSp(Rn) op imm), a 32-bit result zero-extended.</summary>
    private static void AddSubImmediate(BlockEmitter e, in DecodedInst i, OpCode op)
    {
        e.LoadXSp(i.Rn); e.Constant(i.Imm); e.Emit(op);
        if (!i.Sf) e.ZeroExtend32();
        e.StoreXSp(i.Rd);
    }

    /// <summary>x (on the stack) + y + carry of the operand size: leaves the result, NZCV written.</summary>
    private static void AddWithCarry(BlockEmitter e, bool sf, ulong y, uint carry)
    {
        e.Constant(y);
        AddWithCarry(e, sf, carry);
    }

    /// <summary>x + y (both on the stack) + carry of the operand size: leaves the result, NZCV written.</summary>
    private static void AddWithCarry(BlockEmitter e, bool sf, uint carry)
    {
        var x = e.Temp(typeof(ulong));
        var y = e.Temp(typeof(ulong));
        e.Store(y); e.Store(x);
        // NZCV = AddFlags(x, y, carry); the result x + y + carry, cut to the operand size
        if (sf) { e.Load(x); e.Load(y); e.Constant((ulong)carry); e.Call(AddFlags64); }
        else { e.Load(x); e.Emit(OpCodes.Conv_U4); e.Load(y); e.Emit(OpCodes.Conv_U4); e.Constant((int)carry); e.Call(AddFlags32); }
        e.StoreNzcv();
        e.Load(x); e.Load(y); e.Emit(OpCodes.Add);
        if (carry != 0) { e.Constant((ulong)carry); e.Emit(OpCodes.Add); }
        if (!sf) e.ZeroExtend32();
    }

    private static void LogicalImmediate(BlockEmitter e, in DecodedInst i, OpCode op)
    {
        // A 32-bit form's mask has a zero upper half and Reg zero-extends, so the result is already zero-extended.
        e.LoadReg(i.Rn, i.Sf); e.Constant(i.Imm); e.Emit(op);
        e.StoreXSp(i.Rd);
    }

    /// <summary>Pops the result into Rd and sets N and Z from it (C and V cleared).</summary>
    private static void SetWithLogicalFlags(BlockEmitter e, in DecodedInst i)
    {
        var r = e.Temp(typeof(ulong));
        e.Store(r);
        e.Load(r); e.StoreX(i.Rd);
        e.Constant(i.Sf ? 1 : 0); e.Load(r); e.Call(LogicalFlags); e.StoreNzcv();
    }

    /// <summary>ShiftReg(Rm, shift, amount) of the operand size, zero-extended.</summary>
    private static void ShiftedOperand(BlockEmitter e, in DecodedInst i)
    {
        bool sf = i.Sf;
        uint type = (i.Raw >> 22) & 3;
        int amount = (int)((i.Raw >> 10) & 0x3F);
        e.LoadReg(i.Rm, sf);
        if (amount == 0) return;
        switch (type)
        {
            case 0: e.Constant(amount); e.Emit(OpCodes.Shl); if (!sf) e.ZeroExtend32(); break;
            case 1: e.Constant(amount); e.Emit(OpCodes.Shr_Un); break;
            case 2:
                if (sf) { e.Constant(amount); e.Emit(OpCodes.Shr); }
                else { e.Emit(OpCodes.Conv_I4); e.Constant(amount); e.Emit(OpCodes.Shr); e.Emit(OpCodes.Conv_U4); e.Emit(OpCodes.Conv_U8); }
                break;
            default: Rotate(e, sf, amount); break;
        }
    }

    /// <summary>Rotates the zero-extended value on the stack right by <paramref name="r"/> within the operand size.</summary>
    private static void Rotate(BlockEmitter e, bool sf, int r)
    {
        if (r == 0) return;
        var x = e.Temp(typeof(ulong));
        int size = sf ? 64 : 32;
        e.Store(x);
        e.Load(x); e.Constant(r); e.Emit(OpCodes.Shr_Un);
        e.Load(x); e.Constant(size - r); e.Emit(OpCodes.Shl);
        e.Emit(OpCodes.Or);
        if (!sf) e.ZeroExtend32();
    }

    private static void LogicalShifted(BlockEmitter e, in DecodedInst i, OpCode op, bool invert, bool flags = false)
    {
        e.LoadReg(i.Rn, i.Sf);
        ShiftedOperand(e, i);
        if (invert) { e.Emit(OpCodes.Not); if (!i.Sf) e.ZeroExtend32(); }
        e.Emit(op);
        if (flags) SetWithLogicalFlags(e, i);
        else e.StoreX(i.Rd);
    }

    /// <summary>SetReg(Rd, sf, ConditionHolds(cond) ? Xr(Rn) : otherwise(Xr(Rm))).</summary>
    private static void ConditionalSelect(BlockEmitter e, in DecodedInst i, Action otherwise)
    {
        var no = e.Label();
        var done = e.Label();
        e.ConditionHolds((i.Raw >> 12) & 0xF);
        e.Emit(OpCodes.Brfalse, no);
        e.LoadX(i.Rn);
        e.Goto(done);
        e.Mark(no);
        e.LoadX(i.Rm);
        otherwise();
        e.Mark(done);
        e.StoreReg(i.Rd, i.Sf);
    }

    private static void MultiplyAdd(BlockEmitter e, in DecodedInst i, OpCode op)
    {
        e.LoadX(i.Ra); e.LoadX(i.Rn); e.LoadX(i.Rm); e.Emit(OpCodes.Mul); e.Emit(op);
        e.StoreReg(i.Rd, i.Sf);
    }

    /// <summary>Xr(Ra) op (the 32x32 product of Wn and Wm, sign- or zero-extended to 64 bits), into Xd.</summary>
    private static void LongMultiplyAdd(BlockEmitter e, in DecodedInst i, OpCode op, bool signed)
    {
        e.LoadX(i.Ra);
        foreach (byte r in new[] { i.Rn, i.Rm })
        {
            e.LoadX(r);
            if (signed) { e.Emit(OpCodes.Conv_I4); e.Emit(OpCodes.Conv_I8); } else e.ZeroExtend32();
        }
        e.Emit(OpCodes.Mul); e.Emit(op);
        e.StoreX(i.Rd);
    }

    /// <summary>ExtendReg(Xm, option, shift) (ADD/SUB extended register).</summary>
    private static void ExtendedOperand(BlockEmitter e, in DecodedInst i)
    {
        e.LoadX(i.Rm); e.Constant((int)((i.Raw >> 13) & 7)); e.Constant((int)((i.Raw >> 10) & 7)); e.Call(ExtendReg);
    }

    /// <summary>NZCV = ConditionHolds(cond) ? the flags of Rn + operand2 + carry : nzcv (Raw[3:0]).</summary>
    private static void ConditionalCompare(BlockEmitter e, in DecodedInst i, Action operand2, uint carry)
    {
        var no = e.Label();
        var done = e.Label();
        e.ConditionHolds((i.Raw >> 12) & 0xF);
        e.Emit(OpCodes.Brfalse, no);
        e.LoadX(i.Rn); operand2(); AddWithCarry(e, i.Sf, carry); e.Emit(OpCodes.Pop);
        e.Goto(done);
        e.Mark(no);
        e.Constant((int)((i.Raw & 0xF) << 28)); e.StoreNzcv();
        e.Mark(done);
    }

    /// <summary>LSLV/LSRV/ASRV/RORV: ShiftReg(Rn, type, Rm mod datasize).</summary>
    private static void VariableShift(BlockEmitter e, in DecodedInst i, int type)
    {
        if (i.Sf)
        {
            e.LoadX(i.Rn); e.Constant(type); e.LoadX(i.Rm); e.Emit(OpCodes.Conv_I4); e.Constant(63); e.Emit(OpCodes.And);
            e.Call(ShiftReg64);
        }
        else
        {
            e.LoadX(i.Rn); e.Emit(OpCodes.Conv_U4); e.Constant(type); e.LoadX(i.Rm); e.Emit(OpCodes.Conv_I4); e.Constant(31); e.Emit(OpCodes.And);
            e.Call(ShiftReg32); e.Emit(OpCodes.Conv_U8);
        }
        e.StoreX(i.Rd);
    }

    /// <summary>R, S and tmask of a bitfield instruction (as DataProcessingImmediate.BitfieldOperands).</summary>
    private static void BitfieldOperands(in DecodedInst i, out int r, out int s, out ulong tmask)
    {
        r = (int)((i.Raw >> 16) & 0x3F);
        s = (int)((i.Raw >> 10) & 0x3F);
        tmask = Arithmetic.Ones(((s - r) & (i.Sf ? 63 : 31)) + 1);
    }
}
