namespace Aegis.Emulator.Mmu;

/// <summary>
/// The system registers that control stage-1 translation, for the EL1&amp;0 and EL2 regimes.
/// The CPU's system-register table reads and writes these fields directly.
/// </summary>
public sealed class MmuRegisters
{
    public ulong SCTLR_EL1 = 0x00C5_0838; // QEMU cortex-a53 reset value for -kernel
    public ulong TCR_EL1;
    public ulong TTBR0_EL1;
    public ulong TTBR1_EL1;
    public ulong MAIR_EL1;

    public ulong SCTLR_EL2 = 0x30C5_0838;
    public ulong TCR_EL2;
    public ulong TTBR0_EL2;
    public ulong MAIR_EL2;

    /// <summary>HCR_EL2 (TGE, DC and the routing bits matter to translation and exceptions).</summary>
    public ulong HCR_EL2;
}
