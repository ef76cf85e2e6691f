using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.FloatingPoint;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Advanced SIMD (scalar) two-register miscellaneous, FP forms: 0 Q U 01110 a sz 10000 opcode[16:12] 10 Rn Rd
/// (scalar: 01 U 11110 ...).
/// </summary>
internal static unsafe partial class AdvancedSimdFp
{
    private static readonly (int U, int A, string Opcode, string Name)[] TwoRegisterMiscElementwise =
    [
        (0, 0, "11000", "FRINTN (vector)"), (0, 0, "11001", "FRINTM (vector)"), (0, 0, "11010", "FCVTNS (vector)"),
        (0, 0, "11011", "FCVTMS (vector)"), (0, 0, "11100", "FCVTAS (vector)"), (0, 0, "11101", "SCVTF (vector, integer)"),
        (0, 1, "01100", "FCMGT (zero)"), (0, 1, "01101", "FCMEQ (zero)"), (0, 1, "01110", "FCMLT (zero)"),
        (0, 1, "01111", "FABS (vector)"), (0, 1, "11000", "FRINTP (vector)"), (0, 1, "11001", "FRINTZ (vector)"),
        (0, 1, "11010", "FCVTPS (vector)"), (0, 1, "11011", "FCVTZS (vector, integer)"), (0, 1, "11101", "FRECPE (vector)"),
        (1, 0, "11000", "FRINTA (vector)"), (1, 0, "11001", "FRINTX (vector)"), (1, 0, "11010", "FCVTNU (vector)"),
        (1, 0, "11011", "FCVTMU (vector)"), (1, 0, "11100", "FCVTAU (vector)"), (1, 0, "11101", "UCVTF (vector, integer)"),
        (1, 1, "01100", "FCMGE (zero)"), (1, 1, "01101", "FCMLE (zero)"), (1, 1, "01111", "FNEG (vector)"),
        (1, 1, "11001", "FRINTI (vector)"), (1, 1, "11010", "FCVTPU (vector)"), (1, 1, "11011", "FCVTZU (vector, integer)"),
        (1, 1, "11101", "FRSQRTE (vector)"), (1, 1, "11111", "FSQRT (vector)"),
    ];

    /// <summary>
    /// The scalar forms: conversions, compares with zero and the estimates. They are named by their Arm ARM page
    /// plus ", scalar" ("FCVTNS (vector), scalar"), as "FCVTNS (scalar)" is the page of the general-register form.
    /// </summary>
    private static bool HasScalarForm(string opcode, string name) =>
        name.StartsWith("FCVT") || name.StartsWith("SCVTF") || name.StartsWith("UCVTF") || name.StartsWith("FCM")
        || name.StartsWith("FRECPE") || name.StartsWith("FRSQRTE");

    private static EncodingRow[] TwoRegisterMiscRows =>
    [
        .. TwoRegisterMiscElementwise.Select(x =>
            Row($"0x{x.U}01110_{x.A}x10000{x.Opcode[0]}_{x.Opcode[1..]}10xx_xxxxxxxx", x.Name, &TwoRegisterMiscVector, NotSz1Q0)),
        .. TwoRegisterMiscElementwise.Where(x => HasScalarForm(x.Opcode, x.Name)).Select(x =>
            Row($"01{x.U}11110_{x.A}x10000{x.Opcode[0]}_{x.Opcode[1..]}10xx_xxxxxxxx", x.Name + ", scalar", &TwoRegisterMiscScalar)),
        Row("0x001110_0x100001_011010xx_xxxxxxxx", "FCVTN, FCVTN2", &Fcvtn),
        Row("0x101110_01100001_011010xx_xxxxxxxx", "FCVTXN, FCVTXN2", &Fcvtn),
        Row("01111110_01100001_011010xx_xxxxxxxx", "FCVTXN, FCVTXN2, scalar", &FcvtxnScalar),
        Row("01011110_1x100001_111110xx_xxxxxxxx", "FRECPX, scalar", &TwoRegisterMiscScalar),
        Row("0x001110_0x100001_011110xx_xxxxxxxx", "FCVTL, FCVTL2", &Fcvtl),
    ];

