using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// The SIMD&amp;FP instruction classes: "Data Processing -- Scalar Floating-Point and Advanced SIMD"
/// (Arm ARM C4.1.6, op0 = x111) and the SIMD&amp;FP loads and stores (V = 1). They are decoded down to their
/// Arm ARM groups but NOT EXECUTED YET: each row checks the FP/SIMD access trap (CPACR_EL1.FPEN,
/// CPTR_EL2.TFP; EC 0x07) and, when not trapped, is UNDEFINED. Within a group, an encoding the group
/// leaves unallocated traps like its neighbours until execution decodes the groups completely.
/// </summary>
internal static unsafe partial class SimdAndFloatingPoint
{
    private const string Prefix = "SIMD&FP not executed yet: ";

    public static EncodingRow[] Rows =>
    [
        // ---- Cryptographic extension (Armv8.0: AES, SHA1, SHA256) ----
        Row("01001110_xx10100x_xxxx10xx_xxxxxxxx", "Cryptographic AES"),
        Row("01011110_xx0xxxxx_0xxx00xx_xxxxxxxx", "Cryptographic three-register SHA"),
        Row("01011110_xx10100x_xxxx10xx_xxxxxxxx", "Cryptographic two-register SHA"),
        // ---- Advanced SIMD scalar ----
        Row("01x11110_000xxxxx_0xxxx1xx_xxxxxxxx", "Advanced SIMD scalar copy"),
        Row("01x11110_xx1xxxxx_xxxxx1xx_xxxxxxxx", "Advanced SIMD scalar three same"),
        Row("01x11110_xx1xxxxx_xxxx00xx_xxxxxxxx", "Advanced SIMD scalar three different"),
        Row("01x11110_xx10000x_xxxx10xx_xxxxxxxx", "Advanced SIMD scalar two-register miscellaneous"),
        Row("01x11110_xx11000x_xxxx10xx_xxxxxxxx", "Advanced SIMD scalar pairwise"),
        Row("01x11111_0xxxxxxx_xxxxx1xx_xxxxxxxx", "Advanced SIMD scalar shift by immediate", ImmhNonZero),
        Row("01x11111_xxxxxxxx_xxxxx0xx_xxxxxxxx", "Advanced SIMD scalar x indexed element"),
        // ---- Advanced SIMD vector ----
        Row("0x001110_xx0xxxxx_0xxx00xx_xxxxxxxx", "Advanced SIMD table lookup"),
        Row("0x001110_xx0xxxxx_0xxx10xx_xxxxxxxx", "Advanced SIMD permute"),
        Row("0x101110_xx0xxxxx_0xxxx0xx_xxxxxxxx", "Advanced SIMD extract"),
        Row("0xx01110_000xxxxx_0xxxx1xx_xxxxxxxx", "Advanced SIMD copy"),
        Row("0xx01110_xx1xxxxx_xxxxx1xx_xxxxxxxx", "Advanced SIMD three same"),
        Row("0xx01110_xx1xxxxx_xxxx00xx_xxxxxxxx", "Advanced SIMD three different"),
        Row("0xx01110_xx10000x_xxxx10xx_xxxxxxxx", "Advanced SIMD two-register miscellaneous"),
        Row("0xx01110_xx11000x_xxxx10xx_xxxxxxxx", "Advanced SIMD across lanes"),
        Row("0xx01111_00000xxx_xxxxx1xx_xxxxxxxx", "Advanced SIMD modified immediate"),
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

    private static bool OpcNot11(uint raw, ref DecodedInst i) => (raw >> 30) != 3;

    /// <summary>size:opc for SIMD&amp;FP registers: the 128-bit forms (opc&lt;1&gt; = 1) need size = 00.</summary>
    private static bool SizeOpcValid(uint raw, ref DecodedInst i) => (raw & (1u << 23)) == 0 || (raw >> 30) == 0;

    /// <summary>Register offset also needs option&lt;1&gt; = 1 (UXTW, LSL, SXTW, SXTX).</summary>
    private static bool SizeOpcValidWithOption(uint raw, ref DecodedInst i) =>
        SizeOpcValid(raw, ref i) && (raw & (1u << 14)) != 0;

    /// <summary>LD1-LD4/ST1-ST4 (multiple): opcodes 0000, 0010, 0100, 0110, 0111, 1000, 1010; size:Q = 110 reserved for LD2-LD4.</summary>
    private static bool MultipleStructures(uint raw, ref DecodedInst i)
    {
        uint opcode = (raw >> 12) & 0xF;
        bool q = (raw & (1u << 30)) != 0;
        uint size = (raw >> 10) & 3;
        return opcode switch
        {
            0b0000 or 0b0100 or 0b1000 => !(size == 3 && !q),
            0b0010 or 0b0110 or 0b0111 or 0b1010 => true,
            _ => false,
        };
    }

    /// <summary>Single structure: the replicate forms (opcode 11x: LD1R-LD4R) exist only as loads with S = 0.</summary>
    private static bool SingleStructure(uint raw, ref DecodedInst i)
    {
        uint opcode = (raw >> 13) & 7;
        bool load = (raw & (1u << 22)) != 0, s = (raw & (1u << 12)) != 0;
        return opcode < 6 || (load && !s);
    }
}
