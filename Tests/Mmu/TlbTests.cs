using Aegis.Emulator.Mmu;
using NUnit.Framework;
using static Aegis.Tests.Mmu.PageTableRig;

namespace Aegis.Tests.Mmu;

/// <summary>
/// The modelled TLB. Expected behaviour from the Arm ARM D5.9 "Translation Lookaside Buffers (TLBs)" (entries are
/// cached from successful walks, tagged by ASID unless nG = 0, used until invalidated; faulting walks are never
/// cached) and D5.10 / C5.5 for the scope of each TLBI: VMALLE1 = all EL1&amp;0 entries, ASIDE1 = non-global
/// entries of the ASID, VAE1 = the VA for the ASID and global entries, VAAE1 = the VA for all ASIDs.
/// </summary>
public class MmuTlbTests
{
    private const int Page = 1;
    private static readonly ulong Va = PageVa(Page);
    private const ulong OldPa = 0x4500_0000, NewPa = 0x4600_0000;

    private static PageTableRig WithAsid(ushort asid, bool nonGlobal = true)
    {
        var r = new PageTableRig();
        r.Regs.TTBR0_EL1 = L1 | ((ulong)asid << 48);
        r.MapPage(Page, OldPa, nonGlobal ? NG : 0);
        return r;
    }

    private static void SetAsid(PageTableRig r, ushort asid) => r.Regs.TTBR0_EL1 = L1 | ((ulong)asid << 48);

