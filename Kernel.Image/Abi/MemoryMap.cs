namespace Aegis.Kernel.Image.Abi;

/// <summary>Fixed addresses and translation-table values (REFERENCE §1). Code-size dependent
/// addresses (.rodata ... .grant_pages) come from <see cref="KernelSymbols"/>.</summary>
public static class MemoryMap
{
    public const ulong GicDistributor = 0x0800_0000;
    public const ulong GicCpuInterface = 0x0801_0000;
    public const ulong Uart0 = 0x0900_0000;
    public const uint Uart0Intid = 33;
    public const uint TimerIntid = 30;
    public const ulong RamBase = 0x4000_0000;
    public const ulong RamEnd = 0x4800_0000;
    public const ulong KernelBase = 0x4008_0000;
    public const ulong ElfLoadBase = 0x4010_0000;
    public const ulong ElfSlotSize = 0x4000;
    public const int ElfSlots = 6;
    public const ulong StackGuard = 0x4011_8000;
    public const ulong StackStart = 0x4011_9000;
    public const ulong StackEnd = 0x4011_D000;
    public const ulong KernelEnd = 0x4011_D000;
    public const int PageTablePages = 36;
    public const int KernelL1Index = 33;

    public const ulong Mair = 0x04FF_4400;
    public const ulong Tcr = 0x5_B599_3519;
    public const ulong SctlrMmuBits = 0x0008_100D;
    /// <summary>SCTLR_EL1 written on the EL2 -> EL1 drop (deviation 3): RES1 | nTWE | nTWI | SA0 | SA.</summary>
    public const ulong SctlrFromEl2 = 0x30D5_0818;

    public const ulong DescNonGlobal = 1UL << 11;
    public const ulong DeviceBlock = 0x0060_0000_0000_0401;
    public const ulong DeviceBlockEl0 = 0x0060_0000_0000_0441;
    /// <summary>EL1 RW, PXN + UXN (deviation 12; upstream's 0x709 had no XN bit, so EL0 could run the bundle).</summary>
    public const ulong RamBlock = 0x0060_0000_0000_0709;
    /// <summary>Upstream's kernel text (EL0 + EL1 RX); our kernel no longer uses it (deviation 12).</summary>
    public const ulong SharedCodePage = 0x0000_0000_0000_07CB;
    public const ulong KernelRodataPage = 0x0060_0000_0000_07CB;
    public const ulong KernelDataPage = 0x0060_0000_0000_070B;
    public const ulong UserDataPage = 0x0060_0000_0000_074B;
    public const ulong UserCodePage = 0x0020_0000_0000_07CB;
    public const ulong KernelCodePage = 0x0000_0000_0000_078B;
    /// <summary>Ours (deviation 12): kernel text, EL1 read-only and executable, UXN and no EL0 access.</summary>
    public const ulong KernelTextPage = 0x0040_0000_0000_078B;
    /// <summary>Ours (deviation 6): EL1 read-only, no EL0 access, never executable. ELF slots outside their owner, sealed code in the kernel set.</summary>
    public const ulong KernelRoPage = 0x0060_0000_0000_078B;

    public static ulong ElfSlotBase(int slot) =>
        slot is >= 0 and < ElfSlots ? ElfLoadBase + (ulong)slot * ElfSlotSize : throw new ArgumentOutOfRangeException(nameof(slot));

    /// <summary>Page index in the 36-page bank: type x 8 + task (types L2Device 0, L1 1, L2Ram 2, L3 3); kernel set 32 + type.</summary>
    public static int PageTableIndex(int task, int type) => task == 8 ? 32 + type : type * 8 + task;

    /// <summary>TTBR0_EL1 of a task: (task + 1) &lt;&lt; 48 | its L1 address.</summary>
    public static ulong TaskTtbr0(ulong pageTablesStart, int task) =>
        ((ulong)task + 1) << 48 | (pageTablesStart + (ulong)PageTableIndex(task, 1) * 4096);
}
