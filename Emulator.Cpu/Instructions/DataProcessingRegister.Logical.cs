using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// AND, BIC, ORR, ORN, EOR, EON, ANDS, BICS (shifted register): Rm shifted by LSL/LSR/ASR/ROR #imm6,
/// inverted for the N = 1 forms. All register operands treat 31 as the zero register.
/// </summary>
internal static unsafe partial class DataProcessingRegister
{
    /// <summary>imm6 &gt;= 32 is reserved for 32-bit forms; a zero shift is charged as a plain ALU operation.</summary>
    private static bool PrepareShifted(uint raw, ref DecodedInst i)
    {
        uint imm6 = (raw >> 10) & 0x3F;
        if ((raw >> 31) == 0 && imm6 >= 32) return false;
        if (imm6 == 0) i.Timing = TimingClass.Alu;
        return true;
    }

    /// <summary>ShiftReg(m, shift, amount) of the operand size, zero-extended.</summary>
    private static ulong ShiftedOperand(Cpu cpu, ref DecodedInst i)
    {
        uint raw = i.Raw;
        uint type = (raw >> 22) & 3;
        int amount = (int)((raw >> 10) & 0x3F);
        return i.Sf
            ? Arithmetic.ShiftReg64(cpu.Xr(i.Rm), type, amount)
            : Arithmetic.ShiftReg32(cpu.Wr(i.Rm), type, amount);
    }

    /// <summary>NOT of a zero-extended operand, kept to the operand size.</summary>
    private static ulong Invert(bool sf, ulong x) => sf ? ~x : (uint)~x;

    private static void AndShifted(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, cpu.Reg(i.Rn, i.Sf) & ShiftedOperand(cpu, ref i));

    private static void BicShifted(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, cpu.Reg(i.Rn, i.Sf) & Invert(i.Sf, ShiftedOperand(cpu, ref i)));

    private static void OrrShifted(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, cpu.Reg(i.Rn, i.Sf) | ShiftedOperand(cpu, ref i));

    private static void OrnShifted(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, cpu.Reg(i.Rn, i.Sf) | Invert(i.Sf, ShiftedOperand(cpu, ref i)));

    private static void EorShifted(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, cpu.Reg(i.Rn, i.Sf) ^ ShiftedOperand(cpu, ref i));

    private static void EonShifted(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, cpu.Reg(i.Rn, i.Sf) ^ Invert(i.Sf, ShiftedOperand(cpu, ref i)));

    private static void AndsShifted(Cpu cpu, ref DecodedInst i)
    {
        ulong r = cpu.Reg(i.Rn, i.Sf) & ShiftedOperand(cpu, ref i);
        cpu.SetX(i.Rd, r);
        cpu.Nzcv = Arithmetic.LogicalFlags(i.Sf, r);
    }

    private static void BicsShifted(Cpu cpu, ref DecodedInst i)
    {
        ulong r = cpu.Reg(i.Rn, i.Sf) & Invert(i.Sf, ShiftedOperand(cpu, ref i));
        cpu.SetX(i.Rd, r);
        cpu.Nzcv = Arithmetic.LogicalFlags(i.Sf, r);
    }
}
