namespace Aegis.Emulator.Cpu;

/// <summary>Properties of a data access that change its checks.</summary>
[Flags]
public enum AccessFlags : byte
{
    None = 0,
    /// <summary>LDTR/STTR family: EL0 permissions when executed at EL1.</summary>
    Unprivileged = 1,
    /// <summary>The access must be aligned to its size whatever SCTLR.A says (exclusives, acquire/release).</summary>
    MustBeAligned = 2,
    /// <summary>
    /// The first 64-bit half of a 16-byte SIMD&amp;FP access whose address is not 16-byte aligned: the alignment
    /// checks (SCTLR.A, Device memory) see the whole access as misaligned (Arm ARM CheckAlignment(address, 16)).
    /// </summary>
    Misaligned16 = 4,
}
