namespace Aegis.Emulator.Cpu.FloatingPoint;

/// <summary>FPType (Arm ARM shared/functions/float/fpunpack): the class of an unpacked operand.</summary>
public enum FPType { Zero, Denormal, Nonzero, Infinity, QNaN, SNaN }

/// <summary>FPRounding: the rounding modes of FPCR.RMode (first four) and the explicit ones of some instructions.</summary>
public enum FPRounding { TIEEVEN, POSINF, NEGINF, ZERO, TIEAWAY, ODD }

/// <summary>
/// An unpacked operand (FPUnpack's result): its type, sign and, for Zero/Denormal/Nonzero, the exact value
/// Mant * 2^Exp (the pseudocode's real, kept as an integer significand and a binary exponent).
/// </summary>
public readonly record struct FPUnpacked(FPType Type, bool Sign, ulong Mant, int Exp)
{
    public bool IsNaN => Type is FPType.QNaN or FPType.SNaN;
}

/// <summary>The FPCR fields the A53 keeps (AHP, DN, FZ, RMode) and the FPSR cumulative flags.</summary>
public static class FPBits
{
    public const ulong AHP = 1UL << 26, DN = 1UL << 25, FZ = 1UL << 24;
    public const int RModeShift = 22;

    public const ulong IOC = 1UL << 0, DZC = 1UL << 1, OFC = 1UL << 2, UFC = 1UL << 3, IXC = 1UL << 4, IDC = 1UL << 7;

    /// <summary>FPRoundingMode(fpcr): FPCR.RMode as a rounding mode.</summary>
    public static FPRounding FPRoundingMode(ulong fpcr) => (FPRounding)((fpcr >> RModeShift) & 3);
}
