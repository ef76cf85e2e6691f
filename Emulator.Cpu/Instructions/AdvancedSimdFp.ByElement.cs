using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.FloatingPoint;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>Advanced SIMD (scalar) x indexed element, FP forms: FMLA, FMLS, FMUL, FMULX with sz = bit 22 (size 1x).</summary>
internal static unsafe partial class AdvancedSimdFp
{
    private static EncodingRow[] ByElementRows =>
    [
        Row("0x001111_1xxxxxxx_0001x0xx_xxxxxxxx", "FMLA (by element)", &ByElementVector, ByElementVectorValid),
        Row("0x001111_1xxxxxxx_0101x0xx_xxxxxxxx", "FMLS (by element)", &ByElementVector, ByElementVectorValid),
        Row("0x001111_1xxxxxxx_1001x0xx_xxxxxxxx", "FMUL (by element)", &ByElementVector, ByElementVectorValid),
        Row("0x101111_1xxxxxxx_1001x0xx_xxxxxxxx", "FMULX (by element)", &ByElementVector, ByElementVectorValid),
        Row("01011111_1xxxxxxx_0001x0xx_xxxxxxxx", "FMLA (by element), scalar", &ByElementScalar, ByElementScalarValid),
        Row("01011111_1xxxxxxx_0101x0xx_xxxxxxxx", "FMLS (by element), scalar", &ByElementScalar, ByElementScalarValid),
        Row("01011111_1xxxxxxx_1001x0xx_xxxxxxxx", "FMUL (by element), scalar", &ByElementScalar, ByElementScalarValid),
        Row("01111111_1xxxxxxx_1001x0xx_xxxxxxxx", "FMULX (by element), scalar", &ByElementScalar, ByElementScalarValid),
    ];

    /// <summary>sz = 1 (double): L must be 0 (index = H) — and for vectors Q must be 1.</summary>
    private static bool ByElementScalarValid(uint raw, ref DecodedInst i) => (raw & (1u << 22)) == 0 || (raw & (1u << 21)) == 0;

    private static bool ByElementVectorValid(uint raw, ref DecodedInst i) => ByElementScalarValid(raw, ref i) && NotSz1Q0(raw, ref i);

    /// <summary>index = H:L (single) or H (double); Rm = M:Rm, all five bits, for both sizes.</summary>
    private static int ByElementIndex(uint raw) =>
        (raw & (1u << 22)) != 0 ? (int)((raw >> 11) & 1) : (int)(((raw >> 11) & 1) << 1 | ((raw >> 21) & 1));

    private static ulong ByElementOp(uint raw, ulong accumulator, ulong op1, ulong op2, int esize, ulong fpcr, ref ulong fpsr)
    {
        uint opcode = (raw >> 12) & 0xF;
        if (opcode == 0b1001)
            return (raw & (1u << 29)) != 0 ? FPOps.FPMulX(op1, op2, esize, fpcr, ref fpsr) : FPOps.FPMul(op1, op2, esize, fpcr, ref fpsr);
        if (opcode == 0b0101) op1 = FPOps.FPNeg(op1, esize);
        return FPOps.FPMulAdd(accumulator, op1, op2, esize, fpcr, ref fpsr);
    }

    private static void ByElementVector(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        uint raw = i.Raw;
        int esize = ESize(raw), elements = (Q(raw) ? 128 : 64) / esize;
        ulong fpcr = cpu.Sys.FPCR;
        ulong element2 = cpu.Element(i.Rm, ByElementIndex(raw), esize);
        Span<ulong> result = stackalloc ulong[elements];
        for (int e = 0; e < elements; e++)
            result[e] = ByElementOp(raw, cpu.Element(i.Rd, e, esize), cpu.Element(i.Rn, e, esize), element2, esize, fpcr, ref cpu.Sys.FPSR);
        WriteVector(cpu, i.Rd, result, esize, Q(raw));
    }

    private static void ByElementScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        uint raw = i.Raw;
        int esize = ESize(raw);
        ulong r = ByElementOp(raw, cpu.Element(i.Rd, 0, esize), cpu.Element(i.Rn, 0, esize),
            cpu.Element(i.Rm, ByElementIndex(raw), esize), esize, cpu.Sys.FPCR, ref cpu.Sys.FPSR);
        cpu.SetScalar(i.Rd, r, esize);
    }
}
