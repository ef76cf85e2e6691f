using Aegis.Emulator.Mmu;
using NUnit.Framework;
using static Aegis.Tests.Mmu.PageTableRig;

namespace Aegis.Tests.Mmu;

/// <summary>
/// The EL2 translation regime (Armv8.0, no E2H): TTBR0_EL2, TCR_EL2 (T0SZ, TG0, PS[18:16], TBI[20]), SCTLR_EL2,
/// MAIR_EL2; one VA range, no ASID; AP[1] RES1, PXN RES0, nG ignored (Arm ARM D5.4.4 "single privilege level
/// regimes", pseudocode AArch64.TranslationTableWalk `singlepriv`). TLBI ALLE2 / VAE2 affect only EL2 entries.
/// </summary>
public class MmuEl2RegimeTests
{
    private const ulong El2L1 = 0x4480_0000, El2L2 = 0x4480_1000, El2L3 = 0x4480_2000;

    private static PageTableRig Rig()
    {
        var r = new PageTableRig(el2: true);
        r.Regs.TCR_EL2 = 25 | (2UL << 16);
        r.Regs.TTBR0_EL2 = El2L1;
        r.Regs.MAIR_EL2 = 0x00FF;
        r.Regs.SCTLR_EL2 |= 1;
        r.Set(El2L1, 1, Table(El2L2));
        r.Set(El2L2, 0, Table(El2L3));
        return r;
    }

    private static bool Allowed(PageTableRig r, ulong va, AccessKind kind)
    {
        if (r.Mmu.Translate(va, kind, 2, false, out _, out var f)) return true;
        Assert.That((f.Kind, f.Level), Is.EqualTo((FaultKind.Permission, 3)));
        return false;
    }

    [Test]
    public void El2UsesItsOwnTables()
    {
        var r = Rig();
        r.Set(El2L3, 1, Page(0x4900_0000));
        r.MapPage(1, 0x4500_0000);                      // the EL1&0 mapping of the same VA
        Assert.That(r.Ok(PageVa(1) + 0x20, el: 2).PhysicalAddress, Is.EqualTo(0x4900_0020UL));
        Assert.That(r.Ok(PageVa(1) + 0x20, el: 1).PhysicalAddress, Is.EqualTo(0x4500_0020UL));
        // One VA range: VA[55] = 1 is out of range (translation fault, level 0).
        var f = r.Fault(0xFFFF_FFFF_C000_0000, el: 2);
        Assert.That((f.Kind, f.Level), Is.EqualTo((FaultKind.Translation, 0)));
    }

    [Test]
    public void SinglePrivilegePermissions()
    {
        var r = Rig();
        r.Set(El2L3, 1, Page(0x4900_0000));                       // AP[2:1] = 00
        r.Set(El2L3, 2, Page(0x4900_0000, ApEl0));                // AP[1] = 1: no EL0 meaning here
        r.Set(El2L3, 3, Page(0x4900_0000, ApRo));                 // read-only
        r.Set(El2L3, 4, Page(0x4900_0000, Uxn));                  // bit 54 is XN at EL2
        r.Set(El2L3, 5, Page(0x4900_0000, Pxn | ApRo));           // bit 53 is RES0 at EL2: ignored
        Assert.That((Allowed(r, PageVa(1), AccessKind.Write), Allowed(r, PageVa(1), AccessKind.Fetch)), Is.EqualTo((true, true)));
        // AP[1] = 1 does not make the page "EL0-writable", so it stays executable (no implied PXN).
        Assert.That((Allowed(r, PageVa(2), AccessKind.Write), Allowed(r, PageVa(2), AccessKind.Fetch)), Is.EqualTo((true, true)));
        Assert.That((Allowed(r, PageVa(3), AccessKind.Read), Allowed(r, PageVa(3), AccessKind.Write)), Is.EqualTo((true, false)));
        Assert.That(Allowed(r, PageVa(4), AccessKind.Fetch), Is.False);
        Assert.That(Allowed(r, PageVa(5), AccessKind.Fetch), Is.True);
        r.Regs.SCTLR_EL2 |= 1UL << 19;                            // WXN
        Assert.That((Allowed(r, PageVa(1), AccessKind.Fetch), Allowed(r, PageVa(3), AccessKind.Fetch)), Is.EqualTo((false, true)));
    }

