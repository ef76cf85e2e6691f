namespace Aegis.Emulator.Cpu.FloatingPoint;

public static partial class FPOps
{
    /// <summary>
    /// FPMulAdd: addend + op1 * op2 with a single rounding. NaNs are taken addend first (FPProcessNaNs3); a quiet NaN
    /// addend with an infinity times zero product still gives the default NaN with Invalid Operation.
    /// </summary>
    public static ulong FPMulAdd(ulong addend, ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr)
    {
        var a = FPUnpack(addend, n, fpcr, ref fpsr);
        var b = FPUnpack(op1, n, fpcr, ref fpsr);
        var c = FPUnpack(op2, n, fpcr, ref fpsr);
        bool inf1 = b.Type == FPType.Infinity, zero1 = b.Type == FPType.Zero;
        bool inf2 = c.Type == FPType.Infinity, zero2 = c.Type == FPType.Zero;
        bool done = FPProcessNaNs3(a, b, c, addend, op1, op2, n, fpcr, ref fpsr, out ulong result);
        if (a.Type == FPType.QNaN && ((inf1 && zero2) || (zero1 && inf2)))
        {
            fpsr |= FPBits.IOC;
            return FPDefaultNaN(n);
        }
        if (done) return result;
        bool infA = a.Type == FPType.Infinity, zeroA = a.Type == FPType.Zero;
        bool signP = b.Sign ^ c.Sign, infP = inf1 || inf2, zeroP = zero1 || zero2;
        if ((inf1 && zero2) || (zero1 && inf2) || (infA && infP && a.Sign != signP)) { fpsr |= FPBits.IOC; return FPDefaultNaN(n); }
        if ((infA && !a.Sign) || (infP && !signP)) return FPInfinity(false, n);
        if (infA || infP) return FPInfinity(true, n);
        if (zeroA && zeroP && a.Sign == signP) return FPZero(a.Sign, n);
        UInt128 product = zeroP ? 0 : (UInt128)b.Mant * c.Mant;
        return RoundSum(a.Sign, zeroA ? 0 : a.Mant, a.Exp, signP, product, b.Exp + c.Exp, n, fpcr, ref fpsr);
    }
}
