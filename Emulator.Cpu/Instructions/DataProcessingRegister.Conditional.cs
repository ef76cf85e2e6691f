using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// CSEL, CSINC, CSINV, CSNEG and CCMN/CCMP (register and immediate), with ConditionHolds on cond = Raw[15:12].
/// </summary>
internal static unsafe partial class DataProcessingRegister
{
    private static bool CondHolds(Cpu cpu, uint raw) => Conditions.Holds((raw >> 12) & 0xF, cpu.Nzcv);

    private static void Csel(Cpu cpu, ref DecodedInst i) =>
        cpu.SetReg(i.Rd, i.Sf, CondHolds(cpu, i.Raw) ? cpu.Xr(i.Rn) : cpu.Xr(i.Rm));

    private static void Csinc(Cpu cpu, ref DecodedInst i) =>
        cpu.SetReg(i.Rd, i.Sf, CondHolds(cpu, i.Raw) ? cpu.Xr(i.Rn) : cpu.Xr(i.Rm) + 1);

    private static void Csinv(Cpu cpu, ref DecodedInst i) =>
        cpu.SetReg(i.Rd, i.Sf, CondHolds(cpu, i.Raw) ? cpu.Xr(i.Rn) : ~cpu.Xr(i.Rm));

    private static void Csneg(Cpu cpu, ref DecodedInst i) =>
        cpu.SetReg(i.Rd, i.Sf, CondHolds(cpu, i.Raw) ? cpu.Xr(i.Rn) : 0 - cpu.Xr(i.Rm));

    /// <summary>If cond holds, the flags of Rn + operand2 + carry; otherwise the immediate nzcv.</summary>
    private static void ConditionalCompare(Cpu cpu, ref DecodedInst i, ulong operand2, uint carryIn)
    {
        if (CondHolds(cpu, i.Raw))
            Arithmetic.AddWithCarry(i.Sf, cpu.Xr(i.Rn), operand2, carryIn, out cpu.Nzcv);
        else
            cpu.Nzcv = (i.Raw & 0xF) << 28;
    }

    private static void CcmnRegister(Cpu cpu, ref DecodedInst i) => ConditionalCompare(cpu, ref i, cpu.Xr(i.Rm), 0);

    private static void CcmnImmediate(Cpu cpu, ref DecodedInst i) => ConditionalCompare(cpu, ref i, i.Rm, 0);

    private static void CcmpRegister(Cpu cpu, ref DecodedInst i) => ConditionalCompare(cpu, ref i, ~cpu.Xr(i.Rm), 1);

    private static void CcmpImmediate(Cpu cpu, ref DecodedInst i) => ConditionalCompare(cpu, ref i, ~(ulong)i.Rm, 1);
}
