using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Emulator.Mmu;
using NUnit.Framework;
using static Aegis.Tests.Mmu.PageTableRig;

namespace Aegis.Tests.Mmu;

/// <summary>
/// cpu.TryRead / cpu.TryWrite through the MMU, the fast path included. Syndromes from the Arm ARM ESR_ELx
/// "ISS encoding for an exception from a Data Abort": EC 0x25 (same EL) / 0x24 (lower EL), IL = 1, WnR = bit 6,
/// DFSC = bits [5:0]; FAR_ELx = the faulting VA. Alignment rules from B2.5.2 (SCTLR_ELx.A, Device memory).
/// </summary>
public class MmuCpuAccessTests
{
    private const ulong OldPa = 0x4500_0000, NewPa = 0x4600_0000;

    private static uint Esr(uint ec, uint iss) => (ec << 26) | (1u << 25) | iss;

    private static void ExpectAbort(PageTableRig r, ulong va, uint esr, int el = 1)
    {
        Assert.That(r.Cpu.EsrEl[el], Is.EqualTo((ulong)esr), $"ESR_EL{el} 0x{r.Cpu.EsrEl[el]:X8}");
        Assert.That(r.Cpu.FarEl[el], Is.EqualTo(va), "FAR");
    }

    private static PageTableRig Rig()
    {
        var r = new PageTableRig();
        r.Bus.Write(OldPa + 0x10, 8, 0x1111_1111_1111_1111);
        r.Bus.Write(NewPa + 0x10, 8, 0x2222_2222_2222_2222);
        return r;
    }

    [Test]
    public void TranslationFaultReadIsADataAbortWithTheLevel()
    {
        var r = Rig();
        r.Cpu.PC = 0x4000_0100;
        Assert.That(r.Cpu.TryRead(PageVa(9) + 4, 4, out _), Is.False);
        ExpectAbort(r, PageVa(9) + 4, Esr(0x25, 0x07));
        Assert.That(r.Cpu.ElrEl[1], Is.EqualTo(0x4000_0100UL), "preferred return = the faulting instruction");
    }

    [Test]
    public void PermissionFaultOnWriteSetsWnR()
    {
        var r = Rig();
        r.MapPage(1, OldPa, ApRo);
        Assert.That(r.Cpu.TryRead(PageVa(1) + 0x10, 8, out ulong v), Is.True);
        Assert.That(v, Is.EqualTo(0x1111_1111_1111_1111UL));
        Assert.That(r.Cpu.TryWrite(PageVa(1) + 0x10, 8, 0), Is.False);
        ExpectAbort(r, PageVa(1) + 0x10, Esr(0x25, 0x4F));
    }

    [Test]
    public void El0AccessToAKernelPageIsALowerElAbort()
    {
        var r = Rig();
        r.MapPage(1, OldPa);                            // AP = 00: EL1 only
        r.Cpu.SetExceptionLevel(0, spSel: false);
        Assert.That(r.Cpu.TryRead(PageVa(1), 8, out _), Is.False);
        ExpectAbort(r, PageVa(1), Esr(0x24, 0x0F));
        Assert.That(r.Cpu.EL, Is.EqualTo(1));
    }

    [Test]
    public void UnprivilegedAccessUsesEl0Permissions()
    {
        var r = Rig();
        r.MapPage(1, OldPa);                            // AP = 00
        Assert.That(r.Cpu.TryRead(PageVa(1) + 0x10, 8, out _), Is.True, "privileged read fills the fast path");
        // LDTR at EL1: the fast path must not let it through.
        Assert.That(r.Cpu.TryRead(PageVa(1) + 0x10, 8, out _, AccessFlags.Unprivileged), Is.False);
        ExpectAbort(r, PageVa(1) + 0x10, Esr(0x25, 0x0F));
        r.MapPage(2, OldPa, ApEl0);
        Assert.That(r.Cpu.TryWrite(PageVa(2) + 0x10, 8, 5, AccessFlags.Unprivileged), Is.True);
    }

