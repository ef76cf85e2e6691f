using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// ADD/ADDS/SUB/SUBS (shifted register) and (extended register). The shifted forms use the zero
/// register throughout; the extended forms take SP as Rn, and as Rd for ADD/SUB.
/// </summary>
internal static unsafe partial class DataProcessingRegister
{
    /// <summary>shift = 11 (ROR) and 32-bit imm6 &gt;= 32 are reserved.</summary>
    private static bool PrepareAddSubShifted(uint raw, ref DecodedInst i)
    {
        if (((raw >> 22) & 3) == 3) return false;
        return PrepareShifted(raw, ref i);
    }

    /// <summary>imm3 &gt; 4 is reserved. Charged as shifted unless the left shift is zero.</summary>
    private static bool PrepareExtended(uint raw, ref DecodedInst i)
    {
        uint imm3 = (raw >> 10) & 7;
        if (imm3 > 4) return false;
        if (imm3 == 0) i.Timing = TimingClass.Alu;
        return true;
    }

    private static ulong ExtendedOperand(Cpu cpu, ref DecodedInst i) =>
        Arithmetic.ExtendReg(cpu.Xr(i.Rm), (i.Raw >> 13) & 7, (int)((i.Raw >> 10) & 7));

    private static void AddShifted(Cpu cpu, ref DecodedInst i) =>
        cpu.SetReg(i.Rd, i.Sf, cpu.Xr(i.Rn) + ShiftedOperand(cpu, ref i));

    private static void SubShifted(Cpu cpu, ref DecodedInst i) =>
        cpu.SetReg(i.Rd, i.Sf, cpu.Xr(i.Rn) - ShiftedOperand(cpu, ref i));

    private static void AddsShifted(Cpu cpu, ref DecodedInst i)
    {
        cpu.SetX(i.Rd, Arithmetic.AddWithCarry(i.Sf, cpu.Xr(i.Rn), ShiftedOperand(cpu, ref i), 0, out uint nzcv));
        cpu.Nzcv = nzcv;
    }

    private static void SubsShifted(Cpu cpu, ref DecodedInst i)
    {
        cpu.SetX(i.Rd, Arithmetic.AddWithCarry(i.Sf, cpu.Xr(i.Rn), ~ShiftedOperand(cpu, ref i), 1, out uint nzcv));
        cpu.Nzcv = nzcv;
    }

    private static void AddExtended(Cpu cpu, ref DecodedInst i)
    {
        ulong r = cpu.XSp(i.Rn) + ExtendedOperand(cpu, ref i);
        cpu.SetXSp(i.Rd, i.Sf ? r : (uint)r);
    }

    private static void SubExtended(Cpu cpu, ref DecodedInst i)
    {
        ulong r = cpu.XSp(i.Rn) - ExtendedOperand(cpu, ref i);
        cpu.SetXSp(i.Rd, i.Sf ? r : (uint)r);
    }

    private static void AddsExtended(Cpu cpu, ref DecodedInst i)
    {
        cpu.SetX(i.Rd, Arithmetic.AddWithCarry(i.Sf, cpu.XSp(i.Rn), ExtendedOperand(cpu, ref i), 0, out uint nzcv));
        cpu.Nzcv = nzcv;
    }

    private static void SubsExtended(Cpu cpu, ref DecodedInst i)
    {
        cpu.SetX(i.Rd, Arithmetic.AddWithCarry(i.Sf, cpu.XSp(i.Rn), ~ExtendedOperand(cpu, ref i), 1, out uint nzcv));
        cpu.Nzcv = nzcv;
    }
}
