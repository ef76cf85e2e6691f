using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.FloatingPoint;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>Floating-point data-processing (1, 2 and 3 source): Arm ARM C4.1.6 and the instruction pages of C7.2.</summary>
internal static unsafe partial class FloatingPoint
{
    private static EncodingRow[] DataProcessingRows =>
    [
        // 1 source: M 0 S 11110 ptype 1 opcode[20:15] 10000 Rn Rd
        Row("00011110_xx100000_010000xx_xxxxxxxx", "FMOV (register)", &FmovRegister, SingleOrDouble),
        Row("00011110_xx100000_110000xx_xxxxxxxx", "FABS (scalar)", &FabsScalar, SingleOrDouble),
        Row("00011110_xx100001_010000xx_xxxxxxxx", "FNEG (scalar)", &FnegScalar, SingleOrDouble),
        Row("00011110_xx100001_110000xx_xxxxxxxx", "FSQRT (scalar)", &FsqrtScalar, SingleOrDouble),
        Row("00011110_xx10001x_x10000xx_xxxxxxxx", "FCVT", &Fcvt, FcvtValid),
        Row("00011110_xx100100_010000xx_xxxxxxxx", "FRINTN (scalar)", &FrintScalar, SingleOrDouble),
        Row("00011110_xx100100_110000xx_xxxxxxxx", "FRINTP (scalar)", &FrintScalar, SingleOrDouble),
        Row("00011110_xx100101_010000xx_xxxxxxxx", "FRINTM (scalar)", &FrintScalar, SingleOrDouble),
        Row("00011110_xx100101_110000xx_xxxxxxxx", "FRINTZ (scalar)", &FrintScalar, SingleOrDouble),
        Row("00011110_xx100110_010000xx_xxxxxxxx", "FRINTA (scalar)", &FrintScalar, SingleOrDouble),
        Row("00011110_xx100111_010000xx_xxxxxxxx", "FRINTX (scalar)", &FrintScalar, SingleOrDouble),
        Row("00011110_xx100111_110000xx_xxxxxxxx", "FRINTI (scalar)", &FrintScalar, SingleOrDouble),
        // 2 source: M 0 S 11110 ptype 1 Rm opcode[15:12] 10 Rn Rd
        Row("00011110_xx1xxxxx_000010xx_xxxxxxxx", "FMUL (scalar)", &FmulScalar, SingleOrDouble),
        Row("00011110_xx1xxxxx_000110xx_xxxxxxxx", "FDIV (scalar)", &FdivScalar, SingleOrDouble),
        Row("00011110_xx1xxxxx_001010xx_xxxxxxxx", "FADD (scalar)", &FaddScalar, SingleOrDouble),
        Row("00011110_xx1xxxxx_001110xx_xxxxxxxx", "FSUB (scalar)", &FsubScalar, SingleOrDouble),
        Row("00011110_xx1xxxxx_010010xx_xxxxxxxx", "FMAX (scalar)", &FmaxScalar, SingleOrDouble),
        Row("00011110_xx1xxxxx_010110xx_xxxxxxxx", "FMIN (scalar)", &FminScalar, SingleOrDouble),
        Row("00011110_xx1xxxxx_011010xx_xxxxxxxx", "FMAXNM (scalar)", &FmaxnmScalar, SingleOrDouble),
        Row("00011110_xx1xxxxx_011110xx_xxxxxxxx", "FMINNM (scalar)", &FminnmScalar, SingleOrDouble),
        Row("00011110_xx1xxxxx_100010xx_xxxxxxxx", "FNMUL (scalar)", &FnmulScalar, SingleOrDouble),
        // 3 source: M 0 S 11111 ptype o1 Rm o0 Ra Rn Rd
        Row("00011111_xx0xxxxx_0xxxxxxx_xxxxxxxx", "FMADD", &Fmadd, SingleOrDouble),
        Row("00011111_xx0xxxxx_1xxxxxxx_xxxxxxxx", "FMSUB", &Fmadd, SingleOrDouble),
        Row("00011111_xx1xxxxx_0xxxxxxx_xxxxxxxx", "FNMADD", &Fmadd, SingleOrDouble),
        Row("00011111_xx1xxxxx_1xxxxxxx_xxxxxxxx", "FNMSUB", &Fmadd, SingleOrDouble),
    ];

    /// <summary>FCVT: ptype is the source, opc (bits 16:15) the destination; 10 is unallocated either way and they must differ.</summary>
    private static bool FcvtValid(uint raw, ref DecodedInst i)
    {
        uint ptype = (raw >> 22) & 3, opc = (raw >> 15) & 3;
        return ptype != 2 && opc != 2 && ptype != opc;
    }

    // ---- 1 source ----