    [Test]
    public void AlignmentFaultsOnDeviceMemoryAndWithSctlrA()
    {
        var r = Rig();
        r.MapPage(1, OldPa);                            // Normal
        r.MapPage(2, OldPa, DeviceAttr);                // the same RAM as Device-nGnRnE
        Assert.That(r.Cpu.TryRead(PageVa(1) + 0x11, 4, out ulong v), Is.True, "Normal memory: unaligned allowed (SCTLR.A = 0)");
        Assert.That(v, Is.EqualTo(0x1111_1111UL));
        Assert.That(r.Cpu.TryRead(PageVa(2) + 0x10, 4, out v), Is.True, "Device memory, aligned");
        Assert.That(r.Cpu.TryRead(PageVa(2) + 0x11, 4, out _), Is.False, "Device memory, unaligned");
        ExpectAbort(r, PageVa(2) + 0x11, Esr(0x25, 0x21));
        Assert.That(r.Cpu.TryWrite(PageVa(2) + 0x12, 8, 0), Is.False);
        ExpectAbort(r, PageVa(2) + 0x12, Esr(0x25, 0x61));
        Assert.That(r.Cpu.TryRead(PageVa(1) + 0x11, 2, out _, AccessFlags.MustBeAligned), Is.False, "exclusives must be aligned");
        ExpectAbort(r, PageVa(1) + 0x11, Esr(0x25, 0x21));
        r.Regs.SCTLR_EL1 |= 2;                          // SCTLR_EL1.A
        r.Cpu.InvalidateFetch();
        Assert.That(r.Cpu.TryRead(PageVa(1) + 0x14, 8, out _), Is.False);
        ExpectAbort(r, PageVa(1) + 0x14, Esr(0x25, 0x21));
    }

    [Test]
    public void ExternalAbortOnWalkAndOnAccess()
    {
        var r = Rig();
        r.MapPage(1, 0x1000_0000);                      // nothing on the bus there
        Assert.That(r.Cpu.TryRead(PageVa(1), 4, out _), Is.False);
        Assert.That(r.Cpu.EsrEl[1] & 0x3F, Is.EqualTo(0x10UL), "synchronous external abort, not on a walk");
        r.Set(L2, 6, Table(0x1000_0000));
        Assert.That(r.Cpu.TryWrite(0x40C0_0000, 4, 0), Is.False);
        Assert.That(r.Cpu.EsrEl[1] & 0x7F, Is.EqualTo(0x57UL), "on the table walk at level 3 (0b010111), WnR");
    }

    [Test]
    public void FastPathKeepsTheStaleTranslationUntilTlbi()
    {
        var r = Rig();
        r.MapPage(1, OldPa, NG);
        ulong va = PageVa(1) + 0x10;
        Assert.That(r.Cpu.TryRead(va, 8, out ulong v) && v == 0x1111_1111_1111_1111UL, Is.True);
        r.MapPage(1, NewPa, NG);
        Assert.That(r.Cpu.TryRead(va, 8, out v) && v == 0x1111_1111_1111_1111UL, Is.True, "stale, as the modelled TLB");
        Assert.That(r.Cpu.TryWrite(va, 8, 0x3333), Is.True);
        Assert.That(r.Bus.Read(OldPa + 0x10, 8, out v) && v == 0x3333, Is.True, "the stale write lands in the old page");
        r.Tlbi(m => m.InvalidateVa(va, 0, anyAsid: false, lastLevelOnly: true));
        Assert.That(r.Cpu.TryRead(va, 8, out v), Is.True);
        Assert.That(v, Is.EqualTo(0x2222_2222_2222_2222UL));
    }

