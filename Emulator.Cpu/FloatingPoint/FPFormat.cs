namespace Aegis.Emulator.Cpu.FloatingPoint;

/// <summary>
/// The IEEE binary formats by width N (16, 32, 64): E exponent bits, F fraction bits, and the constant
/// encodings of the pseudocode (FPZero, FPInfinity, FPMaxNormal, FPDefaultNaN, FPNeg, FPAbs).
/// </summary>
public static partial class FPOps
{
    public static int ExpBits(int n) => n == 16 ? 5 : n == 32 ? 8 : 11;
    public static int FracBits(int n) => n == 16 ? 10 : n == 32 ? 23 : 52;
    public static ulong SignBit(int n) => 1UL << (n - 1);
    public static ulong Mask(int n) => n == 64 ? ulong.MaxValue : (1UL << n) - 1;

    public static ulong FPZero(bool sign, int n) => sign ? SignBit(n) : 0;

    public static ulong FPInfinity(bool sign, int n) => FPZero(sign, n) | (((1UL << ExpBits(n)) - 1) << FracBits(n));

    public static ulong FPMaxNormal(bool sign, int n) =>
        FPZero(sign, n) | (((1UL << ExpBits(n)) - 2) << FracBits(n)) | ((1UL << FracBits(n)) - 1);

    /// <summary>FPDefaultNaN: positive, quiet bit set, zero payload.</summary>
    public static ulong FPDefaultNaN(int n) => FPInfinity(false, n) | (1UL << (FracBits(n) - 1));

    /// <summary>FPNeg / FPAbs only touch the sign bit (no exceptions, NaNs included).</summary>
    public static ulong FPNeg(ulong op, int n) => (op ^ SignBit(n)) & Mask(n);

    public static ulong FPAbs(ulong op, int n) => op & (SignBit(n) - 1);
}
