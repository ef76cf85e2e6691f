namespace Aegis.Emulator.Cpu.FloatingPoint;

public static partial class FPOps
{
    /// <summary>FPAdd: NaNs, then infinities (opposite infinities are Invalid), same-signed zeros, else the rounded exact sum.</summary>
    public static ulong FPAdd(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr) => AddOrSub(op1, op2, false, n, fpcr, ref fpsr);

    /// <summary>FPSub: as FPAdd with the second operand's sign inverted in every rule (NaNs propagate unchanged).</summary>
    public static ulong FPSub(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr) => AddOrSub(op1, op2, true, n, fpcr, ref fpsr);

    private static ulong AddOrSub(ulong op1, ulong op2, bool subtract, int n, ulong fpcr, ref ulong fpsr)
    {
        var a = FPUnpack(op1, n, fpcr, ref fpsr);
        var b = FPUnpack(op2, n, fpcr, ref fpsr);
        if (FPProcessNaNs(a, b, op1, op2, n, fpcr, ref fpsr, out ulong nan)) return nan;
        bool sign2 = b.Sign ^ subtract;
        bool inf1 = a.Type == FPType.Infinity, inf2 = b.Type == FPType.Infinity;
        if (inf1 && inf2 && a.Sign != sign2) { fpsr |= FPBits.IOC; return FPDefaultNaN(n); }
        if ((inf1 && !a.Sign) || (inf2 && !sign2)) return FPInfinity(false, n);
        if (inf1 || inf2) return FPInfinity(true, n);
        bool zero1 = a.Type == FPType.Zero, zero2 = b.Type == FPType.Zero;
        if (zero1 && zero2 && a.Sign == sign2) return FPZero(a.Sign, n);
        return RoundSum(a.Sign, a.Mant, a.Exp, sign2, b.Mant, b.Exp, n, fpcr, ref fpsr);
    }

    /// <summary>
    /// FPRound(x + y) for exact terms x = (-1)^sx * mx * 2^ex and y (mx, my up to 106 bits); an exact zero sum is
    /// +0, or -0 when rounding towards minus infinity (the pseudocode's rule for a zero result_value).
    /// </summary>
    internal static ulong RoundSum(bool sx, UInt128 mx, int ex, bool sy, UInt128 my, int ey, int n, ulong fpcr, ref ulong fpsr)
    {
        if (mx == 0 && my == 0) return FPZero(FPBits.FPRoundingMode(fpcr) == FPRounding.NEGINF, n);
        if (mx == 0) return FPRound(sy, ey, my, n, fpcr, ref fpsr);
        if (my == 0) return FPRound(sx, ex, mx, n, fpcr, ref fpsr);
        // Put both in one window: the term with the higher top bit at bit 124, the other shifted right with a sticky
        // bit; then one more bit below so the sticky bit sits under every kept bit (see FPRound's contract).
        int topX = ex + 127 - (int)UInt128.LeadingZeroCount(mx), topY = ey + 127 - (int)UInt128.LeadingZeroCount(my);
        if (topY > topX) { (sx, mx, ex, topX, sy, my, ey, topY) = (sy, my, ey, topY, sx, mx, ex, topX); }
        int shiftX = 124 - (topX - ex);
        mx <<= shiftX;
        int exp = ex - shiftX;
        int d = exp - ey;                               // my * 2^ey = (my >> d) * 2^exp
        UInt128 alignedY;
        bool sticky;
        if (d <= 0) { alignedY = my << -d; sticky = false; }
        else if (d >= 128) { alignedY = 0; sticky = true; }
        else { alignedY = my >> d; sticky = (my & ((UInt128.One << d) - 1)) != 0; }
        mx <<= 1; alignedY = (alignedY << 1) | (sticky ? UInt128.One : 0); exp--;
        if (sx == sy) return FPRound(sx, exp, mx + alignedY, n, fpcr, ref fpsr);
        if (mx == alignedY) return FPZero(FPBits.FPRoundingMode(fpcr) == FPRounding.NEGINF, n);
        return mx > alignedY ? FPRound(sx, exp, mx - alignedY, n, fpcr, ref fpsr) : FPRound(sy, exp, alignedY - mx, n, fpcr, ref fpsr);
    }

    /// <summary>FPMul: NaNs; zero times infinity is Invalid; infinities, zeros; else the exact product rounded once.</summary>
    public static ulong FPMul(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr) =>
        Multiply(op1, op2, n, fpcr, ref fpsr, mulX: false);