    [Test]
    public void FastPathNeverOutlivesTheTlbEntry()
    {
        var r = Rig();
        r.MapPage(0, OldPa);
        Assert.That(r.Cpu.TryRead(PageVa(0) + 0x10, 8, out ulong v) && v == 0x1111_1111_1111_1111UL, Is.True);
        r.MapPage(0, NewPa);
        // Four more translations in page 0's TLB set (e.g. by instruction fetches) replace its entry without a TLBI.
        // The modelled TLB would now walk again and see the new descriptor; so must the fast path.
        var (rigPages, sparePage) = PageTableRig.PagesSharingSetWithPage0();
        r.Set(L2, 1, Table(Spare1));
        foreach (int i in rigPages.Skip(1).Take(3)) r.MapPage(i, OldPa);
        r.Set(Spare1, sparePage, Page(OldPa));
        foreach (ulong va in rigPages.Skip(1).Take(3).Select(PageVa).Append(0x4020_0000UL + (ulong)sparePage * 0x1000))
            Assert.That(r.Mmu.Translate(va, AccessKind.Fetch, 1, false, out _, out _), Is.True);
        Assert.That(r.Cpu.TryRead(PageVa(0) + 0x10, 8, out v), Is.True);
        Assert.That(v, Is.EqualTo(0x2222_2222_2222_2222UL));
    }

    /// <summary>The fast path keeps its pages per EL (a system call keeps both ELs'): a page EL1 wrote through it stays
    /// out of EL0's reach, each time, and EL1's entry serves it again after the round trip.</summary>
    [Test]
    public void FastPathIsRevalidatedOnExceptionLevelChange()
    {
        var r = Rig();
        r.MapPage(1, OldPa);                            // EL1 only
        Assert.That(r.Cpu.TryWrite(PageVa(1) + 0x10, 8, 7), Is.True);
        for (int trip = 0; trip < 2; trip++)
        {
            r.Cpu.SetExceptionLevel(0, spSel: false);   // ERET to EL0: the same translation regime
            Assert.That(r.Cpu.TryWrite(PageVa(1) + 0x10, 8, 8), Is.False, $"trip {trip}: EL0 write");
            ExpectAbort(r, PageVa(1) + 0x10, Esr(0x24, 0x4F)); // taken to EL1
            r.Cpu.SetExceptionLevel(0, spSel: false);
            Assert.That(r.Cpu.TryRead(PageVa(1) + 0x10, 8, out _), Is.False, $"trip {trip}: EL0 read");
            ExpectAbort(r, PageVa(1) + 0x10, Esr(0x24, 0x0F));
            Assert.That(r.Cpu.EL, Is.EqualTo(1), "the abort is taken to EL1");
            Assert.That(r.Cpu.TryRead(PageVa(1) + 0x10, 8, out ulong back) && back == 7, Is.True, $"trip {trip}: EL1 read");
        }
        Assert.That(r.Bus.Read(OldPa + 0x10, 8, out ulong v) && v == 7, Is.True);
    }

    [Test]
    public void AccessesCrossingPagesUseBothTranslations()
    {
        var r = Rig();
        r.MapPage(1, OldPa);
        r.MapPage(2, NewPa);
        r.Bus.Write(OldPa + 0xFFC, 4, 0xAABB_CCDD);
        r.Bus.Write(NewPa, 4, 0x1122_3344);
        Assert.That(r.Cpu.TryRead(PageVa(1) + 0xFFC, 8, out ulong v), Is.True);
        Assert.That(v, Is.EqualTo(0x1122_3344_AABB_CCDDUL));
        // The second page unmapped: the fault names the first byte of that page.
        r.Set(L3, 2, 0);
        r.Tlbi(m => m.InvalidateAllEl1());
        Assert.That(r.Cpu.TryRead(PageVa(1) + 0xFFC, 8, out _), Is.False);
        ExpectAbort(r, PageVa(2), Esr(0x25, 0x07));
    }

    [Test]
    public void MmioIsReachedOnEveryAccess()
    {
        var r = Rig();
        var sent = new List<byte>();
        r.Board.Uart.Transmit = b => sent.Add(b);
        r.MapPage(1, VirtBoard.Uart0Base, DeviceAttr);
        foreach (char c in "ok") Assert.That(r.Cpu.TryWrite(PageVa(1) + Pl011.UARTDR, 4, c), Is.True);
        Assert.That(sent, Is.EqualTo("ok"u8.ToArray()));
    }
}
