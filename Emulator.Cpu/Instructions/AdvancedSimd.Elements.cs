using System.Runtime.CompilerServices;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Element arithmetic shared by the integer groups, after the Arm ARM pseudocode library: SInt/UInt of an element,
/// SignedSatQ/UnsignedSatQ (saturate and report), and the register shift of SSHL/SRSHL/SQSHL/SQRSHL (C7.2).
/// Elements travel zero-extended in a ulong; results are masked to the element size by the caller.
/// </summary>
internal static unsafe partial class AdvancedSimd
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long SInt(ulong x, int esize) => esize == 64 ? (long)x : (long)(x << (64 - esize)) >> (64 - esize);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Mask(int esize) => esize == 64 ? ulong.MaxValue : (1UL << esize) - 1;

    /// <summary>SignedSatQ(i, esize): i clamped to the signed range, <paramref name="sat"/> set when clamped.</summary>
    internal static ulong SignedSat(Int128 i, int esize, ref bool sat)
    {
        Int128 max = (Int128.One << (esize - 1)) - 1, min = -(Int128.One << (esize - 1));
        if (i > max) { sat = true; i = max; }
        else if (i < min) { sat = true; i = min; }
        return (ulong)i & Mask(esize);
    }

    /// <summary>UnsignedSatQ(i, esize).</summary>
    internal static ulong UnsignedSat(Int128 i, int esize, ref bool sat)
    {
        Int128 max = (Int128.One << esize) - 1;
        if (i > max) { sat = true; i = max; }
        else if (i < 0) { sat = true; i = 0; }
        return (ulong)i;
    }

    internal static ulong Sat(Int128 i, int esize, bool unsigned, ref bool sat) =>
        unsigned ? UnsignedSat(i, esize, ref sat) : SignedSat(i, esize, ref sat);

    /// <summary>Int(element, unsigned) as a 128-bit integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Int128 Int(ulong x, int esize, bool unsigned) => unsigned ? x : SInt(x, esize);

    /// <summary>
    /// The shift by register (SSHL/USHL/SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/UQRSHL): shift = SInt(b&lt;7:0&gt;), a left shift
    /// when positive, an arithmetic (or logical) right shift with optional rounding when negative. The shift is
    /// clamped where a larger one cannot change the result, so the 128-bit arithmetic never overflows.
    /// </summary>
    internal static ulong ShiftByRegister(ulong a, ulong b, int esize, bool unsigned, bool rounding, bool saturating, ref bool sat)
    {
        int shift = (sbyte)(byte)b;
        Int128 element = Int(a, esize, unsigned);
        Int128 result;
        if (shift >= esize)
        {
            // Every bit leaves the element: 0, or for the saturating forms any non-zero value saturates.
            if (!saturating || element == 0) return 0;
            return Sat(element > 0 ? Int128.MaxValue : Int128.MinValue, esize, unsigned, ref sat);
        }
        if (shift >= 0) result = element << shift;
        else
        {
            int right = Math.Min(-shift, 65);
            Int128 round = rounding ? Int128.One << (right - 1) : 0;
            result = (element + round) >> right;
        }
        return saturating ? Sat(result, esize, unsigned, ref sat) : (ulong)result & Mask(esize);
    }

    /// <summary>Reads lanes as a 128-bit value of Vn (only the low half matters for 64-bit arrangements).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Lane(Cpu cpu, int n, int e, int esize) => cpu.Element(n, e, esize);

    /// <summary>Places element <paramref name="e"/> into the result halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ref ulong lo, ref ulong hi, int e, int esize, ulong value)
    {
        int bit = e * esize;
        value &= Mask(esize);
        if (bit < 64) lo |= value << bit;
        else hi |= value << (bit - 64);
    }

    /// <summary>The row's element size from size [23:22].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Esize(ref DecodedInst i) => 8 << (int)((i.Raw >> 22) & 3);

    /// <summary>Writes a result of <paramref name="datasize"/> bits to Vd (the rest cleared) and FPSR.QC on saturation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Cpu cpu, int d, int datasize, ulong lo, ulong hi, bool sat)
    {
        if (datasize < 64) lo &= (1UL << datasize) - 1;
        cpu.Vreg[2 * d] = lo;
        cpu.Vreg[2 * d + 1] = datasize == 128 ? hi : 0;
        if (sat) SetQc(cpu);
    }
}
