namespace Aegis.Emulator.Cpu.SystemRegisters;

/// <summary>
/// Identification register values of the Cortex-A53 r0p4 exactly as QEMU 7.2's `-cpu cortex-a53`
/// reports them on `-M virt` (read back with MRS by a bare-metal program under qemu-system-aarch64 7.2.22;
/// they agree with target/arm/cpu64.c aarch64_a53_initfn and the A53 TRM).
/// </summary>
public static class IdRegisters
{
    public const ulong MIDR_EL1 = 0x410F_D034;   // Arm, variant 0, Armv8 architecture, part 0xD03, revision 4
    public const ulong MPIDR_EL1 = 0x8000_0000;  // RES1 bit 31, uniprocessor U = 0, Aff0 = 0
    public const ulong REVIDR_EL1 = 0;
    public const ulong AIDR_EL1 = 0;

    /// <summary>EL0/EL1 AArch64+AArch32, EL2 AArch64+AArch32 only when EL2 exists (QEMU clears the field otherwise), no EL3.</summary>
    public const ulong ID_AA64PFR0_EL1_NoEl2 = 0x22;
    public const ulong ID_AA64PFR0_EL1_El2 = 0x222;
    public const ulong ID_AA64PFR1_EL1 = 0;
    public const ulong ID_AA64DFR0_EL1 = 0x1030_5106;
    public const ulong ID_AA64DFR1_EL1 = 0;
    public const ulong ID_AA64AFR0_EL1 = 0;
    public const ulong ID_AA64AFR1_EL1 = 0;
    /// <summary>AES + PMULL, SHA1, SHA256, CRC32.</summary>
    public const ulong ID_AA64ISAR0_EL1 = 0x1_1120;
    public const ulong ID_AA64ISAR1_EL1 = 0;
    /// <summary>40-bit PA, 16-bit ASID, mixed endian, 4K and 64K granules (no 16K).</summary>
    public const ulong ID_AA64MMFR0_EL1 = 0x1122;
    public const ulong ID_AA64MMFR1_EL1 = 0;

    // AArch32 views (readable from AArch64 EL1).
    public const ulong ID_PFR0_EL1 = 0x131;
    public const ulong ID_PFR1_EL1_NoEl2 = 0x1_0001;
    public const ulong ID_PFR1_EL1_El2 = 0x1_1001;
    public const ulong ID_DFR0_EL1 = 0x0301_0006;
    public const ulong ID_AFR0_EL1 = 0;
    public const ulong ID_MMFR0_EL1 = 0x1010_1105;
    public const ulong ID_MMFR1_EL1 = 0x4000_0000;
    public const ulong ID_MMFR2_EL1 = 0x0126_0000;
    public const ulong ID_MMFR3_EL1 = 0x0210_2211;
    public const ulong ID_ISAR0_EL1 = 0x0210_1110;
    public const ulong ID_ISAR1_EL1 = 0x1311_2111;
    public const ulong ID_ISAR2_EL1 = 0x2123_2042;
    public const ulong ID_ISAR3_EL1 = 0x0111_2131;
    public const ulong ID_ISAR4_EL1 = 0x0001_1142;
    public const ulong ID_ISAR5_EL1 = 0x0001_1121;
    public const ulong MVFR0_EL1 = 0x1011_0222;
    public const ulong MVFR1_EL1 = 0x1211_1111;
    public const ulong MVFR2_EL1 = 0x43;

    // Caches: 32 KiB 4-way L1 D, 32 KiB 2-way L1 I, 1 MiB 16-way L2, 64-byte lines (QEMU's virt A53).
    public const ulong CTR_EL0 = 0x8444_8004;
    /// <summary>DC ZVA permitted (DZP = 0 is combined at read time with SCTLR_EL1.DZE), block 2^4 words = 64 bytes.</summary>
    public const ulong DCZID_EL0 = 0x4;
    public const int DcZvaBlockBytes = 4 << (int)(DCZID_EL0 & 0xF);
    public const ulong CLIDR_EL1 = 0x0A20_0023;
    public const ulong CCSIDR_L1D = 0x700F_E01A;
    public const ulong CCSIDR_L1I = 0x201F_E00A;
    public const ulong CCSIDR_L2 = 0x707F_E07A;

    /// <summary>CBAR_EL1 (A53 IMPLEMENTATION DEFINED): the peripheral base QEMU's virt board programs, 0x0800_0000.</summary>
    public const ulong CBAR_EL1 = 0x0800_0000;

    /// <summary>CCSIDR_EL1 for the cache CSSELR_EL1 selects (Level[3:1], InD[0]); 0 for absent caches.</summary>
    public static ulong Ccsidr(ulong csselr) => (csselr & 0xF) switch
    {
        0 => CCSIDR_L1D,
        1 => CCSIDR_L1I,
        2 => CCSIDR_L2,
        _ => 0,
    };
}
