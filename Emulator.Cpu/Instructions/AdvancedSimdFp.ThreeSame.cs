using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.FloatingPoint;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>Advanced SIMD (scalar) three same, floating point: opcode 11xxx with U, a = bit 23 and sz = bit 22.</summary>
internal static unsafe partial class AdvancedSimdFp
{
    private static readonly (int U, int A, string Opc, string Name)[] ThreeSameVectorEncodings =
    [
        (0, 0, "000", "FMAXNM (vector)"), (0, 0, "001", "FMLA (vector)"), (0, 0, "010", "FADD (vector)"),
        (0, 0, "011", "FMULX (vector)"), (0, 0, "100", "FCMEQ (register, vector)"), (0, 0, "110", "FMAX (vector)"),
        (0, 0, "111", "FRECPS (vector)"),
        (0, 1, "000", "FMINNM (vector)"), (0, 1, "001", "FMLS (vector)"), (0, 1, "010", "FSUB (vector)"),
        (0, 1, "110", "FMIN (vector)"), (0, 1, "111", "FRSQRTS (vector)"),
        (1, 0, "000", "FMAXNMP (vector)"), (1, 0, "010", "FADDP (vector)"), (1, 0, "011", "FMUL (vector)"),
        (1, 0, "100", "FCMGE (register, vector)"), (1, 0, "101", "FACGE (vector)"), (1, 0, "110", "FMAXP (vector)"),
        (1, 0, "111", "FDIV (vector)"),
        (1, 1, "000", "FMINNMP (vector)"), (1, 1, "010", "FABD (vector)"), (1, 1, "100", "FCMGT (register, vector)"),
        (1, 1, "101", "FACGT (vector)"), (1, 1, "110", "FMINP (vector)"),
    ];

    private static readonly (int U, int A, string Opc, string Name)[] ThreeSameScalarEncodings =
    [
        (0, 0, "011", "FMULX, scalar"), (0, 0, "100", "FCMEQ (register), scalar"), (0, 0, "111", "FRECPS, scalar"),
        (0, 1, "111", "FRSQRTS, scalar"), (1, 0, "100", "FCMGE (register), scalar"), (1, 0, "101", "FACGE, scalar"),
        (1, 1, "010", "FABD, scalar"), (1, 1, "100", "FCMGT (register), scalar"), (1, 1, "101", "FACGT, scalar"),
    ];

    private static EncodingRow[] ThreeSameRows =>
    [
        .. ThreeSameVectorEncodings.Select(x => Row($"0x{x.U}01110_{x.A}x1xxxxx_11{x.Opc}1xx_xxxxxxxx", x.Name, &ThreeSameVector, NotSz1Q0)),
        .. ThreeSameScalarEncodings.Select(x => Row($"01{x.U}11110_{x.A}x1xxxxx_11{x.Opc}1xx_xxxxxxxx", x.Name, &ThreeSameScalar)),
    ];

