namespace Aegis.Emulator.Cpu.FloatingPoint;

public static partial class FPOps
{
    /// <summary>
    /// FPRound (Armv8.0 FPRoundBase) of the nonzero value (-1)^sign * mant * 2^exponent into N bits.
    /// <paramref name="mant"/> is exact, or its bit 0 is a sticky bit standing for nonzero bits below it; callers
    /// that pass a sticky bit keep at least two bits between it and the rounding position, so the rounding
    /// decision (error below, at or above one half) is the one of the exact value.
    /// Order as in the pseudocode: flush to zero (FZ, not half) on the unrounded exponent with UFC; Underflow
    /// when tiny before rounding and inexact; the rounding increment; overflow to infinity or the largest normal
    /// by mode with OFC (and IXC); IOC instead for alternative half precision; IXC when inexact.
    /// </summary>
    public static ulong FPRound(bool sign, int exponent, UInt128 mant, int n, ulong fpcr, FPRounding rounding, ref ulong fpsr)
    {
        int e = ExpBits(n), f = FracBits(n);
        int minimumExp = 2 - (1 << (e - 1));
        int msb = 127 - (int)UInt128.LeadingZeroCount(mant);
        int exp = exponent + msb;                       // 2^exp <= value < 2^(exp+1)
        if ((fpcr & FPBits.FZ) != 0 && n != 16 && exp < minimumExp)
        {
            fpsr |= FPBits.UFC;
            return FPZero(sign, n);
        }

        // int_mant = RoundDown(value scaled to F fraction bits); s is the number of bits of mant below it.
        int biasedExp, s;
        if (exp < minimumExp) { biasedExp = 0; s = minimumExp - f - exponent; }
        else { biasedExp = exp - minimumExp + 1; s = msb - f; }

        UInt128 intMant;
        int error;                                      // 0 exact, 1 below half, 2 half, 3 above half
        if (s <= 0) { intMant = mant << -s; error = 0; }
        else if (s > 128) { intMant = 0; error = 1; }
        else
        {
            UInt128 rem = s == 128 ? mant : mant & ((UInt128.One << s) - 1);
            intMant = s == 128 ? 0 : mant >> s;
            UInt128 half = UInt128.One << (s - 1);
            error = rem == 0 ? 0 : rem < half ? 1 : rem == half ? 2 : 3;
        }

        // Tininess is detected before rounding (the exponent above); the A53 has no trap enables (UFE is 0).
        if (biasedExp == 0 && error != 0) fpsr |= FPBits.UFC;

        ulong im = (ulong)intMant;
        bool roundUp, overflowToInf;
        switch (rounding)
        {
            case FPRounding.TIEEVEN: roundUp = error == 3 || (error == 2 && (im & 1) != 0); overflowToInf = true; break;
            case FPRounding.TIEAWAY: roundUp = error >= 2; overflowToInf = true; break;
            case FPRounding.POSINF: roundUp = error != 0 && !sign; overflowToInf = !sign; break;
            case FPRounding.NEGINF: roundUp = error != 0 && sign; overflowToInf = sign; break;
            default: roundUp = false; overflowToInf = false; break;     // ZERO, ODD
        }
        if (roundUp)
        {
            im++;
            if (im == 1UL << f) biasedExp = 1;          // a denormal rounded up to the smallest normal
            if (im == 1UL << (f + 1)) { biasedExp++; im >>= 1; }
        }
        if (error != 0 && rounding == FPRounding.ODD) im |= 1;

        ulong result;
        if (n != 16 || (fpcr & FPBits.AHP) == 0)
        {
            if (biasedExp >= (1 << e) - 1)
            {
                result = overflowToInf ? FPInfinity(sign, n) : FPMaxNormal(sign, n);
                fpsr |= FPBits.OFC;
                error = 1;                              // overflow is always inexact
            }
            else result = FPZero(sign, n) | ((ulong)biasedExp << f) | (im & ((1UL << f) - 1));
        }
        else
        {
            if (biasedExp >= 1 << e)
            {
                result = FPZero(sign, n) | (Mask(n) >> 1);
                fpsr |= FPBits.IOC;
                error = 0;                              // Invalid Operation instead of Inexact
            }
            else result = FPZero(sign, n) | ((ulong)biasedExp << f) | (im & ((1UL << f) - 1));
        }
        if (error != 0) fpsr |= FPBits.IXC;
        return result;
    }

    /// <summary>FPRound with FPCR's rounding mode.</summary>
    public static ulong FPRound(bool sign, int exponent, UInt128 mant, int n, ulong fpcr, ref ulong fpsr) =>
        FPRound(sign, exponent, mant, n, fpcr, FPBits.FPRoundingMode(fpcr), ref fpsr);
}
