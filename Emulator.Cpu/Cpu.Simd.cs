using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Cpu;

public sealed partial class Cpu
{
    /// <summary>
    /// The SIMD&amp;FP registers V0–V31 (Arm ARM B1.2.1; V[] in the pseudocode, named Vreg here beside the flag
    /// <see cref="V"/>), 128 bits each, as two 64-bit halves: Vreg[2n] holds bits 63:0 of Vn and Vreg[2n + 1] bits 127:64. Element i of size e bits is bits [i*e + e - 1 : i*e] (little-endian lanes),
    /// so Bn/Hn/Sn/Dn are the low bits of Vreg[2n].
    /// </summary>
    public readonly ulong[] Vreg = new ulong[64];

    /// <summary>Vn as a 128-bit value.</summary>
    public UInt128 Q(int n) => new(Vreg[2 * n + 1], Vreg[2 * n]);

    /// <summary>Writes all of Vn.</summary>
    public void SetQ(int n, UInt128 value)
    {
        Vreg[2 * n] = (ulong)value;
        Vreg[2 * n + 1] = (ulong)(value >> 64);
    }

    /// <summary>Bits 63:0 of Vn (Dn, and the lower half of a vector).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong D(int n) => Vreg[2 * n];

    /// <summary>
    /// Writes a scalar or 64-bit vector result: bits [width-1:0] of Vn = <paramref name="value"/>, every bit above
    /// cleared (Arm ARM V[n, width] assignment for width &lt; 128: the upper bits of the register become zero).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetScalar(int n, ulong value, int width)
    {
        Vreg[2 * n] = width == 64 ? value : value & ((1UL << width) - 1);
        Vreg[2 * n + 1] = 0;
    }

    /// <summary>Element <paramref name="index"/> of <paramref name="esize"/> bits (8, 16, 32 or 64) of Vn, zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Element(int n, int index, int esize)
    {
        int bit = index * esize;
        ulong half = Vreg[2 * n + (bit >> 6)];
        return esize == 64 ? half : (half >> (bit & 63)) & ((1UL << esize) - 1);
    }

    /// <summary>Sets element <paramref name="index"/> of <paramref name="esize"/> bits of Vn, leaving the other bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetElement(int n, int index, int esize, ulong value)
    {
        int bit = index * esize;
        ref ulong half = ref Vreg[2 * n + (bit >> 6)];
        if (esize == 64) { half = value; return; }
        ulong mask = ((1UL << esize) - 1) << (bit & 63);
        half = (half & ~mask) | ((value << (bit & 63)) & mask);
    }
}
