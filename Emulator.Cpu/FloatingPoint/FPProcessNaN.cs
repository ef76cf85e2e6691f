namespace Aegis.Emulator.Cpu.FloatingPoint;

public static partial class FPOps
{
    /// <summary>FPProcessNaN: a signalling NaN is quietened (top fraction bit set) with Invalid Operation; FPCR.DN gives the default NaN.</summary>
    public static ulong FPProcessNaN(FPType type, ulong op, int n, ulong fpcr, ref ulong fpsr)
    {
        ulong result = op & Mask(n);
        if (type == FPType.SNaN)
        {
            result |= 1UL << (FracBits(n) - 1);
            fpsr |= FPBits.IOC;
        }
        return (fpcr & FPBits.DN) != 0 ? FPDefaultNaN(n) : result;
    }

    /// <summary>FPProcessNaNs: signalling NaNs first (operand order), then quiet NaNs. False when neither operand is a NaN.</summary>
    public static bool FPProcessNaNs(in FPUnpacked a, in FPUnpacked b, ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr, out ulong result)
    {
        if (a.Type == FPType.SNaN) result = FPProcessNaN(a.Type, op1, n, fpcr, ref fpsr);
        else if (b.Type == FPType.SNaN) result = FPProcessNaN(b.Type, op2, n, fpcr, ref fpsr);
        else if (a.Type == FPType.QNaN) result = FPProcessNaN(a.Type, op1, n, fpcr, ref fpsr);
        else if (b.Type == FPType.QNaN) result = FPProcessNaN(b.Type, op2, n, fpcr, ref fpsr);
        else { result = 0; return false; }
        return true;
    }

    /// <summary>FPProcessNaNs3: as <see cref="FPProcessNaNs"/> over three operands (FPMulAdd passes the addend first).</summary>
    public static bool FPProcessNaNs3(in FPUnpacked a, in FPUnpacked b, in FPUnpacked c, ulong op1, ulong op2, ulong op3,
        int n, ulong fpcr, ref ulong fpsr, out ulong result)
    {
        if (a.Type == FPType.SNaN) result = FPProcessNaN(a.Type, op1, n, fpcr, ref fpsr);
        else if (b.Type == FPType.SNaN) result = FPProcessNaN(b.Type, op2, n, fpcr, ref fpsr);
        else if (c.Type == FPType.SNaN) result = FPProcessNaN(c.Type, op3, n, fpcr, ref fpsr);
        else if (a.Type == FPType.QNaN) result = FPProcessNaN(a.Type, op1, n, fpcr, ref fpsr);
        else if (b.Type == FPType.QNaN) result = FPProcessNaN(b.Type, op2, n, fpcr, ref fpsr);
        else if (c.Type == FPType.QNaN) result = FPProcessNaN(c.Type, op3, n, fpcr, ref fpsr);
        else { result = 0; return false; }
        return true;
    }
}
