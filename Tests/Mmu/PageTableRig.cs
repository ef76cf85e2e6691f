using Aegis.Emulator.Devices;
using Aegis.Emulator.Mmu;
using NUnit.Framework;
using CpuCore = Aegis.Emulator.Cpu.Cpu;
using MmuUnit = Aegis.Emulator.Mmu.Mmu;

namespace Aegis.Tests.Mmu;

/// <summary>
/// A virt board with VMSAv8-64 4 KiB-granule tables built in RAM (Arm ARM D5.3 descriptor formats):
/// TTBR0_EL1 -> L1 at <see cref="L1"/>, L1[1] (VA 0x4000_0000..0x7FFF_FFFF) -> L2 at <see cref="L2"/>,
/// L2[0] (VA 0x4000_0000..0x401F_FFFF) -> L3 at <see cref="L3"/>. T0SZ = T1SZ = 25 (39-bit ranges, walks start at
/// level 1), IPS = 40 bits, MAIR_EL1 Attr0 = Normal WB (0xFF), Attr1 = Device-nGnRnE (0x00). The CPU is at EL1h.
/// Arm ARM references in these tests name DDI 0487 sections by number, title and pseudocode function; the numbers
/// are those of the "AArch64 Virtual Memory System Architecture" chapter D5 of issues before H (D8 from issue H).
/// </summary>
internal sealed class PageTableRig
{
    public const ulong L1 = 0x4400_0000, L2 = 0x4400_1000, L3 = 0x4400_2000;
    /// <summary>Free table frames for tests that need more tables.</summary>
    public const ulong Spare1 = 0x4400_3000, Spare2 = 0x4400_4000, Spare3 = 0x4400_5000;

    // Block and page descriptor bits (D5.3.3 "Memory attribute fields in the VMSAv8-64 translation table format descriptors").
    public const ulong Af = 1UL << 10, NG = 1UL << 11, ApEl0 = 1UL << 6, ApRo = 1UL << 7, Pxn = 1UL << 53, Uxn = 1UL << 54;
    // Table descriptor bits (D5.3.3, hierarchical attributes).
    public const ulong PxnTable = 1UL << 59, UxnTable = 1UL << 60, ApTableNoEl0 = 1UL << 61, ApTableRo = 1UL << 62;
    public const ulong DeviceAttr = 1UL << 2; // AttrIndx = 1

    public const ulong Tcr = 25UL | (25UL << 16) | (2UL << 30) | (2UL << 32);

    public VirtBoard Board { get; }
    public CpuCore Cpu => Board.Cpu;
    public PhysicalBus Bus => Board.Bus;
    public MmuUnit Mmu => Cpu.Mmu;
    public MmuRegisters Regs => Cpu.MmuRegs;

    public PageTableRig(bool el2 = false)
    {
        Board = new VirtBoard(new VirtBoardOptions { El2 = el2 });
        Cpu.Reset(0x4000_0000);
        if (el2) Cpu.SetExceptionLevel(1, spSel: true);
        Regs.MAIR_EL1 = 0x00FF;
        Regs.TCR_EL1 = Tcr;
        Regs.TTBR0_EL1 = L1;
        Regs.SCTLR_EL1 |= 1;
        Set(L1, 1, Table(L2));
        Set(L2, 0, Table(L3));
        Cpu.InvalidateFetch();
    }

    public void Set(ulong table, int index, ulong descriptor) => Bus.Write(table + (ulong)index * 8, 8, descriptor);

    public static ulong Table(ulong next, ulong attrs = 0) => next | attrs | 3;
    public static ulong Page(ulong pa, ulong attrs = 0) => pa | attrs | Af | 3;
    public static ulong Block(ulong pa, ulong attrs = 0) => pa | attrs | Af | 1;

    /// <summary>Maps VA 0x4000_0000 + index * 4 KiB (an L3 entry of the rig) to <paramref name="pa"/>.</summary>
    public void MapPage(int index, ulong pa, ulong attrs = 0) => Set(L3, index, Page(pa, attrs));

    public static ulong PageVa(int index) => 0x4000_0000UL + (ulong)index * 0x1000;

    /// <summary>
    /// Five 4 KiB pages whose TLB entries share one set: the L3 indexes (of the rig's table) that collide with
    /// page 0, and, after them, indexes of a second L3 table for VA 0x4020_0000 (<see cref="Spare1"/> under L2[1]).
    /// </summary>
    public static (List<int> RigPages, int SparePage) PagesSharingSetWithPage0()
    {
        int set = Tlb.SetIndex(PageVa(0), 12);
        var rig = Enumerable.Range(0, 512).Where(i => Tlb.SetIndex(PageVa(i), 12) == set).ToList();
        int spare = Enumerable.Range(0, 512).First(j => Tlb.SetIndex(0x4020_0000UL + (ulong)j * 0x1000, 12) == set);
        return (rig, spare);
    }

    public Translation Ok(ulong va, AccessKind kind = AccessKind.Read, int el = 1, bool unprivileged = false)
    {
        bool ok = Mmu.Translate(va, kind, el, unprivileged, out var t, out var f);
        Assert.That(ok, Is.True, $"translation of 0x{va:X} ({kind}, EL{el}) faulted: {f}");
        return t;
    }

    public MmuFault Fault(ulong va, AccessKind kind = AccessKind.Read, int el = 1, bool unprivileged = false)
    {
        bool ok = Mmu.Translate(va, kind, el, unprivileged, out var t, out var f);
        Assert.That(ok, Is.False, $"translation of 0x{va:X} ({kind}, EL{el}) should fault, gave PA 0x{t.PhysicalAddress:X}");
        return f;
    }

    /// <summary>TLBI as the system helper issues it: the MMU's invalidation, then the CPU's translation epoch.</summary>
    public void Tlbi(Action<MmuUnit> op)
    {
        op(Mmu);
        Cpu.InvalidateFetch();
    }
}
