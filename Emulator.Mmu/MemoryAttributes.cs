namespace Aegis.Emulator.Mmu;

/// <summary>
/// The result of a successful translation. <paramref name="MemAttr"/> is the MAIR_ELx attribute byte that applied
/// (Arm ARM D5.5.1; 0x00 = Device-nGnRnE), for the timing model and tracers. <paramref name="Asid"/>: the ASID of the TLB
/// lookup that gave it (EL1&amp;0's), or <see cref="AnyAsid"/> where every lookup of the VA would find the same entry until
/// the TLB changes (a data access's global entry that is the only one for the VA, EL2's regime, stage 1 off): what a
/// host-side cache of the translation compares after an ASID change (the CPU's RAM fast path).
/// </summary>
public readonly record struct Translation(ulong PhysicalAddress, bool IsDevice, byte MemAttr = 0, int Asid = Translation.AnyAsid)
{
    /// <summary>The translation holds for every ASID.</summary>
    public const int AnyAsid = -1;
}

/// <summary>Memory attribute decoding (Arm ARM D5.5, MAIR_ELx).</summary>
public static class MemoryAttributes
{
    public const byte DeviceNGnRnE = 0x00;
    /// <summary>Normal, Inner/Outer Non-cacheable (instruction fetches with SCTLR.I = 0 and the MMU off).</summary>
    public const byte NormalNonCacheable = 0x44;
    /// <summary>Normal, Inner/Outer Write-Through, read-allocate (instruction fetches with SCTLR.I = 1 and the MMU off, D5.2.9).</summary>
    public const byte NormalWriteThrough = 0xAA;
    /// <summary>Normal, Inner/Outer Write-Back, read/write-allocate (HCR_EL2.DC = 1).</summary>
    public const byte NormalWriteBack = 0xFF;

    /// <summary>The attribute byte MAIR_ELx.Attr&lt;AttrIndx&gt;.</summary>
    public static byte FromMair(ulong mair, int attrIndx) => (byte)(mair >> (8 * attrIndx));

    /// <summary>Attr[7:4] = 0000 is Device memory (Attr[3:0] selects nGnRnE..GRE); anything else is Normal.</summary>
    public static bool IsDevice(byte attr) => (attr & 0xF0) == 0;
}
