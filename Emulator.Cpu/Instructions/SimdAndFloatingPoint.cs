using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// The SIMD&amp;FP groups of "Data Processing -- Scalar Floating-Point and Advanced SIMD" (Arm ARM C4.1.6, op0 = x111)
/// that are not (or not completely) executed yet: the floating-point ones. The integer Advanced SIMD instructions
/// (AdvancedSimd.*.cs), the crypto extension (Crypto.*.cs) and the SIMD&amp;FP loads and stores (SimdLoadsAndStores.*.cs)
/// come earlier in the table, so these group rows catch only what is left. Each checks the FP/SIMD access trap
/// (CPACR_EL1.FPEN, CPTR_EL2.TFP; EC 0x07) and, when not trapped, is UNDEFINED.
/// </summary>
internal static unsafe partial class SimdAndFloatingPoint
{
    private const string Prefix = "SIMD&FP not executed yet: ";

    public static EncodingRow[] Rows =>
    [
        // ---- Cryptographic extension (Armv8.0: AES, SHA1, SHA256) ----
        // ---- Advanced SIMD scalar ----
        Row("01x11110_xx1xxxxx_xxxxx1xx_xxxxxxxx", "Advanced SIMD scalar three same"),
        Row("01x11110_xx10000x_xxxx10xx_xxxxxxxx", "Advanced SIMD scalar two-register miscellaneous"),
        Row("01x11110_xx11000x_xxxx10xx_xxxxxxxx", "Advanced SIMD scalar pairwise"),
        Row("01x11111_0xxxxxxx_xxxxx1xx_xxxxxxxx", "Advanced SIMD scalar shift by immediate", ImmhNonZero),
        Row("01x11111_xxxxxxxx_xxxxx0xx_xxxxxxxx", "Advanced SIMD scalar x indexed element"),
        // ---- Advanced SIMD vector ----
        Row("0xx01110_xx1xxxxx_xxxxx1xx_xxxxxxxx", "Advanced SIMD three same"),
        Row("0xx01110_xx10000x_xxxx10xx_xxxxxxxx", "Advanced SIMD two-register miscellaneous"),
        Row("0xx01110_xx11000x_xxxx10xx_xxxxxxxx", "Advanced SIMD across lanes"),
        Row("0xx01111_0xxxxxxx_xxxxx1xx_xxxxxxxx", "Advanced SIMD shift by immediate", ImmhNonZero),
        Row("0xx01111_xxxxxxxx_xxxxx0xx_xxxxxxxx", "Advanced SIMD vector x indexed element"),
        // ---- Scalar floating-point ----
        Row("x0x11110_xx0xxxxx_xxxxxxxx_xxxxxxxx", "Conversion between floating-point and fixed-point", SZero),
        Row("x0x11110_xx1xxxxx_000000xx_xxxxxxxx", "Conversion between floating-point and integer", SZero),
        Row("x0x11110_xx1xxxxx_x10000xx_xxxxxxxx", "Floating-point data-processing (1 source)", MAndSZero),
        Row("x0x11110_xx1xxxxx_xx1000xx_xxxxxxxx", "Floating-point compare", MAndSZero),
        Row("x0x11110_xx1xxxxx_xxx100xx_xxxxxxxx", "Floating-point immediate", MAndSZero),
        Row("x0x11110_xx1xxxxx_xxxx01xx_xxxxxxxx", "Floating-point conditional compare", MAndSZero),
        Row("x0x11110_xx1xxxxx_xxxx10xx_xxxxxxxx", "Floating-point data-processing (2 source)", MAndSZero),
        Row("x0x11110_xx1xxxxx_xxxx11xx_xxxxxxxx", "Floating-point conditional select", MAndSZero),
        Row("x0x11111_xxxxxxxx_xxxxxxxx_xxxxxxxx", "Floating-point data-processing (3 source)", MAndSZero),
    ];

    private static EncodingRow Row(string pattern, string group, PrepareInst? prepare = null) =>
        new(pattern, Prefix + group, &NotExecutedYet, TimingClass.SimdFp, prepare);

    /// <summary>AArch64.CheckFPAdvSIMDEnabled, then UNDEFINED: SIMD&amp;FP execution is a later issue.</summary>
    internal static void NotExecutedYet(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        cpu.Undefined();
    }

    // ---- decode-time constraints that mark whole sub-spaces unallocated ----

    private static bool ImmhNonZero(uint raw, ref DecodedInst i) => ((raw >> 19) & 0xF) != 0;

    private static bool SZero(uint raw, ref DecodedInst i) => (raw & (1u << 29)) == 0;

    private static bool MAndSZero(uint raw, ref DecodedInst i) => (raw & 0xA000_0000u) == 0;
}
