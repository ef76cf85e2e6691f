namespace Aegis.Emulator.Cpu.FloatingPoint;

public static partial class FPOps
{
    /// <summary>
    /// FPToFixed: op * 2^fbits rounded to an integer of <paramref name="m"/> bits (signed or unsigned). A NaN gives 0
    /// with Invalid Operation; out of range saturates with Invalid Operation (and no Inexact); otherwise Inexact when
    /// rounding changed the value.
    /// </summary>
    public static ulong FPToFixed(ulong op, int n, int fbits, bool unsigned, int m, ulong fpcr, FPRounding rounding, ref ulong fpsr)
    {
        var a = FPUnpack(op, n, fpcr, ref fpsr);
        if (a.IsNaN) { fpsr |= FPBits.IOC; return 0; }
        UInt128 magnitude;
        bool inexact = false;
        if (a.Type == FPType.Infinity) magnitude = UInt128.One << 127;
        else magnitude = RoundToIntegral(a.Sign, a.Mant, a.Exp + fbits, rounding, out inexact);

        // SatQ(int_result, M, unsigned)
        UInt128 limit = unsigned ? (a.Sign ? 0 : (UInt128.One << m) - 1) : (UInt128.One << (m - 1)) - (a.Sign ? 0u : 1u);
        ulong result;
        if (magnitude > limit)
        {
            fpsr |= FPBits.IOC;
            magnitude = limit;
        }
        else if (inexact) fpsr |= FPBits.IXC;
        result = a.Sign ? (ulong)(0 - magnitude) : (ulong)magnitude;
        return m == 64 ? result : result & ((1UL << m) - 1);
    }

    /// <summary>FixedToFP: the integer (signed or unsigned, <paramref name="m"/> bits) divided by 2^fbits, rounded into N bits; zero is +0.</summary>
    public static ulong FixedToFP(ulong op, int m, int fbits, bool unsigned, int n, ulong fpcr, FPRounding rounding, ref ulong fpsr)
    {
        if (m == 32) op = unsigned ? (uint)op : (ulong)(long)(int)op;
        if (op == 0) return FPZero(false, n);
        bool sign = !unsigned && (long)op < 0;
        ulong magnitude = sign ? 0 - op : op;
        return FPRound(sign, -fbits, magnitude, n, fpcr, rounding, ref fpsr);
    }
}
