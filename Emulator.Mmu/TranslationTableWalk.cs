namespace Aegis.Emulator.Mmu;

/// <summary>Where the last table walk went, for tracers (descriptor address and value at the level it stopped).</summary>
public readonly record struct WalkRecord(ulong Va, ulong DescriptorAddress, ulong Descriptor, int Level, FaultKind Fault);

public sealed partial class Mmu
{
    private const ulong OutputAddressMask = 0x0000_FFFF_FFFF_F000; // descriptor bits [47:12]

    /// <summary>The last walk's final descriptor (or the one that faulted). Not updated by TLB hits.</summary>
    public WalkRecord LastWalk { get; private set; }

    /// <summary>Every descriptor read of every walk, for the timing model (walks are rare: the TLB hits first).</summary>
    public WalkLog WalkLog { get; } = new();

    /// <summary>
    /// AArch64.TranslationTableWalk (Arm ARM D5.2, Armv8.0, stage 1, VMSAv8-64 long descriptors) for the
    /// 4 KiB and 64 KiB granules. Produces a TLB entry or the fault with its level, in the pseudocode's order:
    /// external abort on the descriptor read, translation (invalid descriptor, block at a level without blocks),
    /// address size (table or output address above the output size), access flag.
    /// </summary>
    private bool Walk(TranslationRegime regime, ulong va, in TranslationParameters p, out TlbEntry entry, out MmuFault fault)
    {
        entry = default;
        bool singlePrivilege = regime == TranslationRegime.El2;
        int grain = p.GranuleBits;
        int stride = grain - 3;
        int level = 4 - (p.InputSize - grain + stride - 1) / stride;
        int firstBlockLevel = grain == 12 ? 1 : 2;

        // TTBR.BADDR: bits above the output size give an address size fault at level 0; the low bits (and CnP) are
        // ignored so that the table is aligned to its size (QEMU masks them the same way).
        ulong tableBase = p.Ttbr & 0x0000_FFFF_FFFF_FFFEUL;
        if (tableBase >> p.OutputSize != 0)
            return Fail(out fault, FaultKind.AddressSize, 0, va, 0, 0);
        int indexBits = p.InputSize - (grain + (3 - level) * stride);
        tableBase &= ~((1UL << (indexBits + 3)) - 1);

        bool tableReadOnly = false, tableNoUser = false, tableXn = false, tablePxn = false;
        while (true)
        {
            int shift = grain + (3 - level) * stride;
            ulong index = (va >> shift) & ((1UL << indexBits) - 1);
            ulong descAddr = tableBase | (index << 3);
            WalkLog.Record(descAddr, va);
            if (!Bus.Read(descAddr, 8, out ulong desc))
                return Fail(out fault, FaultKind.SynchronousExternal, level, va, descAddr, 0, onWalk: true);

            // Invalid (x0) or the reserved 01 encoding at level 3.
            if ((desc & 1) == 0 || (level == 3 && (desc & 2) == 0))
                return Fail(out fault, FaultKind.Translation, level, va, descAddr, desc);

            bool isTable = level < 3 && (desc & 2) != 0;
            ulong address = desc & OutputAddressMask & ~((1UL << grain) - 1);
            if (isTable)
            {
                if (address >> p.OutputSize != 0)
                    return Fail(out fault, FaultKind.AddressSize, level, va, descAddr, desc);
                // Hierarchical attributes (D5.4.5): APTable[1] and XNTable in every regime; APTable[0] and
                // PXNTable only where there are two privilege levels.
                tableReadOnly |= (desc & (1UL << 62)) != 0;
                tableXn |= (desc & (1UL << 60)) != 0;
                if (!singlePrivilege)
                {
                    tableNoUser |= (desc & (1UL << 61)) != 0;
                    tablePxn |= (desc & (1UL << 59)) != 0;
                }
                tableBase = address;
                level++;
                indexBits = stride;
                continue;
            }

            // Block or page.
            if (level < firstBlockLevel)
                return Fail(out fault, FaultKind.Translation, level, va, descAddr, desc);
            if ((desc & OutputAddressMask) >> p.OutputSize != 0)
                return Fail(out fault, FaultKind.AddressSize, level, va, descAddr, desc);
            // No hardware Access flag management in Armv8.0: AF = 0 always faults (D5.4.12).
            if ((desc & (1UL << 10)) == 0)
                return Fail(out fault, FaultKind.AccessFlag, level, va, descAddr, desc);

            entry = new TlbEntry
            {
                VaBase = va & VaMask & ~((1UL << shift) - 1),
                PaBase = desc & OutputAddressMask & ~((1UL << shift) - 1),
                DescriptorAddress = descAddr,
                Descriptor = desc,
                SizeShift = (byte)shift,
                Level = (byte)level,
                Regime = regime,
                Global = singlePrivilege || (desc & (1UL << 11)) == 0,
                Asid = singlePrivilege ? (ushort)0 : p.Asid,
                ReadOnly = tableReadOnly || (desc & (1UL << 7)) != 0,
                UserAccess = singlePrivilege || ((desc & (1UL << 6)) != 0 && !tableNoUser),
                Uxn = tableXn || (desc & (1UL << 54)) != 0,
                Pxn = !singlePrivilege && (tablePxn || (desc & (1UL << 53)) != 0),
                AttrIndx = (byte)((desc >> 2) & 7),
            };
            LastWalk = new WalkRecord(va, descAddr, desc, level, FaultKind.None);
            fault = default;
            return true;
        }
    }

    private bool Fail(out MmuFault fault, FaultKind kind, int level, ulong va, ulong descAddr, ulong desc, bool onWalk = false)
    {
        LastWalk = new WalkRecord(va, descAddr, desc, level, kind);
        fault = new MmuFault(kind, level, onWalk);
        return false;
    }
}
