using Aegis.Emulator.Cpu;

namespace Aegis.Emu.Tracing.Checkers;

/// <summary>A valid leaf descriptor of a stage-1 tree: its output range, input address and effective access
/// (AP[2:1] with the APTable limits of the tables above it applied).</summary>
internal readonly record struct LeafMapping(ulong Pa, ulong Size, ulong Va, ulong DescriptorAddress, ulong Descriptor, int Level,
    bool Writable, bool El0Access);

/// <summary>
/// Enumerates the leaf mappings of a stage-1 translation table tree in guest RAM (4 KiB granule, Arm ARM D5.2), for
/// the checkers that reason about every valid translation rather than the one in use.
/// </summary>
internal static class TranslationTables
{
    /// <summary>Walks the tree of <paramref name="ttbr"/> (a TTBRn value; ASID and CnP bits ignored) for a region of
    /// 64 - <paramref name="txsz"/> VA bits, adding each table page to <paramref name="tablePages"/>.</summary>
    public static void Walk(Cpu cpu, ulong ttbr, int txsz, bool upper, HashSet<ulong> tablePages, Action<LeafMapping> leaf)
    {
        int vaBits = 64 - Math.Clamp(txsz, 16, 39);
        int level = vaBits > 39 ? 0 : vaBits > 30 ? 1 : vaBits > 21 ? 2 : 3;
        int entries = 1 << Math.Min(9, vaBits - Shift(level));
        ulong table = ttbr & 0x0000_FFFF_FFFF_FFFE & ~((ulong)entries * 8 - 1);
        Walk(cpu, table, level, entries, upper ? ~0UL << vaBits : 0, readOnlyTable: false, noEl0Table: false, tablePages, leaf);
    }

    private static int Shift(int level) => 12 + 9 * (3 - level);

    private static void Walk(Cpu cpu, ulong table, int level, int entries, ulong vaBase, bool readOnlyTable, bool noEl0Table,
        HashSet<ulong> tablePages, Action<LeafMapping> leaf)
    {
        long off = cpu.Bus.RamOffset(table, entries * 8);
        if (off < 0) return;
        tablePages.Add(table >> 12);
        int shift = Shift(level);
        for (int i = 0; i < entries; i++)
        {
            ulong desc = cpu.Bus.ReadRam(off + i * 8, 8);
            if ((desc & 1) == 0) continue;
            ulong va = vaBase | ((ulong)i << shift);
            if (level < 3 && (desc & 2) != 0)
            {
                // APTable[1] (bit 62): no writes below; APTable[0] (bit 61): no EL0 access below.
                Walk(cpu, desc & 0x0000_FFFF_FFFF_F000, level + 1, 512, va, readOnlyTable || (desc & (1UL << 62)) != 0,
                    noEl0Table || (desc & (1UL << 61)) != 0, tablePages, leaf);
                continue;
            }
            if (level == 0 || (level == 3 && (desc & 2) == 0)) continue; // reserved: invalid
            ulong size = 1UL << shift;
            leaf(new LeafMapping(desc & 0x0000_FFFF_FFFF_F000 & ~(size - 1), size, va, table + (ulong)i * 8, desc, level,
                Writable: !readOnlyTable && (desc & (1UL << 7)) == 0, El0Access: !noEl0Table && (desc & (1UL << 6)) != 0));
        }
    }
}
