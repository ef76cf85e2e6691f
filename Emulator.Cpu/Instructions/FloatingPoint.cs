using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.FloatingPoint;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// The scalar floating-point groups of "Data Processing -- Scalar Floating-Point and Advanced SIMD" (Arm ARM
/// C4.1.6, M = 0, S = 0, op0 = x0x1111x), executed with the bit-exact library of Emulator.Cpu/FloatingPoint.
/// Every handler checks the FP/SIMD access trap first (AArch64.CheckFPAdvSIMDEnabled). Armv8.0 has single and
/// double precision only (ptype 00, 01); ptype 11 is FEAT_FP16, so only FCVT to and from half exists; encodings
/// the groups leave unallocated are rejected by the rows' Prepare hooks and decode as UNDEFINED.
/// </summary>
internal static unsafe partial class FloatingPoint
{
    public static EncodingRow[] Rows =>
    [
        .. DataProcessingRows,
        .. CompareSelectRows,
        .. ConversionRows,
    ];

    private static EncodingRow Row(string pattern, string name, delegate*<Cpu, ref DecodedInst, void> execute, PrepareInst? prepare = null) =>
        new(pattern, name, execute, TimingClass.SimdFp, prepare);

    /// <summary>ptype (bits 23:22): 00 single, 01 double; 11 (half) is FEAT_FP16 and 10 unallocated.</summary>
    private static bool SingleOrDouble(uint raw, ref DecodedInst i) => ((raw >> 22) & 3) < 2;

    /// <summary>The operand width of ptype: 32 or 64 (16 for the half source of FCVT).</summary>
    private static int Width(uint raw) => ((raw >> 22) & 3) switch { 0 => 32, 1 => 64, _ => 16 };

    /// <summary>The low <paramref name="n"/> bits of Vreg (the pseudocode's V[reg, n] read).</summary>
    private static ulong Operand(Cpu cpu, int reg, int n) => cpu.D(reg) & FPOps.Mask(n);

    private static ulong Fpcr(Cpu cpu) => cpu.Sys.FPCR;
}