    [Test]
    public void StaleEntryIsUsedUntilTlbiVae1()
    {
        var r = WithAsid(1);
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(OldPa));
        r.MapPage(Page, NewPa, NG);                    // the kernel edits the table and forgets TLBI
        Assert.That(r.Ok(Va + 8).PhysicalAddress, Is.EqualTo(OldPa + 8), "stale translation, as on silicon");
        r.Tlbi(m => m.InvalidateVa(Va, 1, anyAsid: false, lastLevelOnly: false));
        Assert.That(r.Ok(Va + 8).PhysicalAddress, Is.EqualTo(NewPa + 8));
    }

    [Test]
    public void StaleEntryIsUsedUntilTlbiAside1()
    {
        var r = WithAsid(1);
        r.Ok(Va);
        r.MapPage(Page, NewPa, NG);
        r.Tlbi(m => m.InvalidateAsid(2));              // another ASID: no effect
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(OldPa));
        r.Tlbi(m => m.InvalidateAsid(1));
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(NewPa));
    }

    [Test]
    public void StaleEntryIsUsedUntilTlbiVmalle1()
    {
        var r = WithAsid(1, nonGlobal: false);
        r.Ok(Va);
        r.MapPage(Page, NewPa);
        r.Tlbi(m => m.InvalidateAsid(1));              // ASIDE1 never removes global entries
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(OldPa));
        r.Tlbi(m => m.InvalidateAllEl1());
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(NewPa));
    }

    [Test]
    public void TlbiVae1ScopeIsTheVaForItsAsidPlusGlobals()
    {
        var r = WithAsid(1);
        r.MapPage(2, OldPa + 0x1000);                  // global
        r.Ok(Va);
        r.Ok(PageVa(2));
        r.MapPage(Page, NewPa, NG);
        r.MapPage(2, NewPa + 0x1000);
        r.Tlbi(m => m.InvalidateVa(Va, 2, anyAsid: false, lastLevelOnly: true));     // ASID 2: not our entry
        r.Tlbi(m => m.InvalidateVa(PageVa(2), 2, anyAsid: false, lastLevelOnly: true)); // global: removed for any ASID
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(OldPa));
        Assert.That(r.Ok(PageVa(2)).PhysicalAddress, Is.EqualTo(NewPa + 0x1000));
        r.Tlbi(m => m.InvalidateVa(PageVa(3), 1, anyAsid: false, lastLevelOnly: false)); // another VA: no effect
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(OldPa));
    }

    [Test]
    public void TlbiVaae1RemovesTheVaForEveryAsid()
    {
        var r = WithAsid(1);
        r.Ok(Va);
        SetAsid(r, 2);
        r.Ok(Va);
        r.MapPage(Page, NewPa, NG);
        r.Tlbi(m => m.InvalidateVa(Va, 7, anyAsid: true, lastLevelOnly: false));
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(NewPa), "ASID 2");
        SetAsid(r, 1);
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(NewPa), "ASID 1");
    }

    [Test]
    public void TlbiByVaRemovesABlockFromAnyAddressInside()
    {
        var r = new PageTableRig();
        r.Set(L2, 4, Block(0x4A00_0000));              // VA 0x4080_0000..0x409F_FFFF
        r.Ok(0x4080_0000);
        r.Set(L2, 4, Block(0x4C00_0000));
        Assert.That(r.Ok(0x409F_F000).PhysicalAddress, Is.EqualTo(0x4A1F_F000UL), "one block entry covers the whole 2 MiB");
        r.Tlbi(m => m.InvalidateVa(0x4091_2000, 0, anyAsid: true, lastLevelOnly: true));
        Assert.That(r.Ok(0x4080_0000).PhysicalAddress, Is.EqualTo(0x4C00_0000UL));
    }

    [Test]
    public void NonGlobalEntriesAreTaggedByAsidAndGlobalOnesAreShared()
    {
        var r = WithAsid(1);
        r.MapPage(2, OldPa + 0x1000);                  // global
        r.Ok(Va);
        r.Ok(PageVa(2));
        r.MapPage(Page, NewPa, NG);
        r.MapPage(2, NewPa + 0x1000);
        // Changing TTBR0's ASID flushes nothing; it selects other entries (D5.9.1).
        SetAsid(r, 2);
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(NewPa), "ASID 1's entry is not used for ASID 2: a new walk");
        Assert.That(r.Ok(PageVa(2)).PhysicalAddress, Is.EqualTo(OldPa + 0x1000), "the global entry matches every ASID");
        SetAsid(r, 1);
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(OldPa), "ASID 1's entry is still there");
    }

    [Test]
    public void AsidSizeAndSourceFollowTcr()
    {
        var r = WithAsid(0x101);
        r.Ok(Va);
        r.MapPage(Page, NewPa, NG);
        // TCR_EL1.AS = 0: 8-bit ASIDs, TTBR0[63:56] ignored, so 0x201 is the same ASID as 0x101.
        SetAsid(r, 0x201);
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(OldPa));
        // TCR_EL1.AS = 1: 16-bit ASIDs, 0x201 is a different ASID.
        r.Regs.TCR_EL1 |= 1UL << 36;
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(NewPa));
        // TCR_EL1.A1 = 1: the ASID comes from TTBR1_EL1.
        r.MapPage(Page, 0x4700_0000, NG);
        r.Regs.TCR_EL1 |= 1UL << 22;
        r.Regs.TTBR1_EL1 = 0x201UL << 48;
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(NewPa), "ASID 0x201 from TTBR1");
        r.Regs.TTBR1_EL1 = 0x301UL << 48;
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(0x4700_0000UL), "ASID 0x301 from TTBR1");
    }

    [Test]
    public void FaultsAreNeverCached()
    {
        var r = new PageTableRig();
        r.Fault(Va);                                    // invalid
        r.Set(L3, Page, Page(OldPa) & ~Af);
        Assert.That(r.Fault(Va).Kind, Is.EqualTo(FaultKind.AccessFlag));
        r.MapPage(Page, OldPa);
        // D5.9: a TLB never holds a translation that faulted, so no TLBI is needed after making an entry valid.
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(OldPa));
        Assert.That(r.Mmu.Tlb.Count, Is.EqualTo(1));
    }

    [Test]
    public void PermissionFaultingTranslationIsCachedButCheckedEachTime()
    {
        var r = new PageTableRig();
        r.MapPage(Page, OldPa, ApRo);
        Assert.That(r.Fault(Va, AccessKind.Write).Kind, Is.EqualTo(FaultKind.Permission));
        r.MapPage(Page, OldPa);                         // made writable without TLBI
        // The walk succeeded, so the read-only entry is in the TLB and keeps faulting until TLBI.
        Assert.That(r.Fault(Va, AccessKind.Write).Kind, Is.EqualTo(FaultKind.Permission));
        r.Tlbi(m => m.InvalidateVa(Va, 0, true, false));
        r.Ok(Va, AccessKind.Write);
    }

    [Test]
    public void TranslationRegisterWritesDoNotFlush()
    {
        var r = new PageTableRig();
        r.MapPage(Page, OldPa);
        r.Ok(Va);
        // A new TTBR0 pointing at an empty table: the global entry still translates (no flush on TTBR write).
        r.Regs.TTBR0_EL1 = Spare1;
        Assert.That(r.Ok(Va).PhysicalAddress, Is.EqualTo(OldPa));
        Assert.That(r.Fault(PageVa(2)).Level, Is.EqualTo(1), "a miss walks the new table");
    }

    [Test]
    public void FillEventReportsEachWalkOnce()
    {
        var r = new PageTableRig();
        r.MapPage(Page, OldPa);
        var fills = new List<TlbEntry>();
        r.Mmu.Tlb.Filled = (in TlbEntry e) => fills.Add(e);
        r.Ok(Va);
        r.Ok(Va + 0x10);
        r.Ok(Va, AccessKind.Write);
        Assert.That(fills, Has.Count.EqualTo(1));
        Assert.That((fills[0].DescriptorAddress, fills[0].Descriptor), Is.EqualTo((L3 + 8UL, Page(OldPa))));
        Assert.That((fills[0].VaBase, fills[0].PaBase, fills[0].Level), Is.EqualTo((Va, OldPa, (byte)3)));
    }

    [Test]
    public void TlbIsBoundedWithDeterministicRoundRobinReplacement()
    {
        var r = new PageTableRig();
        // Five pages whose entries fall in one set of the 128-set, 4-way TLB (A53 main TLB geometry;
        // replacement: a free way, else round-robin per set).
        var (rigPages, sparePage) = PagesSharingSetWithPage0();
        Assert.That(rigPages, Has.Count.GreaterThanOrEqualTo(4));
        r.Set(L2, 1, Table(Spare1));
        for (int i = 0; i < 4; i++) r.MapPage(rigPages[i], OldPa + (ulong)i * 0x1000);
        r.Set(Spare1, sparePage, Page(OldPa + 0x4000));
        ulong[] vas = [.. rigPages.Take(4).Select(PageVa), 0x4020_0000UL + (ulong)sparePage * 0x1000];
        foreach (ulong va in vas.Take(4)) r.Ok(va);
        ulong gen = r.Mmu.Tlb.Generation;
        for (int i = 0; i < 4; i++) r.MapPage(rigPages[i], NewPa + (ulong)i * 0x1000);
        r.Ok(vas[4]);                                    // fifth entry in a full set: evicts way 0
        Assert.That(r.Mmu.Tlb.Generation, Is.GreaterThan(gen), "an eviction is visible to host-side caches");
        Assert.That(r.Ok(vas[1]).PhysicalAddress, Is.EqualTo(OldPa + 0x1000), "second page still cached");
        Assert.That(r.Ok(vas[0]).PhysicalAddress, Is.EqualTo(NewPa), "first page was evicted and walked again (evicting the second)");
        Assert.That(r.Ok(vas[2]).PhysicalAddress, Is.EqualTo(OldPa + 0x2000), "third page still cached");
        Assert.That(r.Ok(vas[1]).PhysicalAddress, Is.EqualTo(NewPa + 0x1000), "round-robin: the second page went next");
        Assert.That(r.Mmu.Tlb.Count, Is.EqualTo(4));
    }

    [Test]
    public void TlbHoldsAtMost512Entries()
    {
        var r = new PageTableRig();
        // Map 2 MiB worth of 4 KiB pages twice over (two L3 tables): 1024 distinct pages.
        r.Set(L2, 1, Table(Spare1));
        for (int i = 0; i < 512; i++) { r.MapPage(i, OldPa); r.Set(Spare1, i, Page(OldPa)); }
        for (int i = 0; i < 1024; i++) r.Ok(0x4000_0000UL + (ulong)i * 0x1000);
        Assert.That(r.Mmu.Tlb.Count, Is.LessThanOrEqualTo(Tlb.Sets * Tlb.Ways));
        Assert.That(r.Mmu.Tlb.Entries().Count(), Is.EqualTo(r.Mmu.Tlb.Count));
    }

    [Test]
    public void TlbiVae1OperandFormWorksForTtbr1Addresses()
    {
        var r = new PageTableRig();
        r.Regs.TTBR1_EL1 = Spare1;
        r.Set(Spare1, 511, Table(Spare2));
        r.Set(Spare2, 0, Table(Spare3));
        r.Set(Spare3, 4, Page(OldPa));
        const ulong va = 0xFFFF_FFFF_C000_4000;
        Assert.That(r.Ok(va).PhysicalAddress, Is.EqualTo(OldPa));
        r.Set(Spare3, 4, Page(NewPa));
        // TLBI VAE1, Xt: Xt[43:0] = VA[55:12] (C5.5 TLBI operand format); the top byte of the VA is not part of it.
        ulong xt = (va >> 12) & ((1UL << 44) - 1);
        r.Tlbi(m => m.InvalidateVa(xt << 12, 0, anyAsid: false, lastLevelOnly: false));
        Assert.That(r.Ok(va).PhysicalAddress, Is.EqualTo(NewPa));
    }
}
