using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>MADD, MSUB, SMADDL, SMSUBL, UMADDL, UMSUBL, SMULH, UMULH.</summary>
internal static unsafe partial class DataProcessingRegister
{
    /// <summary>With Ra = XZR the instruction is a plain multiply (MUL, MNEG, SMULL, ...), charged as such.</summary>
    private static bool PrepareMultiply(uint raw, ref DecodedInst i)
    {
        if (((raw >> 10) & 31) == 31) i.Timing = TimingClass.Multiply;
        return true;
    }

    private static void Madd(Cpu cpu, ref DecodedInst i) =>
        cpu.SetReg(i.Rd, i.Sf, cpu.Xr(i.Ra) + cpu.Xr(i.Rn) * cpu.Xr(i.Rm));

    private static void Msub(Cpu cpu, ref DecodedInst i) =>
        cpu.SetReg(i.Rd, i.Sf, cpu.Xr(i.Ra) - cpu.Xr(i.Rn) * cpu.Xr(i.Rm));

    private static ulong SignedProduct(Cpu cpu, ref DecodedInst i) => (ulong)((long)(int)cpu.Wr(i.Rn) * (int)cpu.Wr(i.Rm));

    private static ulong UnsignedProduct(Cpu cpu, ref DecodedInst i) => (ulong)cpu.Wr(i.Rn) * cpu.Wr(i.Rm);

    private static void Smaddl(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, cpu.Xr(i.Ra) + SignedProduct(cpu, ref i));

    private static void Smsubl(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, cpu.Xr(i.Ra) - SignedProduct(cpu, ref i));

    private static void Umaddl(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, cpu.Xr(i.Ra) + UnsignedProduct(cpu, ref i));

    private static void Umsubl(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, cpu.Xr(i.Ra) - UnsignedProduct(cpu, ref i));

    /// <summary>SMULH: bits [127:64] of the signed 128-bit product (Ra is ignored).</summary>
    private static void Smulh(Cpu cpu, ref DecodedInst i) =>
        cpu.SetX(i.Rd, (ulong)Math.BigMul((long)cpu.Xr(i.Rn), (long)cpu.Xr(i.Rm), out _));

    /// <summary>UMULH: bits [127:64] of the unsigned 128-bit product (Ra is ignored).</summary>
    private static void Umulh(Cpu cpu, ref DecodedInst i) =>
        cpu.SetX(i.Rd, Math.BigMul(cpu.Xr(i.Rn), cpu.Xr(i.Rm), out _));
}
