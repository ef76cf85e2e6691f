using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.FloatingPoint;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// The floating-point instructions of Advanced SIMD (Arm ARM C4.1.6), vector and scalar forms, single and double
/// precision (the half-precision forms are FEAT_FP16 and stay UNDEFINED). They share their groups with the integer
/// rows of <see cref="AdvancedSimd"/>; an encoding neither allocates is UNDEFINED at decode (EC 0x00, before any
/// FP/SIMD access trap, as the Arm ARM decodes before it executes). Elements use the library of
/// Emulator.Cpu/FloatingPoint with FPCR; every handler takes the FP/SIMD access trap first.
/// </summary>
internal static unsafe partial class AdvancedSimdFp
{
    public static EncodingRow[] Rows =>
    [
        .. ThreeSameRows,
        .. TwoRegisterMiscRows,
        .. PairwiseAndAcrossLanesRows,
        .. ByElementRows,
        .. ImmediateRows,
    ];

    private delegate ulong Binary(ulong op1, ulong op2, int n, ulong fpcr, ref ulong fpsr);

    private delegate ulong Unary(ulong op, int n, ulong fpcr, ref ulong fpsr);

    private static EncodingRow Row(string pattern, string name, delegate*<Cpu, ref DecodedInst, void> execute, PrepareInst? prepare = null) =>
        new(pattern, name, execute, TimingClass.SimdFp, prepare);

    /// <summary>sz = 1 (double) needs Q = 1 in the vector forms: "if sz:Q == '10' then UNDEFINED".</summary>
    private static bool NotSz1Q0(uint raw, ref DecodedInst i) => !((raw & (1u << 22)) != 0 && (raw & (1u << 30)) == 0);

    private static int ESize(uint raw) => (raw & (1u << 22)) != 0 ? 64 : 32;

    private static bool Q(uint raw) => (raw & (1u << 30)) != 0;

    /// <summary>Writes the elements of a vector result: V[d] = result, the upper half zero for a 64-bit vector.</summary>
    private static void WriteVector(Cpu cpu, int d, ReadOnlySpan<ulong> result, int esize, bool q)
    {
        ulong lo = 0, hi = 0;
        int perHalf = 64 / esize;
        for (int e = 0; e < result.Length; e++)
        {
            ulong v = esize == 64 ? result[e] : result[e] & ((1UL << esize) - 1);
            int shift = (e % perHalf) * esize;
            if (e < perHalf) lo |= v << shift; else hi |= v << shift;
        }
        cpu.Vreg[2 * d] = lo;
        cpu.Vreg[2 * d + 1] = q ? hi : 0;
    }

    private static ulong AllOnes(bool condition, int n) => condition ? FPOps.Mask(n) : 0;
}