    [Test]
    public void El2TableAttributesIgnoreApTable0AndPxnTable()
    {
        var r = Rig();
        // APTable[0] and PXNTable are RES0 in a single-privilege regime; APTable[1] and XNTable apply.
        r.Set(El2L2, 1, Table(Spare1, ApTableNoEl0 | PxnTable));
        r.Set(Spare1, 0, Page(0x4900_0000));
        r.Set(El2L2, 2, Table(Spare2, ApTableRo | UxnTable));
        r.Set(Spare2, 0, Page(0x4900_0000));
        Assert.That((Allowed(r, 0x4020_0000, AccessKind.Write), Allowed(r, 0x4020_0000, AccessKind.Fetch)), Is.EqualTo((true, true)));
        Assert.That((Allowed(r, 0x4040_0000, AccessKind.Write), Allowed(r, 0x4040_0000, AccessKind.Fetch)), Is.EqualTo((false, false)));
    }

    [Test]
    public void El2EntriesAreGlobalAndFlushedOnlyByEl2Tlbi()
    {
        var r = Rig();
        r.Set(El2L3, 1, Page(0x4900_0000, NG));         // nG has no meaning without ASIDs
        r.MapPage(1, 0x4500_0000);
        r.Ok(PageVa(1), el: 2);
        r.Ok(PageVa(1), el: 1);
        Assert.That(r.Mmu.TryGetTlbEntry(PageVa(1), 2, out var e) && e.Global, Is.True);
        r.Set(El2L3, 1, Page(0x4A00_0000));
        r.MapPage(1, 0x4600_0000);
        r.Tlbi(m => m.InvalidateAllEl1());
        Assert.That(r.Ok(PageVa(1), el: 2).PhysicalAddress, Is.EqualTo(0x4900_0000UL), "VMALLE1 leaves EL2 entries");
        Assert.That(r.Ok(PageVa(1), el: 1).PhysicalAddress, Is.EqualTo(0x4600_0000UL));
        r.Set(El2L3, 1, Page(0x4B00_0000));
        r.MapPage(1, 0x4700_0000);
        r.Tlbi(m => m.InvalidateVaEl2(PageVa(2), false));
        Assert.That(r.Ok(PageVa(1), el: 2).PhysicalAddress, Is.EqualTo(0x4900_0000UL), "VAE2 of another page");
        r.Tlbi(m => m.InvalidateVaEl2(PageVa(1), true));
        Assert.That(r.Ok(PageVa(1), el: 2).PhysicalAddress, Is.EqualTo(0x4B00_0000UL));
        Assert.That(r.Ok(PageVa(1), el: 1).PhysicalAddress, Is.EqualTo(0x4600_0000UL), "VAE2 leaves EL1&0 entries");
        r.Set(El2L3, 1, Page(0x4C00_0000));
        r.Tlbi(m => m.InvalidateAllEl2());
        Assert.That(r.Ok(PageVa(1), el: 2).PhysicalAddress, Is.EqualTo(0x4C00_0000UL));
        Assert.That(r.Ok(PageVa(1), el: 1).PhysicalAddress, Is.EqualTo(0x4600_0000UL), "ALLE2 leaves EL1&0 entries");
    }

    [Test]
    public void DataAbortAtEl2GoesToEsrEl2()
    {
        var r = Rig();
        r.Cpu.SetExceptionLevel(2, spSel: true);
        r.Set(El2L3, 1, Page(0x4700_0000, ApRo));
        Assert.That(r.Cpu.TryRead(PageVa(1), 8, out _), Is.True);
        Assert.That(r.Cpu.TryWrite(PageVa(1), 8, 1), Is.False);
        // EC 0x25 (same EL), IL, WnR, DFSC permission level 3.
        Assert.That(r.Cpu.EsrEl[2], Is.EqualTo((0x25UL << 26) | (1UL << 25) | 0x4F));
        Assert.That(r.Cpu.FarEl[2], Is.EqualTo(PageVa(1)));
    }

    [Test]
    public void HcrTgeDisablesEl10Stage1()
    {
        var r = Rig();
        r.MapPage(1, 0x4500_0000);
        r.Regs.HCR_EL2 = 1UL << 27;                     // TGE
        // HCR_EL2.TGE = 1 (E2H = 0): the PE behaves as if SCTLR_EL1.M were 0 (flat map, Device data).
        var t = r.Ok(PageVa(1), el: 0);
        Assert.That((t.PhysicalAddress, t.IsDevice), Is.EqualTo((PageVa(1), true)));
        r.Regs.HCR_EL2 = 1UL << 12;                     // DC: flat map, Normal memory
        Assert.That(r.Ok(PageVa(1), el: 1).IsDevice, Is.False);
    }
}
