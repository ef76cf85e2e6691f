namespace Aegis.Emulator.Cpu.FloatingPoint;

public static partial class FPOps
{
    /// <summary>
    /// FPConvert from N to M bits (half, single, double). NaNs keep sign and the top of their payload (FPConvertNaN)
    /// unless FPCR.DN; to alternative half precision (FPCR.AHP) a NaN becomes a zero and an infinity the largest
    /// magnitude, both with Invalid Operation; numbers are rounded with FPRound (FPRoundCV: no half flushing).
    /// </summary>
    public static ulong FPConvert(ulong op, int n, int m, ulong fpcr, FPRounding rounding, ref ulong fpsr)
    {
        var a = FPUnpack(op, n, fpcr, ref fpsr);
        bool altHp = m == 16 && (fpcr & FPBits.AHP) != 0;
        if (a.IsNaN)
        {
            ulong result = altHp ? FPZero(a.Sign, m) : (fpcr & FPBits.DN) != 0 ? FPDefaultNaN(m) : FPConvertNaN(op, n, m);
            if (a.Type == FPType.SNaN || altHp) fpsr |= FPBits.IOC;
            return result;
        }
        if (a.Type == FPType.Infinity)
        {
            if (!altHp) return FPInfinity(a.Sign, m);
            fpsr |= FPBits.IOC;
            return FPZero(a.Sign, m) | (Mask(m) >> 1);
        }
        if (a.Type == FPType.Zero) return FPZero(a.Sign, m);
        return FPRound(a.Sign, a.Exp, a.Mant, m, fpcr, rounding, ref fpsr);
    }

    /// <summary>FPConvertNaN: sign, all-ones exponent, the quiet bit, and the payload below the quiet bit aligned at the top.</summary>
    public static ulong FPConvertNaN(ulong op, int n, int m)
    {
        int fn = FracBits(n), fm = FracBits(m);
        ulong payload = op & ((1UL << (fn - 1)) - 1);     // bits below the quiet bit
        payload = fm >= fn ? payload << (fm - fn) : payload >> (fn - fm);
        bool sign = ((op >> (n - 1)) & 1) != 0;
        return FPInfinity(sign, m) | (1UL << (fm - 1)) | payload;
    }
}
