namespace Aegis.Emulator.Cpu.FloatingPoint;

/// <summary>FRECPE, FRSQRTE and FRECPX: the Armv8.0 estimate functions, with the 8-bit estimate tables computed as the pseudocode does.</summary>
public static partial class FPOps
{
    /// <summary>RecipEstimate: for 256 &lt;= a &lt; 512 (a/512 in [0.5, 1)), 1/a to 9 bits, rounded to nearest.</summary>
    public static int RecipEstimate(int a)
    {
        a = a * 2 + 1;
        int b = (1 << 19) / a;
        return (b + 1) / 2;
    }

    /// <summary>RecipSqrtEstimate: for 128 &lt;= a &lt; 512, 1/sqrt to 9 bits, rounded to nearest.</summary>
    public static int RecipSqrtEstimate(int a)
    {
        if (a < 256) a = a * 2 + 1;
        else { a = (a >> 1) << 1; a = (a + 1) * 2; }
        long b = 512;
        while (a * (b + 1) * (b + 1) < 1L << 28) b++;
        return (int)((b + 1) / 2);
    }

    /// <summary>The fraction of a single or double as the pseudocode's 52-bit fraction (single: shifted up 29) and its biased exponent.</summary>
    private static (ulong Fraction, int Exp) EstimateFields(ulong op, int n) => n == 32
        ? ((op & 0x7F_FFFF) << 29, (int)((op >> 23) & 0xFF))
        : (op & 0xF_FFFF_FFFF_FFFF, (int)((op >> 52) & 0x7FF));

    /// <summary>
    /// FPRecipEstimate: NaNs, 1/inf = 0, 1/0 = inf with DZC; operands so small that the reciprocal overflows give
    /// infinity or the largest normal by rounding mode with OFC and IXC; with FZ, operands so large that it would be
    /// denormal give zero with UFC; otherwise the 8-bit estimate with the reciprocal's exponent.
    /// </summary>
    public static ulong FPRecipEstimate(ulong op, int n, ulong fpcr, ref ulong fpsr)
    {
        var a = FPUnpack(op, n, fpcr, ref fpsr);
        if (a.IsNaN) return FPProcessNaN(a.Type, op, n, fpcr, ref fpsr);
        if (a.Type == FPType.Infinity) return FPZero(a.Sign, n);
        if (a.Type == FPType.Zero) { fpsr |= FPBits.DZC; return FPInfinity(a.Sign, n); }
        // |value| = Mant * 2^Exp; its binade is 2^(Exp + msb).
        int binade = a.Exp + 63 - System.Numerics.BitOperations.LeadingZeroCount(a.Mant);
        if (binade < (n == 32 ? -128 : -1024))
        {
            bool toInf = FPBits.FPRoundingMode(fpcr) switch
            {
                FPRounding.TIEEVEN => true, FPRounding.POSINF => !a.Sign, FPRounding.NEGINF => a.Sign, _ => false,
            };
            fpsr |= FPBits.OFC | FPBits.IXC;
            return toInf ? FPInfinity(a.Sign, n) : FPMaxNormal(a.Sign, n);
        }
        if ((fpcr & FPBits.FZ) != 0 && binade >= (n == 32 ? 126 : 1022))
        {
            fpsr |= FPBits.UFC;
            return FPZero(a.Sign, n);
        }
        var (fraction, exp) = EstimateFields(op, n);
        if (exp == 0)
        {
            if ((fraction >> 51 & 1) == 0) { exp = -1; fraction = (fraction << 2) & 0xF_FFFF_FFFF_FFFF; }
            else fraction = (fraction << 1) & 0xF_FFFF_FFFF_FFFF;
        }
        int scaled = (int)(0x100 | (fraction >> 44) & 0xFF);
        int resultExp = (n == 32 ? 253 : 2045) - exp;
        ulong estimate = (ulong)RecipEstimate(scaled);
        fraction = (estimate & 0xFF) << 44;
        if (resultExp == 0) fraction = (1UL << 51) | (fraction >> 1);
        else if (resultExp == -1) { fraction = (1UL << 50) | (fraction >> 2); resultExp = 0; }
        return n == 32
            ? FPZero(a.Sign, 32) | (ulong)(resultExp & 0xFF) << 23 | fraction >> 29
            : FPZero(a.Sign, 64) | (ulong)(resultExp & 0x7FF) << 52 | fraction;
    }

    /// <summary>FPRSqrtEstimate: NaNs; 1/sqrt(0) = inf with DZC; negative operands are Invalid; 1/sqrt(inf) = +0; otherwise the 8-bit estimate.</summary>
    public static ulong FPRSqrtEstimate(ulong op, int n, ulong fpcr, ref ulong fpsr)
    {
        var a = FPUnpack(op, n, fpcr, ref fpsr);
        if (a.IsNaN) return FPProcessNaN(a.Type, op, n, fpcr, ref fpsr);
        if (a.Type == FPType.Zero) { fpsr |= FPBits.DZC; return FPInfinity(a.Sign, n); }
        if (a.Sign) { fpsr |= FPBits.IOC; return FPDefaultNaN(n); }
        if (a.Type == FPType.Infinity) return FPZero(false, n);
        var (fraction, exp) = EstimateFields(op, n);
        if (exp == 0)
        {
            while ((fraction >> 51 & 1) == 0) { fraction = (fraction << 1) & 0xF_FFFF_FFFF_FFFF; exp--; }
            fraction = (fraction << 1) & 0xF_FFFF_FFFF_FFFF;
        }
        int scaled = (exp & 1) == 0 ? (int)(0x100 | (fraction >> 44) & 0xFF) : (int)(0x80 | (fraction >> 45) & 0x7F);
        int resultExp = ((n == 32 ? 380 : 3068) - exp) / 2;
        ulong estimate = (ulong)RecipSqrtEstimate(scaled) & 0xFF;
        return n == 32 ? (ulong)(resultExp & 0xFF) << 23 | estimate << 15 : (ulong)(resultExp & 0x7FF) << 52 | estimate << 44;
    }

    /// <summary>FPRecpX: NaNs processed; otherwise the sign with the exponent inverted (zeros and denormals: the largest finite exponent) and a zero fraction.</summary>
    public static ulong FPRecpX(ulong op, int n, ulong fpcr, ref ulong fpsr)
    {
        var a = FPUnpack(op, n, fpcr, ref fpsr);
        if (a.IsNaN) return FPProcessNaN(a.Type, op, n, fpcr, ref fpsr);
        int e = ExpBits(n), f = FracBits(n);
        ulong expMask = (1UL << e) - 1, exp = (op >> f) & expMask;
        ulong resultExp = exp == 0 ? expMask - 1 : ~exp & expMask;
        return FPZero(((op >> (n - 1)) & 1) != 0, n) | resultExp << f;
    }
}
