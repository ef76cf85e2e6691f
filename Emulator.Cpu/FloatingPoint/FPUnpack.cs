namespace Aegis.Emulator.Cpu.FloatingPoint;

public static partial class FPOps
{
    /// <summary>
    /// FPUnpack (Armv8.0 FPUnpackBase): classifies <paramref name="fpval"/> and gives its exact value. With FPCR.FZ,
    /// single and double denormals are flushed to a zero of the same sign and FPSR.IDC is set (FPProcessDenormal);
    /// half precision is never flushed (there is no FZ16 in Armv8.0, which also makes this FPUnpackCV). With
    /// FPCR.AHP an exponent of all ones in half precision is an ordinary number, not an infinity or NaN.
    /// </summary>
    public static FPUnpacked FPUnpack(ulong fpval, int n, ulong fpcr, ref ulong fpsr)
    {
        int e = ExpBits(n), f = FracBits(n);
        bool sign = ((fpval >> (n - 1)) & 1) != 0;
        ulong exp = (fpval >> f) & ((1UL << e) - 1);
        ulong frac = fpval & ((1UL << f) - 1);
        int bias = (1 << (e - 1)) - 1;
        if (exp == 0)
        {
            if (frac == 0) return new(FPType.Zero, sign, 0, 0);
            if (n != 16 && (fpcr & FPBits.FZ) != 0)
            {
                fpsr |= FPBits.IDC;
                return new(FPType.Zero, sign, 0, 0);
            }
            return new(FPType.Denormal, sign, frac, 1 - bias - f);
        }
        if (exp == (1UL << e) - 1 && !(n == 16 && (fpcr & FPBits.AHP) != 0))
        {
            if (frac == 0) return new(FPType.Infinity, sign, 0, 0);
            bool quiet = (frac >> (f - 1)) != 0;
            return new(quiet ? FPType.QNaN : FPType.SNaN, sign, 0, 0);
        }
        return new(FPType.Nonzero, sign, frac | (1UL << f), (int)exp - bias - f);
    }
}
