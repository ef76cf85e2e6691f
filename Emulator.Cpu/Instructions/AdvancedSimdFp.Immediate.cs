using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.FloatingPoint;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// The FP forms of Advanced SIMD (scalar) shift by immediate (SCVTF, UCVTF, FCVTZS, FCVTZU with fraction bits)
/// and of modified immediate (FMOV (vector, immediate)).
/// </summary>
internal static unsafe partial class AdvancedSimdFp
{
    private static EncodingRow[] ImmediateRows =>
    [
        Row("0x001111_0xxxxxxx_111001xx_xxxxxxxx", "SCVTF (vector, fixed-point)", &FixedPointVector, FixedPointVectorValid),
        Row("0x101111_0xxxxxxx_111001xx_xxxxxxxx", "UCVTF (vector, fixed-point)", &FixedPointVector, FixedPointVectorValid),
        Row("0x001111_0xxxxxxx_111111xx_xxxxxxxx", "FCVTZS (vector, fixed-point)", &FixedPointVector, FixedPointVectorValid),
        Row("0x101111_0xxxxxxx_111111xx_xxxxxxxx", "FCVTZU (vector, fixed-point)", &FixedPointVector, FixedPointVectorValid),
        Row("01011111_0xxxxxxx_111001xx_xxxxxxxx", "SCVTF (vector, fixed-point), scalar", &FixedPointScalar, FixedPointScalarValid),
        Row("01111111_0xxxxxxx_111001xx_xxxxxxxx", "UCVTF (vector, fixed-point), scalar", &FixedPointScalar, FixedPointScalarValid),
        Row("01011111_0xxxxxxx_111111xx_xxxxxxxx", "FCVTZS (vector, fixed-point), scalar", &FixedPointScalar, FixedPointScalarValid),
        Row("01111111_0xxxxxxx_111111xx_xxxxxxxx", "FCVTZU (vector, fixed-point), scalar", &FixedPointScalar, FixedPointScalarValid),
        Row("0x001111_00000xxx_111101xx_xxxxxxxx", "FMOV (vector, immediate)", &FmovVectorImmediate),
        Row("01101111_00000xxx_111101xx_xxxxxxxx", "FMOV (vector, immediate)", &FmovVectorImmediate),
    ];

    /// <summary>immh = 01xx (single) or 1xxx (double); 001x is FEAT_FP16 and 0000 another group; 1xxx needs Q = 1 in vectors.</summary>
    private static bool FixedPointScalarValid(uint raw, ref DecodedInst i) => ((raw >> 19) & 0xF) >= 4;

    private static bool FixedPointVectorValid(uint raw, ref DecodedInst i) =>
        FixedPointScalarValid(raw, ref i) && !((raw & (1u << 22)) != 0 && !Q(raw));

    /// <summary>The element size and fraction bits of immh:immb: fbits = 2 * esize - UInt(immh:immb).</summary>
    private static (int ESize, int FBits) FixedPointShape(uint raw)
    {
        int esize = (raw & (1u << 22)) != 0 ? 64 : 32;
        return (esize, 2 * esize - (int)((raw >> 16) & 0x7F));
    }

    /// <summary>opcode 11100 or 11111 (bit 11 tells them apart): SCVTF/UCVTF (FPCR rounding), 1 FCVTZS/FCVTZU (towards zero); U = unsigned.</summary>
    private static ulong FixedPointOp(uint raw, ulong x, int esize, int fbits, ulong fpcr, ref ulong fpsr)
    {
        bool unsigned = (raw & (1u << 29)) != 0;
        return (raw & (1u << 11)) != 0
            ? FPOps.FPToFixed(x, esize, fbits, unsigned, esize, fpcr, FPRounding.ZERO, ref fpsr)
            : FPOps.FixedToFP(x, esize, fbits, unsigned, esize, fpcr, FPBits.FPRoundingMode(fpcr), ref fpsr);
    }

    private static void FixedPointVector(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        var (esize, fbits) = FixedPointShape(i.Raw);
        int elements = (Q(i.Raw) ? 128 : 64) / esize;
        ulong fpcr = cpu.Sys.FPCR;
        Span<ulong> result = stackalloc ulong[elements];
        for (int e = 0; e < elements; e++) result[e] = FixedPointOp(i.Raw, cpu.Element(i.Rn, e, esize), esize, fbits, fpcr, ref cpu.Sys.FPSR);
        WriteVector(cpu, i.Rd, result, esize, Q(i.Raw));
    }

    private static void FixedPointScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        var (esize, fbits) = FixedPointShape(i.Raw);
        cpu.SetScalar(i.Rd, FixedPointOp(i.Raw, cpu.Element(i.Rn, 0, esize), esize, fbits, cpu.Sys.FPCR, ref cpu.Sys.FPSR), esize);
    }

    /// <summary>FMOV (vector, immediate): VFPExpandImm(a:b:c:d:e:f:g:h) in every element (op = bit 29 selects double).</summary>
    private static void FmovVectorImmediate(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        uint raw = i.Raw;
        uint imm8 = ((raw >> 16) & 7) << 5 | ((raw >> 5) & 0x1F);
        bool dbl = (raw & (1u << 29)) != 0;
        ulong half = dbl ? FloatingPoint.VFPExpandImm(imm8, 64) : FloatingPoint.VFPExpandImm(imm8, 32) * 0x1_0000_0001UL;
        cpu.Vreg[2 * i.Rd] = half;
        cpu.Vreg[2 * i.Rd + 1] = Q(raw) ? half : 0;
    }
}
