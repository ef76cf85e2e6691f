namespace Aegis.Emulator.Cpu.FloatingPoint;

public static partial class FPOps
{
    /// <summary>The ordering of an unpacked non-NaN operand: zeros (flushed denormals too) are 0, otherwise the magnitude bits with the sign.</summary>
    private static long OrderKey(in FPUnpacked u, ulong op, int n) =>
        u.Type == FPType.Zero ? 0 : u.Sign ? -(long)(op & (SignBit(n) - 1)) : (long)(op & (SignBit(n) - 1));

    /// <summary>FPMax: NaNs propagate; the larger value, re-rounded (so a flushed denormal comes back as a zero); max(+0, -0) = +0.</summary>
    public static ulong FPMax(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr) => MaxMin(op1, op2, true, n, fpcr, ref fpsr);

    /// <summary>FPMin: as FPMax, the smaller value; min(+0, -0) = -0.</summary>
    public static ulong FPMin(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr) => MaxMin(op1, op2, false, n, fpcr, ref fpsr);

    private static ulong MaxMin(ulong op1, ulong op2, bool max, int n, ulong fpcr, ref ulong fpsr)
    {
        var a = FPUnpack(op1, n, fpcr, ref fpsr);
        var b = FPUnpack(op2, n, fpcr, ref fpsr);
        if (FPProcessNaNs(a, b, op1, op2, n, fpcr, ref fpsr, out ulong nan)) return nan;
        long k1 = OrderKey(a, op1, n), k2 = OrderKey(b, op2, n);
        var r = (max ? k1 > k2 : k1 < k2) ? a : b;
        if (r.Type == FPType.Infinity) return FPInfinity(r.Sign, n);
        if (r.Type == FPType.Zero) return FPZero(max ? a.Sign && b.Sign : a.Sign || b.Sign, n);
        return FPRound(r.Sign, r.Exp, r.Mant, n, fpcr, ref fpsr);   // exact: the operand itself
    }

    /// <summary>FPMaxNum: a single quiet NaN counts as -infinity, so the number wins (signalling NaNs still propagate).</summary>
    public static ulong FPMaxNum(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr)
    {
        QuietNaNAsInfinity(ref op1, ref op2, negative: true, n, fpcr);
        return FPMax(op1, op2, n, fpcr, ref fpsr);
    }

    /// <summary>FPMinNum: a single quiet NaN counts as +infinity.</summary>
    public static ulong FPMinNum(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr)
    {
        QuietNaNAsInfinity(ref op1, ref op2, negative: false, n, fpcr);
        return FPMin(op1, op2, n, fpcr, ref fpsr);
    }

    /// <summary>FPMaxNum/FPMinNum's substitution: when exactly one operand is a quiet NaN it becomes an infinity of the
    /// given sign (classified without touching FPSR: FPMax/FPMin unpack again and set the flags).</summary>
    private static void QuietNaNAsInfinity(ref ulong op1, ref ulong op2, bool negative, int n, ulong fpcr)
    {
        ulong ignored = 0;
        var t1 = FPUnpack(op1, n, fpcr, ref ignored).Type;
        var t2 = FPUnpack(op2, n, fpcr, ref ignored).Type;
        if (t1 == FPType.QNaN && t2 != FPType.QNaN) op1 = FPInfinity(negative, n);
        else if (t1 != FPType.QNaN && t2 == FPType.QNaN) op2 = FPInfinity(negative, n);
    }

    /// <summary>
    /// FPCompare: NZCV = 0011 when unordered (Invalid Operation for a signalling NaN, or any NaN when
    /// <paramref name="signalNaNs"/>: FCMPE), else 0110 equal, 1000 less than, 0010 greater than. Returns NZCV in bits 31:28.
    /// </summary>
    public static uint FPCompare(ulong op1, ulong op2, bool signalNaNs, int n, ulong fpcr, ref ulong fpsr)
    {
        var a = FPUnpack(op1, n, fpcr, ref fpsr);
        var b = FPUnpack(op2, n, fpcr, ref fpsr);
        if (a.IsNaN || b.IsNaN)
        {
            if (a.Type == FPType.SNaN || b.Type == FPType.SNaN || signalNaNs) fpsr |= FPBits.IOC;
            return 0b0011u << 28;
        }
        long k1 = OrderKey(a, op1, n), k2 = OrderKey(b, op2, n);
        return (k1 == k2 ? 0b0110u : k1 < k2 ? 0b1000u : 0b0010u) << 28;
    }
}