    /// <summary>The element operation of U:a:opcode&lt;2:0&gt; (FMLA/FMLS and the pairwise ones are handled around it).</summary>
    private static Binary ThreeSameOp(uint raw) => (((raw >> 29) & 1) << 4 | ((raw >> 23) & 1) << 3 | ((raw >> 11) & 7)) switch
    {
        0b0_0_000 or 0b1_0_000 => FPOps.FPMaxNum,
        0b0_1_000 or 0b1_1_000 => FPOps.FPMinNum,
        0b0_0_010 or 0b1_0_010 => FPOps.FPAdd,
        0b0_1_010 => FPOps.FPSub,
        0b0_0_011 => FPOps.FPMulX,
        0b1_0_011 => FPOps.FPMul,
        0b0_0_100 => static (ulong a, ulong b, int n, ulong fpcr, ref ulong fpsr) => AllOnes(FPOps.FPCompareEQ(a, b, n, fpcr, ref fpsr), n),
        0b1_0_100 => static (ulong a, ulong b, int n, ulong fpcr, ref ulong fpsr) => AllOnes(FPOps.FPCompareGE(a, b, n, fpcr, ref fpsr), n),
        0b1_1_100 => static (ulong a, ulong b, int n, ulong fpcr, ref ulong fpsr) => AllOnes(FPOps.FPCompareGT(a, b, n, fpcr, ref fpsr), n),
        0b1_0_101 => static (ulong a, ulong b, int n, ulong fpcr, ref ulong fpsr) =>
            AllOnes(FPOps.FPCompareGE(FPOps.FPAbs(a, n), FPOps.FPAbs(b, n), n, fpcr, ref fpsr), n),
        0b1_1_101 => static (ulong a, ulong b, int n, ulong fpcr, ref ulong fpsr) =>
            AllOnes(FPOps.FPCompareGT(FPOps.FPAbs(a, n), FPOps.FPAbs(b, n), n, fpcr, ref fpsr), n),
        0b0_0_110 or 0b1_0_110 => FPOps.FPMax,
        0b0_1_110 or 0b1_1_110 => FPOps.FPMin,
        0b0_0_111 => FPOps.FPRecipStepFused,
        0b0_1_111 => FPOps.FPRSqrtStepFused,
        0b1_0_111 => FPOps.FPDiv,
        0b1_1_010 => static (ulong a, ulong b, int n, ulong fpcr, ref ulong fpsr) => FPOps.FPAbs(FPOps.FPSub(a, b, n, fpcr, ref fpsr), n),
        _ => throw new InvalidOperationException($"no three-same FP operation for 0x{raw:X8}"),
    };

    private static void ThreeSameVector(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        uint raw = i.Raw;
        int esize = ESize(raw), elements = (Q(raw) ? 128 : 64) / esize;
        bool u = (raw & (1u << 29)) != 0, a = (raw & (1u << 23)) != 0;
        uint opc = (raw >> 11) & 7;
        ulong fpcr = cpu.Sys.FPCR;
        Span<ulong> result = stackalloc ulong[elements];
        if (opc == 1 && !u)
        {
            // FMLA/FMLS: FPMulAdd(Vd, Vn (negated for FMLS), Vm), fused.
            for (int e = 0; e < elements; e++)
            {
                ulong op1 = cpu.Element(i.Rn, e, esize);
                if (a) op1 = FPOps.FPNeg(op1, esize);
                result[e] = FPOps.FPMulAdd(cpu.Element(i.Rd, e, esize), op1, cpu.Element(i.Rm, e, esize), esize, fpcr, ref cpu.Sys.FPSR);
            }
        }
        else
        {
            var op = ThreeSameOp(raw);
            bool pairwise = u && (opc == 0 || opc == 6 || (opc == 2 && !a));
            for (int e = 0; e < elements; e++)
            {
                ulong x, y;
                if (pairwise)
                {
                    // concat = Vm:Vn; element e is the operation on concat elements 2e and 2e + 1.
                    x = PairElement(cpu, i.Rn, i.Rm, 2 * e, elements, esize);
                    y = PairElement(cpu, i.Rn, i.Rm, 2 * e + 1, elements, esize);
                }
                else { x = cpu.Element(i.Rn, e, esize); y = cpu.Element(i.Rm, e, esize); }
                result[e] = op(x, y, esize, fpcr, ref cpu.Sys.FPSR);
            }
        }
        WriteVector(cpu, i.Rd, result, esize, Q(raw));
    }

    private static ulong PairElement(Cpu cpu, int n, int m, int index, int elements, int esize) =>
        index < elements ? cpu.Element(n, index, esize) : cpu.Element(m, index - elements, esize);

    private static void ThreeSameScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = ESize(i.Raw);
        ulong r = ThreeSameOp(i.Raw)(cpu.Element(i.Rn, 0, esize), cpu.Element(i.Rm, 0, esize), esize, cpu.Sys.FPCR, ref cpu.Sys.FPSR);
        cpu.SetScalar(i.Rd, r, esize);
    }
}
