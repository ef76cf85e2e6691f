using System.Numerics;
using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// The Arm ARM's shared integer pseudocode functions used by the data-processing instructions
/// (shared/functions/integer, aarch64/instrs/integer): AddWithCarry, DecodeBitMasks, ShiftReg,
/// ExtendReg, CountLeadingZeroBits, CountLeadingSignBits, BitReverse. Flags are returned as an
/// NZCV image in bits [31:28], the layout of <see cref="Cpu.Nzcv"/>.
/// </summary>
internal static class Arithmetic
{
    public const uint FlagN = 0x8000_0000u, FlagZ = 0x4000_0000u, FlagC = 0x2000_0000u, FlagV = 0x1000_0000u;

    /// <summary>AddWithCarry for N = 64: x + y + carry_in, with its NZCV.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddWithCarry64(ulong x, ulong y, ulong carryIn, out uint nzcv)
    {
        nzcv = AddFlags64(x, y, carryIn);
        return x + y + carryIn;
    }

    /// <summary>The NZCV of AddWithCarry for N = 64 (the translator computes the sum and the flags apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint AddFlags64(ulong x, ulong y, ulong carryIn)
    {
        ulong r = x + y + carryIn;
        // Carry out of bit 63 is the majority of x63, y63 and the carry into bit 63 (= r63 ^ x63 ^ y63).
        ulong c = ((x & y) | ((x | y) & ~r)) >> 63;
        // Signed overflow: both operands differ in sign from the result.
        ulong v = ((x ^ r) & (y ^ r)) >> 63;
        return ((uint)(r >> 32) & FlagN) | (r == 0 ? FlagZ : 0) | ((uint)c << 29) | ((uint)v << 28);
    }

    /// <summary>AddWithCarry for N = 32: x + y + carry_in, with its NZCV.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint AddWithCarry32(uint x, uint y, uint carryIn, out uint nzcv)
    {
        nzcv = AddFlags32(x, y, carryIn);
        return x + y + carryIn;
    }

    /// <summary>The NZCV of AddWithCarry for N = 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint AddFlags32(uint x, uint y, uint carryIn)
    {
        ulong wide = (ulong)x + y + carryIn;
        uint r = (uint)wide;
        uint v = ((x ^ r) & (y ^ r)) >> 31;
        return (r & FlagN) | (r == 0 ? FlagZ : 0) | ((uint)(wide >> 32) << 29) | (v << 28);
    }

    /// <summary>AddWithCarry of the operand size (sf: 64-bit); a 32-bit result comes back zero-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddWithCarry(bool sf, ulong x, ulong y, uint carryIn, out uint nzcv) =>
        sf ? AddWithCarry64(x, y, carryIn, out nzcv) : AddWithCarry32((uint)x, (uint)y, carryIn, out nzcv);

    /// <summary>The N and Z flags of a logical result (C and V are cleared), for ANDS/BICS.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint LogicalFlags(bool sf, ulong result) => sf
        ? ((uint)(result >> 32) & FlagN) | (result == 0 ? FlagZ : 0)
        : ((uint)result & FlagN) | ((uint)result == 0 ? FlagZ : 0);

    /// <summary>Ones(n) for 0 &lt;= n &lt;= 64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Ones(int n) => n >= 64 ? ulong.MaxValue : (1UL << n) - 1;

    /// <summary>
    /// DecodeBitMasks (aarch64/instrs/integer/bitmasks): the (wmask, tmask) pair of a logical immediate
    /// or bitfield encoding for an M-bit register. Returns false where the pseudocode is UNDEFINED
    /// (no element size, or the reserved all-ones element of a logical immediate) or where the element
    /// would not fit M (the pseudocode's assert, reached only by unallocated N=1 32-bit encodings).
    /// </summary>
    public static bool DecodeBitMasks(uint immN, uint imms, uint immr, bool immediate, int m, out ulong wmask, out ulong tmask)
    {
        wmask = tmask = 0;
        int len = HighestSetBit(((immN & 1) << 6) | (~imms & 0x3F));
        if (len < 1) return false;
        int esize = 1 << len;
        if (esize > m) return false;
        uint levels = (uint)esize - 1;
        if (immediate && (imms & levels) == levels) return false;
        int s = (int)(imms & levels), r = (int)(immr & levels);
        int d = (s - r) & (esize - 1); // diff<len-1:0>, the 6-bit subtract taken modulo the element size
        ulong welem = Ones(s + 1), telem = Ones(d + 1);
        wmask = Replicate(RorElement(welem, r, esize), esize, m);
        tmask = Replicate(telem, esize, m);
        return true;
    }

    /// <summary>HighestSetBit: the index of the most significant one, -1 for zero.</summary>
    public static int HighestSetBit(uint x) => 31 - BitOperations.LeadingZeroCount(x);

    private static ulong RorElement(ulong x, int r, int esize) =>
        r == 0 ? x : ((x >> r) | (x << (esize - r))) & Ones(esize);

    private static ulong Replicate(ulong x, int esize, int m)
    {
        for (int e = esize; e < m; e <<= 1) x |= x << e;
        return x & Ones(m);
    }

    /// <summary>ShiftReg for N = 64 (shift type: 0 LSL, 1 LSR, 2 ASR, 3 ROR); amount &lt; 64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ShiftReg64(ulong x, uint type, int amount) => type switch
    {
        0 => x << amount,
        1 => x >> amount,
        2 => (ulong)((long)x >> amount),
        _ => BitOperations.RotateRight(x, amount),
    };

    /// <summary>ShiftReg for N = 32 (shift type: 0 LSL, 1 LSR, 2 ASR, 3 ROR); amount &lt; 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ShiftReg32(uint x, uint type, int amount) => type switch
    {
        0 => x << amount,
        1 => x >> amount,
        2 => (uint)((int)x >> amount),
        _ => BitOperations.RotateRight(x, amount),
    };

    /// <summary>
    /// ExtendReg: the register extended by option (UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX) and
    /// shifted left by 0–4, to 64 bits; a 32-bit operation uses the low half, which is what the
    /// pseudocode's Min(len, N - shift) truncation gives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ExtendReg(ulong x, uint option, int shift) => (option switch
    {
        0 => (byte)x,
        1 => (ushort)x,
        2 => (uint)x,
        4 => (ulong)(sbyte)x,
        5 => (ulong)(short)x,
        6 => (ulong)(int)x,
        _ => x,
    }) << shift;

    /// <summary>CountLeadingSignBits for N = 64: CountLeadingZeroBits(x&lt;63:1&gt; EOR x&lt;62:0&gt;).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountLeadingSignBits64(ulong x) => BitOperations.LeadingZeroCount((x ^ (x << 1)) | 1);

    /// <summary>CountLeadingSignBits for N = 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountLeadingSignBits32(uint x) => BitOperations.LeadingZeroCount((x ^ (x << 1)) | 1);

    /// <summary>BitReverse for N = 64 (RBIT).</summary>
    public static ulong BitReverse64(ulong x)
    {
        x = ((x >> 1) & 0x5555_5555_5555_5555UL) | ((x & 0x5555_5555_5555_5555UL) << 1);
        x = ((x >> 2) & 0x3333_3333_3333_3333UL) | ((x & 0x3333_3333_3333_3333UL) << 2);
        x = ((x >> 4) & 0x0F0F_0F0F_0F0F_0F0FUL) | ((x & 0x0F0F_0F0F_0F0F_0F0FUL) << 4);
        return System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(x);
    }

    /// <summary>BitReverse for N = 32 (RBIT).</summary>
    public static uint BitReverse32(uint x) => (uint)(BitReverse64(x) >> 32);
}
