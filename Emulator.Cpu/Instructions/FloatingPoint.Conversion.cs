using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.FloatingPoint;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Conversion between floating-point and integer (sf 0 S 11110 ptype 1 rmode opcode 000000 Rn Rd) and between
/// floating-point and fixed-point (sf 0 S 11110 ptype 0 rmode opcode scale Rn Rd), Arm ARM C4.1.6.
/// </summary>
internal static unsafe partial class FloatingPoint
{
    private static EncodingRow[] ConversionRows =>
    [
        Row("x0011110_xx100000_000000xx_xxxxxxxx", "FCVTNS (scalar)", &FcvtToInteger, SingleOrDouble),
        Row("x0011110_xx100001_000000xx_xxxxxxxx", "FCVTNU (scalar)", &FcvtToInteger, SingleOrDouble),
        Row("x0011110_xx100010_000000xx_xxxxxxxx", "SCVTF (scalar, integer)", &CvtfFromInteger, SingleOrDouble),
        Row("x0011110_xx100011_000000xx_xxxxxxxx", "UCVTF (scalar, integer)", &CvtfFromInteger, SingleOrDouble),
        Row("x0011110_xx100100_000000xx_xxxxxxxx", "FCVTAS (scalar)", &FcvtToInteger, SingleOrDouble),
        Row("x0011110_xx100101_000000xx_xxxxxxxx", "FCVTAU (scalar)", &FcvtToInteger, SingleOrDouble),
        Row("x0011110_xx10x11x_000000xx_xxxxxxxx", "FMOV (general)", &FmovGeneral, FmovGeneralValid),
        Row("x0011110_xx101000_000000xx_xxxxxxxx", "FCVTPS (scalar)", &FcvtToInteger, SingleOrDouble),
        Row("x0011110_xx101001_000000xx_xxxxxxxx", "FCVTPU (scalar)", &FcvtToInteger, SingleOrDouble),
        Row("x0011110_xx110000_000000xx_xxxxxxxx", "FCVTMS (scalar)", &FcvtToInteger, SingleOrDouble),
        Row("x0011110_xx110001_000000xx_xxxxxxxx", "FCVTMU (scalar)", &FcvtToInteger, SingleOrDouble),
        Row("x0011110_xx111000_000000xx_xxxxxxxx", "FCVTZS (scalar, integer)", &FcvtToInteger, SingleOrDouble),
        Row("x0011110_xx111001_000000xx_xxxxxxxx", "FCVTZU (scalar, integer)", &FcvtToInteger, SingleOrDouble),
        Row("x0011110_xx000010_xxxxxxxx_xxxxxxxx", "SCVTF (scalar, fixed-point)", &CvtfFromFixed, FixedPointValid),
        Row("x0011110_xx000011_xxxxxxxx_xxxxxxxx", "UCVTF (scalar, fixed-point)", &CvtfFromFixed, FixedPointValid),
        Row("x0011110_xx011000_xxxxxxxx_xxxxxxxx", "FCVTZS (scalar, fixed-point)", &FcvtToFixed, FixedPointValid),
        Row("x0011110_xx011001_xxxxxxxx_xxxxxxxx", "FCVTZU (scalar, fixed-point)", &FcvtToFixed, FixedPointValid),
    ];

    /// <summary>FMOV (general) exists as 32-bit Wd/Sn (sf 0, ptype 00, rmode 00), 64-bit Xd/Dn (sf 1, ptype 01, rmode 00) and Xd/Vn.D[1] (sf 1, ptype 10, rmode 01).</summary>
    private static bool FmovGeneralValid(uint raw, ref DecodedInst i)
    {
        uint sf = raw >> 31, ptype = (raw >> 22) & 3, rmode = (raw >> 19) & 3;
        return (sf, ptype, rmode) is (0, 0, 0) or (1, 1, 0) or (1, 2, 1);
    }

    /// <summary>Fixed point: single or double, and a 32-bit integer allows at most 32 fraction bits (scale&lt;5&gt; = 1).</summary>
    private static bool FixedPointValid(uint raw, ref DecodedInst i) =>
        SingleOrDouble(raw, ref i) && ((raw >> 31) != 0 || (raw & (1u << 15)) != 0);

    /// <summary>The rounding of FCVT&lt;N,P,M,Z,A&gt;&lt;S,U&gt; from rmode (bits 20:19) and opcode&lt;2&gt; (A: to nearest, ties away).</summary>
    private static FPRounding ConversionRounding(uint raw) =>
        (raw & (1u << 18)) != 0 ? FPRounding.TIEAWAY : (FPRounding)((raw >> 19) & 3);

    private static void FcvtToInteger(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw), m = i.Sf ? 64 : 32;
        bool unsigned = (i.Raw & (1u << 16)) != 0;
        ulong result = FPOps.FPToFixed(Operand(cpu, i.Rn, n), n, 0, unsigned, m, Fpcr(cpu), ConversionRounding(i.Raw), ref cpu.Sys.FPSR);
        cpu.SetReg(i.Rd, i.Sf, result);
    }

    private static void CvtfFromInteger(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw), m = i.Sf ? 64 : 32;
        bool unsigned = (i.Raw & (1u << 16)) != 0;
        ulong fpcr = Fpcr(cpu);
        cpu.SetScalar(i.Rd, FPOps.FixedToFP(cpu.Reg(i.Rn, i.Sf), m, 0, unsigned, n, fpcr, FPBits.FPRoundingMode(fpcr), ref cpu.Sys.FPSR), n);
    }

    /// <summary>FCVTZS/FCVTZU (fixed-point): fbits = 64 - scale, always rounding towards zero.</summary>
    private static void FcvtToFixed(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw), m = i.Sf ? 64 : 32, fbits = 64 - (int)((i.Raw >> 10) & 0x3F);
        bool unsigned = (i.Raw & (1u << 16)) != 0;
        ulong result = FPOps.FPToFixed(Operand(cpu, i.Rn, n), n, fbits, unsigned, m, Fpcr(cpu), FPRounding.ZERO, ref cpu.Sys.FPSR);
        cpu.SetReg(i.Rd, i.Sf, result);
    }

    private static void CvtfFromFixed(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw), m = i.Sf ? 64 : 32, fbits = 64 - (int)((i.Raw >> 10) & 0x3F);
        bool unsigned = (i.Raw & (1u << 16)) != 0;
        ulong fpcr = Fpcr(cpu);
        cpu.SetScalar(i.Rd, FPOps.FixedToFP(cpu.Reg(i.Rn, i.Sf), m, fbits, unsigned, n, fpcr, FPBits.FPRoundingMode(fpcr), ref cpu.Sys.FPSR), n);
    }

    /// <summary>
    /// FMOV (general): opcode&lt;0&gt; = 0 moves to the general register, 1 from it. The 32/64-bit forms write the
    /// whole SIMD&amp;FP register (upper bits zero); the Vn.D[1] form reads or writes bits 127:64 only.
    /// </summary>
    private static void FmovGeneral(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        bool toFp = (i.Raw & (1u << 16)) != 0, upper = ((i.Raw >> 19) & 3) == 1;
        if (upper)
        {
            if (toFp) cpu.Vreg[2 * i.Rd + 1] = cpu.Xr(i.Rn);
            else cpu.SetX(i.Rd, cpu.Vreg[2 * i.Rn + 1]);
        }
        else if (toFp) cpu.SetScalar(i.Rd, cpu.Reg(i.Rn, i.Sf), i.Sf ? 64 : 32);
        else cpu.SetReg(i.Rd, i.Sf, i.Sf ? cpu.D(i.Rn) : (uint)cpu.D(i.Rn));
    }
}
