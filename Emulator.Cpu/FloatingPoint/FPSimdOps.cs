namespace Aegis.Emulator.Cpu.FloatingPoint;

/// <summary>The operations only Advanced SIMD uses: FPMulX, the fused Newton-Raphson steps and the vector compares.</summary>
public static partial class FPOps
{
    /// <summary>FPMulX: FPMul, except that infinity times zero is 2.0 with the product's sign and no exception.</summary>
    public static ulong FPMulX(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr) =>
        Multiply(op1, op2, n, fpcr, ref fpsr, mulX: true);

    /// <summary>FPTwo: 2.0 with the given sign.</summary>
    public static ulong FPTwo(bool sign, int n) => FPZero(sign, n) | ((1UL << (ExpBits(n) - 1)) << FracBits(n));

    /// <summary>FPOnePointFive: 1.5 with the given sign.</summary>
    public static ulong FPOnePointFive(bool sign, int n) =>
        FPZero(sign, n) | (((1UL << (ExpBits(n) - 1)) - 1) << FracBits(n)) | (1UL << (FracBits(n) - 1));

    /// <summary>FPRecipStepFused (FRECPS): 2.0 - op1 * op2 with one rounding; infinity times zero gives +2.0.</summary>
    public static ulong FPRecipStepFused(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr) =>
        StepFused(op1, op2, false, n, fpcr, ref fpsr);

    /// <summary>FPRSqrtStepFused (FRSQRTS): (3.0 - op1 * op2) / 2 with one rounding; infinity times zero gives +1.5.</summary>
    public static ulong FPRSqrtStepFused(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr) =>
        StepFused(op1, op2, true, n, fpcr, ref fpsr);

    private static ulong StepFused(ulong op1, ulong op2, bool rsqrt, int n, ulong fpcr, ref ulong fpsr)
    {
        op1 = FPNeg(op1, n);
        var a = FPUnpack(op1, n, fpcr, ref fpsr);
        var b = FPUnpack(op2, n, fpcr, ref fpsr);
        if (FPProcessNaNs(a, b, op1, op2, n, fpcr, ref fpsr, out ulong nan)) return nan;
        bool inf1 = a.Type == FPType.Infinity, inf2 = b.Type == FPType.Infinity;
        bool zero1 = a.Type == FPType.Zero, zero2 = b.Type == FPType.Zero;
        if ((inf1 && zero2) || (zero1 && inf2)) return rsqrt ? FPOnePointFive(false, n) : FPTwo(false, n);
        if (inf1 || inf2) return FPInfinity(a.Sign ^ b.Sign, n);
        UInt128 product = zero1 || zero2 ? 0 : (UInt128)a.Mant * b.Mant;
        // 2 + p, or (3 + p) / 2 = 3 * 2^-1 + p * 2^-1: exact terms, one rounding in RoundSum.
        return rsqrt
            ? RoundSum(false, 3, -1, a.Sign ^ b.Sign, product, a.Exp + b.Exp - 1, n, fpcr, ref fpsr)
            : RoundSum(false, 1, 1, a.Sign ^ b.Sign, product, a.Exp + b.Exp, n, fpcr, ref fpsr);
    }

    /// <summary>FPCompareEQ: false for NaNs (Invalid Operation only for a signalling NaN); +0 equals -0.</summary>
    public static bool FPCompareEQ(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr)
    {
        var a = FPUnpack(op1, n, fpcr, ref fpsr);
        var b = FPUnpack(op2, n, fpcr, ref fpsr);
        if (a.IsNaN || b.IsNaN)
        {
            if (a.Type == FPType.SNaN || b.Type == FPType.SNaN) fpsr |= FPBits.IOC;
            return false;
        }
        return OrderKey(a, op1, n) == OrderKey(b, op2, n);
    }

    /// <summary>FPCompareGE: false for NaNs, with Invalid Operation for any NaN.</summary>
    public static bool FPCompareGE(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr) => Ordered(op1, op2, true, n, fpcr, ref fpsr);

    /// <summary>FPCompareGT: false for NaNs, with Invalid Operation for any NaN.</summary>
    public static bool FPCompareGT(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr) => Ordered(op1, op2, false, n, fpcr, ref fpsr);

    private static bool Ordered(ulong op1, ulong op2, bool orEqual, int n, ulong fpcr, ref ulong fpsr)
    {
        var a = FPUnpack(op1, n, fpcr, ref fpsr);
        var b = FPUnpack(op2, n, fpcr, ref fpsr);
        if (a.IsNaN || b.IsNaN) { fpsr |= FPBits.IOC; return false; }
        long k1 = OrderKey(a, op1, n), k2 = OrderKey(b, op2, n);
        return orEqual ? k1 >= k2 : k1 > k2;
    }
}