    /// <summary>
    /// FPMul and FPMulX, which differ only in zero times infinity: the default NaN with Invalid Operation for FPMul,
    /// 2.0 with the product's sign and no exception for FPMulX.
    /// </summary>
    private static ulong Multiply(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr, bool mulX)
    {
        var a = FPUnpack(op1, n, fpcr, ref fpsr);
        var b = FPUnpack(op2, n, fpcr, ref fpsr);
        if (FPProcessNaNs(a, b, op1, op2, n, fpcr, ref fpsr, out ulong nan)) return nan;
        bool inf1 = a.Type == FPType.Infinity, inf2 = b.Type == FPType.Infinity;
        bool zero1 = a.Type == FPType.Zero, zero2 = b.Type == FPType.Zero;
        bool sign = a.Sign ^ b.Sign;
        if ((inf1 && zero2) || (zero1 && inf2))
        {
            if (mulX) return FPTwo(sign, n);
            fpsr |= FPBits.IOC;
            return FPDefaultNaN(n);
        }
        if (inf1 || inf2) return FPInfinity(sign, n);
        if (zero1 || zero2) return FPZero(sign, n);
        return FPRound(sign, a.Exp + b.Exp, (UInt128)a.Mant * b.Mant, n, fpcr, ref fpsr);
    }

    /// <summary>FPDiv: NaNs; 0/0 and inf/inf are Invalid; x/0 is an infinity with Divide-by-zero; else the quotient rounded once.</summary>
    public static ulong FPDiv(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr)
    {
        var a = FPUnpack(op1, n, fpcr, ref fpsr);
        var b = FPUnpack(op2, n, fpcr, ref fpsr);
        if (FPProcessNaNs(a, b, op1, op2, n, fpcr, ref fpsr, out ulong nan)) return nan;
        bool inf1 = a.Type == FPType.Infinity, inf2 = b.Type == FPType.Infinity;
        bool zero1 = a.Type == FPType.Zero, zero2 = b.Type == FPType.Zero;
        bool sign = a.Sign ^ b.Sign;
        if ((inf1 && inf2) || (zero1 && zero2)) { fpsr |= FPBits.IOC; return FPDefaultNaN(n); }
        if (inf1 || zero2)
        {
            if (!inf1) fpsr |= FPBits.DZC;
            return FPInfinity(sign, n);
        }
        if (zero1 || inf2) return FPZero(sign, n);
        // (m1 << k) / m2 has at least 70 bits; the remainder becomes a sticky bit below them.
        int k = 125 - (63 - System.Numerics.BitOperations.LeadingZeroCount(a.Mant));
        UInt128 dividend = (UInt128)a.Mant << k;
        UInt128 q = dividend / b.Mant, r = dividend % b.Mant;
        return FPRound(sign, a.Exp - k - b.Exp - 1, (q << 1) | (r != 0 ? UInt128.One : 0), n, fpcr, ref fpsr);
    }

    /// <summary>FPSqrt: NaNs; zeros keep their sign; +inf; any other negative operand is Invalid; else the root rounded once.</summary>
    public static ulong FPSqrt(ulong op, int n, ulong fpcr, ref ulong fpsr)
    {
        var a = FPUnpack(op, n, fpcr, ref fpsr);
        if (a.IsNaN) return FPProcessNaN(a.Type, op, n, fpcr, ref fpsr);
        if (a.Type == FPType.Zero) return FPZero(a.Sign, n);
        if (a.Type == FPType.Infinity && !a.Sign) return FPInfinity(false, n);
        if (a.Sign) { fpsr |= FPBits.IOC; return FPDefaultNaN(n); }
        // value = m * 2^e with e made even and m shifted up to about 2^124, so the integer root has about 62 bits.
        UInt128 m = a.Mant;
        int e = a.Exp;
        int shift = 124 - (63 - System.Numerics.BitOperations.LeadingZeroCount(a.Mant));
        if (((e - shift) & 1) != 0) shift--;
        m <<= shift;
        e -= shift;
        UInt128 root = ISqrt(m);
        bool inexact = root * root != m;
        return FPRound(false, e / 2 - 1, (root << 1) | (inexact ? UInt128.One : 0), n, fpcr, ref fpsr);
    }

    /// <summary>floor(sqrt(x)) by the bit-by-bit method.</summary>
    private static UInt128 ISqrt(UInt128 x)
    {
        UInt128 result = 0, bit = UInt128.One << 126;
        while (bit > x) bit >>= 2;
        while (bit != 0)
        {
            if (x >= result + bit) { x -= result + bit; result = (result >> 1) + bit; }
            else result >>= 1;
            bit >>= 2;
        }
        return result;
    }
}
