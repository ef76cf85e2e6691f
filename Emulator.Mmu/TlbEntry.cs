namespace Aegis.Emulator.Mmu;

/// <summary>The translation regime an entry belongs to (Arm ARM D5.1.1). None marks an empty TLB slot.</summary>
public enum TranslationRegime : byte
{
    None = 0,
    El10 = 1,
    El2 = 2,
}

/// <summary>
/// One TLB entry: the result of a successful stage-1 walk for a page or block, with the permissions already
/// combined with the hierarchical table attributes (Arm ARM D5.4.5), and the descriptor that produced it
/// (for tracers and the TLB-maintenance checker).
/// </summary>
public struct TlbEntry
{
    /// <summary>VA[55:0] of the start of the page or block (the top byte is never part of the tag).</summary>
    public ulong VaBase;
    /// <summary>Output address of the start of the page or block.</summary>
    public ulong PaBase;
    /// <summary>Physical address and value of the last-level descriptor.</summary>
    public ulong DescriptorAddress;
    public ulong Descriptor;
    /// <summary>log2 of the page or block size: 12, 21, 30 (4 KiB granule) or 16, 29 (64 KiB granule).</summary>
    public byte SizeShift;
    /// <summary>Lookup level of the last-level descriptor (1..3).</summary>
    public byte Level;
    public TranslationRegime Regime;
    /// <summary>nG = 0: matches every ASID (always true in the EL2 regime).</summary>
    public bool Global;
    public ushort Asid;
    /// <summary>Effective AP[2] (read-only), after APTable[1].</summary>
    public bool ReadOnly;
    /// <summary>Effective AP[1] (EL0 access), after APTable[0]; always true in the EL2 regime (RES1).</summary>
    public bool UserAccess;
    /// <summary>Effective UXN (XN in the EL2 regime), after UXNTable/XNTable.</summary>
    public bool Uxn;
    /// <summary>Effective PXN, after PXNTable; false in the EL2 regime.</summary>
    public bool Pxn;
    /// <summary>AttrIndx[2:0]: the MAIR_ELx field, read at use time.</summary>
    public byte AttrIndx;

    public readonly ulong Size => 1UL << SizeShift;

    public override readonly string ToString() =>
        $"{Regime} VA 0x{VaBase:X}+0x{Size:X} -> PA 0x{PaBase:X} L{Level} {(Global ? "global" : $"ASID {Asid}")} " +
        $"desc 0x{Descriptor:X16}@0x{DescriptorAddress:X}";
}

/// <summary>Called with each entry the TLB is filled with (after a successful walk).</summary>
public delegate void TlbFillHandler(in TlbEntry entry);
