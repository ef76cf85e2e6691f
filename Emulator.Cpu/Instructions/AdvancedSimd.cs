using System.Runtime.CompilerServices;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// The integer Advanced SIMD instruction groups (Arm ARM C4.1.6, C7.2), one file per group. Every handler first
/// checks the FP/SIMD trap (AArch64.CheckFPAdvSIMDEnabled, EC 0x07). Operands are the two 64-bit halves of
/// the V registers (<see cref="Cpu.Vreg"/>); a 64-bit arrangement (Q = 0) writes zero to the upper half, as the
/// pseudocode's V[d] = result of datasize bits does. Reserved size/Q combinations of a group stay UNDEFINED by
/// their row's Prepare hook returning false.
/// </summary>
internal static unsafe partial class AdvancedSimd
{
    public static EncodingRow[] Rows =>
    [
        .. CopyRows,
        .. ThreeSameRows(),
        .. PermuteRows,
        .. ModifiedImmediateRows,
        .. TwoRegisterMiscRows(),
        .. AcrossLanesRows,
        .. ShiftImmediateRows(),
        .. ThreeDifferentRows(),
        .. ByElementRows(),
    ];

    private const ulong FpsrQc = 1UL << 27;

    /// <summary>Q (bit 30): the 128-bit arrangement.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsQ(ref DecodedInst i) => (i.Raw & (1u << 30)) != 0;

    /// <summary>V[d] = hi:lo for Q = 1, or lo with the upper half cleared for Q = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetVector(Cpu cpu, ref DecodedInst i, int d, ulong lo, ulong hi)
    {
        cpu.Vreg[2 * d] = lo;
        cpu.Vreg[2 * d + 1] = IsQ(ref i) ? hi : 0;
    }

    /// <summary>FPSR.QC = 1 (cumulative saturation).</summary>
    private static void SetQc(Cpu cpu) => cpu.Sys.FPSR |= FpsrQc;
}
