using System.Numerics;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// LSLV, LSRV, ASRV, RORV (amount = Rm mod datasize) and UDIV, SDIV. Division rounds towards zero;
/// a zero divisor gives 0 and the overflowing INT_MIN / -1 gives INT_MIN (no exception in A64).
/// </summary>
internal static unsafe partial class DataProcessingRegister
{
    private static void VariableShift(Cpu cpu, ref DecodedInst i, uint type)
    {
        if (i.Sf) cpu.SetX(i.Rd, Arithmetic.ShiftReg64(cpu.Xr(i.Rn), type, (int)(cpu.Xr(i.Rm) & 63)));
        else cpu.SetW(i.Rd, Arithmetic.ShiftReg32(cpu.Wr(i.Rn), type, (int)(cpu.Wr(i.Rm) & 31)));
    }

    private static void Lslv(Cpu cpu, ref DecodedInst i) => VariableShift(cpu, ref i, 0);

    private static void Lsrv(Cpu cpu, ref DecodedInst i) => VariableShift(cpu, ref i, 1);

    private static void Asrv(Cpu cpu, ref DecodedInst i) => VariableShift(cpu, ref i, 2);

    private static void Rorv(Cpu cpu, ref DecodedInst i) => VariableShift(cpu, ref i, 3);

    private static void Udiv(Cpu cpu, ref DecodedInst i)
    {
        if (i.Sf)
        {
            ulong d = cpu.Xr(i.Rm);
            cpu.SetX(i.Rd, d == 0 ? 0 : cpu.Xr(i.Rn) / d);
        }
        else
        {
            uint d = cpu.Wr(i.Rm);
            cpu.SetW(i.Rd, d == 0 ? 0 : cpu.Wr(i.Rn) / d);
        }
    }

    private static void Sdiv(Cpu cpu, ref DecodedInst i)
    {
        if (i.Sf)
        {
            long n = (long)cpu.Xr(i.Rn), d = (long)cpu.Xr(i.Rm);
            // The host traps on long.MinValue / -1; the architectural result is the wrapped quotient.
            cpu.SetX(i.Rd, d == 0 ? 0 : d == -1 ? (ulong)(0 - n) : (ulong)(n / d));
        }
        else
        {
            int n = (int)cpu.Wr(i.Rn), d = (int)cpu.Wr(i.Rm);
            cpu.SetW(i.Rd, d == 0 ? 0 : d == -1 ? (uint)(0 - n) : (uint)(n / d));
        }
    }
}
