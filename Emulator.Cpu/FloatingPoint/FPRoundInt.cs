namespace Aegis.Emulator.Cpu.FloatingPoint;

public static partial class FPOps
{
    /// <summary>
    /// The integer the pseudocode's RoundDown plus round_up gives for (-1)^sign * mant * 2^exp, as a magnitude
    /// (saturating at 2^127). For a negative value, flooring and then rounding up is the same as rounding the
    /// magnitude with the mode's direction mirrored: TIEEVEN and TIEAWAY are symmetric, POSINF increments only
    /// positive magnitudes, NEGINF only negative ones, ZERO truncates. <paramref name="inexact"/>: error != 0.
    /// </summary>
    internal static UInt128 RoundToIntegral(bool sign, ulong mant, int exp, FPRounding rounding, out bool inexact)
    {
        if (mant == 0) { inexact = false; return 0; }
        if (exp >= 0)
        {
            inexact = false;
            int top = 63 - System.Numerics.BitOperations.LeadingZeroCount(mant);
            return top + exp >= 127 ? UInt128.One << 127 : (UInt128)mant << exp;
        }
        int s = -exp;
        ulong q, rem;
        int error;                                      // 1 below half, 2 half, 3 above half
        if (s >= 64) { q = 0; rem = mant; error = s > 64 || (mant >> 63) == 0 ? 1 : mant == 1UL << 63 ? 2 : 3; }
        else
        {
            q = mant >> s;
            rem = mant & ((1UL << s) - 1);
            ulong half = 1UL << (s - 1);
            error = rem < half ? 1 : rem == half ? 2 : 3;
        }
        inexact = rem != 0;
        if (!inexact) return q;
        bool up = rounding switch
        {
            FPRounding.TIEEVEN => error == 3 || (error == 2 && (q & 1) != 0),
            FPRounding.TIEAWAY => error >= 2,
            FPRounding.POSINF => !sign,
            FPRounding.NEGINF => sign,
            _ => false,
        };
        return up ? (UInt128)q + 1 : q;
    }

    /// <summary>
    /// FPRoundInt: NaNs processed, infinities and zeros returned; otherwise the value rounded to an integral value in
    /// the format (a zero keeps the operand's sign); Inexact only for FRINTX (<paramref name="exact"/>).
    /// </summary>
    public static ulong FPRoundInt(ulong op, int n, ulong fpcr, FPRounding rounding, bool exact, ref ulong fpsr)
    {
        var a = FPUnpack(op, n, fpcr, ref fpsr);
        if (a.IsNaN) return FPProcessNaN(a.Type, op, n, fpcr, ref fpsr);
        if (a.Type == FPType.Infinity) return FPInfinity(a.Sign, n);
        if (a.Type == FPType.Zero) return FPZero(a.Sign, n);
        if (a.Exp >= 0) return op & Mask(n);            // no fraction bits: already integral, re-encodes to itself
        UInt128 magnitude = RoundToIntegral(a.Sign, a.Mant, a.Exp, rounding, out bool inexact);
        // Re-encoding is exact (an integer no larger than the operand's next binade).
        ulong result = magnitude == 0 ? FPZero(a.Sign, n) : FPRound(a.Sign, 0, magnitude, n, fpcr, FPRounding.ZERO, ref fpsr);
        if (inexact && exact) fpsr |= FPBits.IXC;
        return result;
    }
}