    /// <summary>The element operation of U:a:opcode.</summary>
    private static Unary TwoRegisterMiscOp(uint raw)
    {
        uint key = ((raw >> 29) & 1) << 6 | ((raw >> 23) & 1) << 5 | ((raw >> 12) & 0x1F);
        return key switch
        {
            0b0_0_11000 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPRoundInt(x, n, fpcr, FPRounding.TIEEVEN, false, ref fpsr),
            0b0_0_11001 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPRoundInt(x, n, fpcr, FPRounding.NEGINF, false, ref fpsr),
            0b0_1_11000 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPRoundInt(x, n, fpcr, FPRounding.POSINF, false, ref fpsr),
            0b0_1_11001 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPRoundInt(x, n, fpcr, FPRounding.ZERO, false, ref fpsr),
            0b1_0_11000 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPRoundInt(x, n, fpcr, FPRounding.TIEAWAY, false, ref fpsr),
            0b1_0_11001 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPRoundInt(x, n, fpcr, FPBits.FPRoundingMode(fpcr), true, ref fpsr),
            0b1_1_11001 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPRoundInt(x, n, fpcr, FPBits.FPRoundingMode(fpcr), false, ref fpsr),
            0b0_0_11010 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPToFixed(x, n, 0, false, n, fpcr, FPRounding.TIEEVEN, ref fpsr),
            0b0_0_11011 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPToFixed(x, n, 0, false, n, fpcr, FPRounding.NEGINF, ref fpsr),
            0b0_0_11100 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPToFixed(x, n, 0, false, n, fpcr, FPRounding.TIEAWAY, ref fpsr),
            0b0_1_11010 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPToFixed(x, n, 0, false, n, fpcr, FPRounding.POSINF, ref fpsr),
            0b0_1_11011 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPToFixed(x, n, 0, false, n, fpcr, FPRounding.ZERO, ref fpsr),
            0b1_0_11010 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPToFixed(x, n, 0, true, n, fpcr, FPRounding.TIEEVEN, ref fpsr),
            0b1_0_11011 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPToFixed(x, n, 0, true, n, fpcr, FPRounding.NEGINF, ref fpsr),
            0b1_0_11100 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPToFixed(x, n, 0, true, n, fpcr, FPRounding.TIEAWAY, ref fpsr),
            0b1_1_11010 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPToFixed(x, n, 0, true, n, fpcr, FPRounding.POSINF, ref fpsr),
            0b1_1_11011 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPToFixed(x, n, 0, true, n, fpcr, FPRounding.ZERO, ref fpsr),
            0b0_0_11101 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FixedToFP(x, n, 0, false, n, fpcr, FPBits.FPRoundingMode(fpcr), ref fpsr),
            0b1_0_11101 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FixedToFP(x, n, 0, true, n, fpcr, FPBits.FPRoundingMode(fpcr), ref fpsr),
            0b0_1_01100 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => AllOnes(FPOps.FPCompareGT(x, 0, n, fpcr, ref fpsr), n),
            0b0_1_01101 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => AllOnes(FPOps.FPCompareEQ(x, 0, n, fpcr, ref fpsr), n),
            0b0_1_01110 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => AllOnes(FPOps.FPCompareGT(0, x, n, fpcr, ref fpsr), n),
            0b1_1_01100 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => AllOnes(FPOps.FPCompareGE(x, 0, n, fpcr, ref fpsr), n),
            0b1_1_01101 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => AllOnes(FPOps.FPCompareGE(0, x, n, fpcr, ref fpsr), n),
            0b0_1_01111 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPAbs(x, n),
            0b1_1_01111 => static (ulong x, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPNeg(x, n),
            0b1_1_11111 => FPOps.FPSqrt,
            0b0_1_11101 => FPOps.FPRecipEstimate,
            0b1_1_11101 => FPOps.FPRSqrtEstimate,
            0b0_1_11111 => FPOps.FPRecpX,
            _ => throw new InvalidOperationException($"no two-register FP operation for 0x{raw:X8}"),
        };
    }

    private static void TwoRegisterMiscVector(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        uint raw = i.Raw;
        int esize = ESize(raw), elements = (Q(raw) ? 128 : 64) / esize;
        var op = TwoRegisterMiscOp(raw);
        ulong fpcr = cpu.Sys.FPCR;
        Span<ulong> result = stackalloc ulong[elements];
        for (int e = 0; e < elements; e++) result[e] = op(cpu.Element(i.Rn, e, esize), esize, fpcr, ref cpu.Sys.FPSR);
        WriteVector(cpu, i.Rd, result, esize, Q(raw));
    }

    private static void TwoRegisterMiscScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = ESize(i.Raw);
        cpu.SetScalar(i.Rd, TwoRegisterMiscOp(i.Raw)(cpu.Element(i.Rn, 0, esize), esize, cpu.Sys.FPCR, ref cpu.Sys.FPSR), esize);
    }

    /// <summary>
    /// FCVTN/FCVTN2 (sz: 0 single to half, 1 double to single) and FCVTXN/FCVTXN2 (double to single, round to odd):
    /// the narrowed elements go to Vpart[d, Q]: the lower half with the upper zeroed, or the upper half keeping the lower.
    /// </summary>
    private static void Fcvtn(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        uint raw = i.Raw;
        bool xn = (raw & (1u << 29)) != 0;
        int esize = (raw & (1u << 22)) != 0 ? 32 : 16, elements = 64 / esize;
        ulong fpcr = cpu.Sys.FPCR;
        var rounding = xn ? FPRounding.ODD : FPBits.FPRoundingMode(fpcr);
        ulong part = 0;
        for (int e = 0; e < elements; e++)
            part |= FPOps.FPConvert(cpu.Element(i.Rn, e, 2 * esize), 2 * esize, esize, fpcr, rounding, ref cpu.Sys.FPSR) << (e * esize);
        if (Q(raw)) cpu.Vreg[2 * i.Rd + 1] = part;
        else { cpu.Vreg[2 * i.Rd] = part; cpu.Vreg[2 * i.Rd + 1] = 0; }
    }

    private static void FcvtxnScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        ulong r = FPOps.FPConvert(cpu.D(i.Rn), 64, 32, cpu.Sys.FPCR, FPRounding.ODD, ref cpu.Sys.FPSR);
        cpu.SetScalar(i.Rd, r, 32);
    }

    /// <summary>FCVTL/FCVTL2: the elements of Vpart[n, Q] widened (half to single, or single to double) into all of Vd.</summary>
    private static void Fcvtl(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        uint raw = i.Raw;
        int esize = (raw & (1u << 22)) != 0 ? 32 : 16, elements = 64 / esize;
        ulong operand = cpu.Vreg[2 * i.Rn + (Q(raw) ? 1 : 0)];
        ulong fpcr = cpu.Sys.FPCR;
        Span<ulong> result = stackalloc ulong[elements];
        for (int e = 0; e < elements; e++)
            result[e] = FPOps.FPConvert((operand >> (e * esize)) & FPOps.Mask(esize), esize, 2 * esize, fpcr, FPBits.FPRoundingMode(fpcr), ref cpu.Sys.FPSR);
        WriteVector(cpu, i.Rd, result, 2 * esize, true);
    }
}