    private static void FmovRegister(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw);
        cpu.SetScalar(i.Rd, Operand(cpu, i.Rn, n), n);
    }

    private static void FabsScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw);
        cpu.SetScalar(i.Rd, FPOps.FPAbs(Operand(cpu, i.Rn, n), n), n);
    }

    private static void FnegScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw);
        cpu.SetScalar(i.Rd, FPOps.FPNeg(Operand(cpu, i.Rn, n), n), n);
    }

    private static void FsqrtScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw);
        cpu.SetScalar(i.Rd, FPOps.FPSqrt(Operand(cpu, i.Rn, n), n, Fpcr(cpu), ref cpu.Sys.FPSR), n);
    }

    private static void Fcvt(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw);
        int m = ((i.Raw >> 15) & 3) switch { 0 => 32, 1 => 64, _ => 16 };
        ulong fpcr = Fpcr(cpu);
        cpu.SetScalar(i.Rd, FPOps.FPConvert(Operand(cpu, i.Rn, n), n, m, fpcr, FPBits.FPRoundingMode(fpcr), ref cpu.Sys.FPSR), m);
    }

    /// <summary>FRINT&lt;N,P,M,Z,A,X,I&gt;: rmode = opcode&lt;2:0&gt; (bits 17:15); 110 (X) and 111 (I) use FPCR, X also signals Inexact.</summary>
    private static void FrintScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw);
        ulong fpcr = Fpcr(cpu);
        uint rmode = (i.Raw >> 15) & 7;
        var rounding = rmode switch
        {
            0 => FPRounding.TIEEVEN, 1 => FPRounding.POSINF, 2 => FPRounding.NEGINF, 3 => FPRounding.ZERO,
            4 => FPRounding.TIEAWAY, _ => FPBits.FPRoundingMode(fpcr),
        };
        cpu.SetScalar(i.Rd, FPOps.FPRoundInt(Operand(cpu, i.Rn, n), n, fpcr, rounding, rmode == 6, ref cpu.Sys.FPSR), n);
    }

    // ---- 2 source ----

    private delegate ulong Binary(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr);

    private static void TwoSource(Cpu cpu, ref DecodedInst i, Binary op)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw);
        cpu.SetScalar(i.Rd, op(Operand(cpu, i.Rn, n), Operand(cpu, i.Rm, n), n, Fpcr(cpu), ref cpu.Sys.FPSR), n);
    }

    private static void FmulScalar(Cpu cpu, ref DecodedInst i) => TwoSource(cpu, ref i, FPOps.FPMul);
    private static void FdivScalar(Cpu cpu, ref DecodedInst i) => TwoSource(cpu, ref i, FPOps.FPDiv);
    private static void FaddScalar(Cpu cpu, ref DecodedInst i) => TwoSource(cpu, ref i, FPOps.FPAdd);
    private static void FsubScalar(Cpu cpu, ref DecodedInst i) => TwoSource(cpu, ref i, FPOps.FPSub);
    private static void FmaxScalar(Cpu cpu, ref DecodedInst i) => TwoSource(cpu, ref i, FPOps.FPMax);
    private static void FminScalar(Cpu cpu, ref DecodedInst i) => TwoSource(cpu, ref i, FPOps.FPMin);
    private static void FmaxnmScalar(Cpu cpu, ref DecodedInst i) => TwoSource(cpu, ref i, FPOps.FPMaxNum);
    private static void FminnmScalar(Cpu cpu, ref DecodedInst i) => TwoSource(cpu, ref i, FPOps.FPMinNum);

    /// <summary>FNMUL: the product, then FPNeg (so a NaN result has its sign inverted too).</summary>
    private static void FnmulScalar(Cpu cpu, ref DecodedInst i) =>
        TwoSource(cpu, ref i, static (ulong a, ulong b, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPNeg(FPOps.FPMul(a, b, n, fpcr, ref fpsr), n));

    // ---- 3 source ----

    /// <summary>
    /// FMADD/FMSUB/FNMADD/FNMSUB: o1 (bit 21) negates the addend, o0 != o1 negates the first multiplicand (FPNeg,
    /// so a NaN taken from a negated operand comes out with its sign inverted), then one fused FPMulAdd.
    /// </summary>
    private static void Fmadd(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int n = Width(i.Raw);
        bool o1 = (i.Raw & (1u << 21)) != 0, o0 = (i.Raw & (1u << 15)) != 0;
        ulong addend = Operand(cpu, i.Ra, n), op1 = Operand(cpu, i.Rn, n), op2 = Operand(cpu, i.Rm, n);
        if (o1) addend = FPOps.FPNeg(addend, n);
        if (o0 != o1) op1 = FPOps.FPNeg(op1, n);
        cpu.SetScalar(i.Rd, FPOps.FPMulAdd(addend, op1, op2, n, Fpcr(cpu), ref cpu.Sys.FPSR), n);
    }
}
