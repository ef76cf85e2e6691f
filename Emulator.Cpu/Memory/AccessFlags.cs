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
}
