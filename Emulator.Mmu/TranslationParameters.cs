namespace Aegis.Emulator.Mmu;

/// <summary>
/// What TCR_ELx and TTBRn_ELx say about one VA (Arm ARM D5.2; QEMU aa64_va_parameters): which table, how many
/// input bits, the granule, whether walks are enabled, the output size and the ASID.
/// </summary>
internal struct TranslationParameters
{
    public ulong Ttbr;
    public int InputSize;
    public int GranuleBits;
    public int OutputSize;
    public bool WalkDisabled;
    public ushort Asid;

    /// <summary>The A53's physical address size: ID_AA64MMFR0_EL1.PARange = 0b0010, 40 bits (QEMU: 0x00001122).</summary>
    public const int PAMax = 40;

    /// <summary>TCR.IPS / TCR_EL2.PS encodings, bounded by PARange (D5.2.7: a larger value is treated as PAMax).</summary>
    public static int OutputSizeFromPs(ulong ps) => ps switch
    {
        0 => 32,
        1 => 36,
        _ => PAMax,
    };

    /// <summary>TG0 encoding: 00 = 4 KiB, 01 = 64 KiB, 10 = 16 KiB.</summary>
    public static int GranuleFromTg0(ulong tg0) => tg0 == 1 ? 16 : 12;

    /// <summary>TG1 encoding: 01 = 16 KiB, 10 = 4 KiB, 11 = 64 KiB.</summary>
    public static int GranuleFromTg1(ulong tg1) => tg1 == 3 ? 16 : 12;
    // The A53 has no 16 KiB granule (ID_AA64MMFR0_EL1.TGran16 = 0): an unsupported or reserved TGx value
    // behaves as a supported one, IMPLEMENTATION DEFINED which (D5.2.3); like QEMU we use 4 KiB.
}
