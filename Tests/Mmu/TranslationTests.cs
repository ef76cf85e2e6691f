using Aegis.Emulator.Mmu;
using NUnit.Framework;
using static Aegis.Tests.Mmu.PageTableRig;

namespace Aegis.Tests.Mmu;

/// <summary>
/// Stage-1 walks of the EL1&amp;0 regime, 4 KiB granule. Expected values follow the Arm ARM (DDI 0487) D5.2
/// "The VMSAv8-64 address translation system", D5.3 "VMSAv8-64 translation table format descriptors" and the
/// pseudocode AArch64.TranslationTableWalk; fault status codes are the DFSC/IFSC table of ESR_ELx.
/// </summary>
public class MmuTranslationTests
{
    [Test]
    public void PageDescriptorsMapIdentityAndNonIdentity()
    {
        var r = new PageTableRig();
        r.MapPage(0, 0x4000_0000);          // identity
        r.MapPage(5, 0x4234_5000);          // VA 0x4000_5000 -> PA 0x4234_5000
        // D5.3.2: a level 3 page descriptor gives OA[47:12]; VA[11:0] is the offset.
        Assert.That(r.Ok(0x4000_0ABC).PhysicalAddress, Is.EqualTo(0x4000_0ABCUL));
        Assert.That(r.Ok(0x4000_5FF8).PhysicalAddress, Is.EqualTo(0x4234_5FF8UL));
        Assert.That(r.Ok(0x4000_5000).IsDevice, Is.False, "AttrIndx 0 -> MAIR Attr0 = 0xFF, Normal");
    }

    [Test]
    public void BlocksOfOneGigabyteAtLevel1AndTwoMegabytesAtLevel2()
    {
        var r = new PageTableRig();
        // D5.3.1: level 1 block = 1 GiB (OA[47:30]), level 2 block = 2 MiB (OA[47:21]) with the 4 KiB granule.
        r.Set(L1, 0, Block(0x4000_0000));            // VA 0x0000_0000.. -> PA 0x4000_0000..
        r.Set(L2, 3, Block(0x4560_0000));            // VA 0x4060_0000.. -> PA 0x4560_0000..
        Assert.That(r.Ok(0x0123_4567).PhysicalAddress, Is.EqualTo(0x4123_4567UL));
        Assert.That(r.Ok(0x4061_2345).PhysicalAddress, Is.EqualTo(0x4561_2345UL));
        Assert.That(r.Mmu.TryGetTlbEntry(0x4061_2345, 1, out var e), Is.True);
        Assert.That((e.SizeShift, e.Level, e.VaBase, e.PaBase), Is.EqualTo(((byte)21, (byte)2, 0x4060_0000UL, 0x4560_0000UL)));
        Assert.That(e.DescriptorAddress, Is.EqualTo(L2 + 3 * 8), "the descriptor used is exposed for checkers");
    }

    [Test]
    public void InvalidDescriptorsAreTranslationFaultsAtTheirLevel()
    {
        var r = new PageTableRig();
        // DFSC 0b0001LL: translation fault at level LL (ESR_ELx ISS, Data Abort).
        var f1 = r.Fault(0x8000_0000);               // L1[2] is zero
        Assert.That((f1.Kind, f1.Level, f1.StatusCode), Is.EqualTo((FaultKind.Translation, 1, 0b000101u)));
        var f2 = r.Fault(0x4020_0000);               // L2[1] is zero
        Assert.That((f2.Kind, f2.Level, f2.StatusCode), Is.EqualTo((FaultKind.Translation, 2, 0b000110u)));
        var f3 = r.Fault(PageVa(7));                 // L3[7] is zero
        Assert.That((f3.Kind, f3.Level, f3.StatusCode), Is.EqualTo((FaultKind.Translation, 3, 0b000111u)));
        // D5.3.2: descriptor[1:0] = 01 at level 3 is reserved, treated as invalid.
        r.Set(L3, 8, 0x4000_8000UL | Af | 1);
        Assert.That(r.Fault(PageVa(8)).StatusCode, Is.EqualTo(0b000111u));
    }

    [Test]
    public void BlockAtLevel0IsATranslationFault()
    {
        var r = new PageTableRig();
        // T0SZ = 16: 48-bit range, the walk starts at level 0 (D5.2.6); level 0 cannot hold a block (D5.3.1).
        r.Regs.TCR_EL1 = (r.Regs.TCR_EL1 & ~0x3FUL) | 16;
        r.Regs.TTBR0_EL1 = Spare1;
        r.Set(Spare1, 0, Block(0));
        var f = r.Fault(0x1000);
        Assert.That((f.Kind, f.Level), Is.EqualTo((FaultKind.Translation, 0)));
        // A level 0 table leading to the rig's L1 works: four levels.
        r.Set(Spare1, 0, Table(L1));
        r.MapPage(2, 0x4700_2000);
        Assert.That(r.Ok(PageVa(2) + 4).PhysicalAddress, Is.EqualTo(0x4700_2004UL));
    }

    [Test]
    public void StartingLevelFollowsTxSz()
    {
        var r = new PageTableRig();
        // T0SZ = 34: 30-bit range, the walk starts at level 2 (D5.2.6, starting level from TxSZ):
        // VA[29:21] indexes the level 2 table pointed to by TTBR0.
        r.Regs.TCR_EL1 = (r.Regs.TCR_EL1 & ~0x3FUL) | 34;
        r.Regs.TTBR0_EL1 = Spare1;
        r.Set(Spare1, 1, Table(Spare2));            // VA 0x0020_0000..0x003F_FFFF
        r.Set(Spare2, 3, Page(0x4555_5000));
        Assert.That(r.Ok(0x0020_3010).PhysicalAddress, Is.EqualTo(0x4555_5010UL));
        // VA bit 30 is outside the 30-bit range.
        Assert.That(r.Fault(0x4000_0000).Kind, Is.EqualTo(FaultKind.Translation));
    }

    [Test]
    public void VaOutsideBothRangesIsALevel0TranslationFault()
    {
        var r = new PageTableRig();
        // D5.2.6 (T0SZ = T1SZ = 25): TTBR0 covers 0..2^39-1, TTBR1 covers 2^64-2^39..2^64-1; anything else faults at level 0.
        foreach (ulong va in new[] { 1UL << 39, 0x0000_FFFF_0000_0000UL, 0xFFFF_FF00_0000_0000UL, 0x8000_0000_0000_0000UL })
        {
            var f = r.Fault(va);
            Assert.That((f.Kind, f.Level, f.StatusCode), Is.EqualTo((FaultKind.Translation, 0, 0b000100u)), $"0x{va:X}");
        }
    }

    [Test]
    public void TxSzOutOfBoundsFaultsAtLevel0()
    {
        var r = new PageTableRig();
        r.MapPage(1, 0x4000_1000);
        // T0SZ = 40 is above the maximum 39: IMPLEMENTATION DEFINED fault or clamp (D5.2.6); QEMU 7.2 (ptw.c,
        // param.tsz_oob) raises a level 0 translation fault, and so do we.
        r.Regs.TCR_EL1 = (r.Regs.TCR_EL1 & ~0x3FUL) | 40;
        Assert.That(r.Fault(0x1000).StatusCode, Is.EqualTo(0b000100u));
    }

    [Test]
    public void Ttbr1TranslatesHighAddresses()
    {
        var r = new PageTableRig();
        // VA[55] = 1 selects TTBR1_EL1 (D5.2.6). With T1SZ = 25 the walk starts at level 1 with VA[38:30].
        r.Regs.TTBR1_EL1 = Spare1;
        r.Set(Spare1, 511, Table(Spare2));           // VA 0xFFFF_FFFF_C000_0000..
        r.Set(Spare2, 0, Table(Spare3));
        r.Set(Spare3, 2, Page(0x4321_0000));
        Assert.That(r.Ok(0xFFFF_FFFF_C000_2468).PhysicalAddress, Is.EqualTo(0x4321_0468UL));
        // The same low bits through TTBR0 are unmapped.
        Assert.That(r.Fault(0x7F_C000_2468).Level, Is.EqualTo(1));
    }

    [Test]
    public void EpdDisablesWalksButNotTlbHits()
    {
        var r = new PageTableRig();
        r.MapPage(1, 0x4000_1000);
        r.MapPage(2, 0x4000_2000);
        r.Ok(PageVa(1));                              // cached
        r.Regs.TCR_EL1 |= 1UL << 7;                   // EPD0
        // TCR_ELx.EPD0: "a TLB miss on a translation table walk using TTBR0 generates a Translation fault" (level 0).
        var f = r.Fault(PageVa(2));
        Assert.That((f.Kind, f.Level), Is.EqualTo((FaultKind.Translation, 0)));
        Assert.That(r.Ok(PageVa(1)).PhysicalAddress, Is.EqualTo(0x4000_1000UL), "a TLB hit needs no walk");
        r.Regs.TCR_EL1 |= 1UL << 23;                  // EPD1
        Assert.That(r.Fault(0xFFFF_FFFF_C000_0000).Level, Is.EqualTo(0));
    }

    [Test]
    public void AccessFlagZeroFaultsWithTheLevel()
    {
        var r = new PageTableRig();
        // D5.4.12 (Armv8.0, no hardware AF management): AF = 0 -> Access flag fault, DFSC 0b0010LL.
        r.Set(L3, 3, Page(0x4000_3000) & ~Af);
        var f3 = r.Fault(PageVa(3));
        Assert.That((f3.Kind, f3.Level, f3.StatusCode), Is.EqualTo((FaultKind.AccessFlag, 3, 0b001011u)));
        r.Set(L2, 2, Block(0x4040_0000) & ~Af);
        var f2 = r.Fault(0x4040_0000, AccessKind.Fetch);
        Assert.That((f2.Kind, f2.Level, f2.StatusCode), Is.EqualTo((FaultKind.AccessFlag, 2, 0b001010u)));
    }

    [Test]
    public void OutputAddressAboveIpsIsAnAddressSizeFault()
    {
        var r = new PageTableRig();
        // AArch64.TranslationTableWalk: !IsZero(desc<47:outputsize>) -> Address size fault at the level (DFSC 0b0000LL).
        // The A53's PARange is 40 bits (ID_AA64MMFR0_EL1 = 0x1122), so IPS = 40 bits allows PA < 2^40.
        r.MapPage(1, 1UL << 40);
        var f = r.Fault(PageVa(1));
        Assert.That((f.Kind, f.Level, f.StatusCode), Is.EqualTo((FaultKind.AddressSize, 3, 0b000011u)));
        // A table address above the output size: fault at the level of the table descriptor.
        r.Set(L1, 2, Table(1UL << 41));
        var ft = r.Fault(0x8000_0000);
        Assert.That((ft.Kind, ft.Level), Is.EqualTo((FaultKind.AddressSize, 1)));
        // IPS = 000 (32 bits): PA 0x1_0000_0000 is out of range, 0x4000_1000 is not.
        r.Regs.TCR_EL1 &= ~(7UL << 32);
        r.MapPage(2, 0x1_0000_0000);
        r.MapPage(3, 0x4000_1000);
        Assert.That(r.Fault(PageVa(2)).StatusCode, Is.EqualTo(0b000011u));
        Assert.That(r.Ok(PageVa(3)).PhysicalAddress, Is.EqualTo(0x4000_1000UL));
        // TTBR0 base above the output size: address size fault at level 0.
        r.Regs.TTBR0_EL1 = 0x1_4400_0000;
        Assert.That(r.Fault(PageVa(4)).StatusCode, Is.EqualTo(0b000000u));
    }

    [Test]
    public void IpsAboveParangeIsTreatedAsForty()
    {
        var r = new PageTableRig();
        // D5.2.7: an IPS value larger than the implemented PA size is treated as the implemented size (40 bits).
        r.Regs.TCR_EL1 = (r.Regs.TCR_EL1 & ~(7UL << 32)) | (5UL << 32);   // 48 bits requested
        r.MapPage(1, 1UL << 44);
        Assert.That(r.Fault(PageVa(1)).Kind, Is.EqualTo(FaultKind.AddressSize));
    }

    [Test]
    public void ExternalAbortOnTheTableWalk()
    {
        var r = new PageTableRig();
        // TTBR0 points at 0x1000_0000, where nothing answers on the virt bus: synchronous external abort on the
        // translation table walk at level 1, DFSC 0b0101LL (ESR_ELx ISS DFSC table).
        r.Regs.TTBR0_EL1 = 0x1000_0000;
        var f = r.Fault(PageVa(1));
        Assert.That((f.Kind, f.Level, f.OnTableWalk, f.StatusCode), Is.EqualTo((FaultKind.SynchronousExternal, 1, true, 0b010101u)));
        Assert.That(r.Mmu.LastWalk.DescriptorAddress, Is.EqualTo(0x1000_0000UL + 8));
        // At level 3: an L2 table entry leading to nothing.
        r.Regs.TTBR0_EL1 = L1;
        r.Set(L2, 5, Table(0x1000_0000));
        Assert.That(r.Fault(0x40A0_0000).StatusCode, Is.EqualTo(0b010111u));
    }

    [Test]
    public void MairSelectsDeviceMemory()
    {
        var r = new PageTableRig();
        // D5.5.1: MAIR_ELx.Attr<n>[7:4] = 0000 is Device memory.
        r.MapPage(1, 0x0900_0000, DeviceAttr);
        var t = r.Ok(PageVa(1) + 0x18);
        Assert.That((t.PhysicalAddress, t.IsDevice, t.MemAttr), Is.EqualTo((0x0900_0018UL, true, (byte)0)));
        // MAIR is read at use time: making Attr1 Normal Non-cacheable changes the type of the cached entry.
        r.Regs.MAIR_EL1 = 0x44FF;
        Assert.That(r.Ok(PageVa(1)).IsDevice, Is.False);
    }

    [Test]
    public void TopByteIgnoredOnlyWithTbi()
    {
        var r = new PageTableRig();
        r.MapPage(1, 0x4100_1000);
        ulong tagged = 0x5A00_0000_4000_1010;
        // D5.1.2 / AddrTop: without TBI0, VA[63:56] must match the range (level 0 translation fault).
        Assert.That(r.Fault(tagged).StatusCode, Is.EqualTo(0b000100u));
        r.Regs.TCR_EL1 |= 1UL << 37;                  // TBI0
        Assert.That(r.Ok(tagged).PhysicalAddress, Is.EqualTo(0x4100_1010UL));
    }

    [Test]
    public void SixtyFourKilobyteGranule()
    {
        var r = new PageTableRig();
        // TG0 = 01 (64 KiB), T0SZ = 25: 39-bit range; the walk starts at level 2 with VA[38:29] (10 bits),
        // level 3 uses VA[28:16] (D5.2.6/D5.3 for the 64 KiB granule).
        r.Regs.TCR_EL1 = (r.Regs.TCR_EL1 & ~(3UL << 14)) | (1UL << 14);
        r.Regs.TTBR0_EL1 = 0x4500_0000;                // 8 KiB level 2 table
        r.Set(0x4500_0000, 2, Table(0x4501_0000));     // VA 0x4000_0000..0x5FFF_FFFF
        r.Set(0x4501_0000, 3, Page(0x4620_0000));      // VA 0x4003_0000..0x4003_FFFF, 64 KiB page
        Assert.That(r.Ok(0x4003_ABCD).PhysicalAddress, Is.EqualTo(0x4620_ABCDUL));
        // A 512 MiB block at level 2.
        r.Set(0x4500_0000, 3, Block(0x8000_0000));     // VA 0x6000_0000..0x7FFF_FFFF -> PA 0x8000_0000..
        Assert.That(r.Ok(0x7234_5678).PhysicalAddress, Is.EqualTo(0x9234_5678UL));
        Assert.That(r.Mmu.TryGetTlbEntry(0x7234_5678, 1, out var e) && e.SizeShift == 29, Is.True);
    }

    [Test]
    public void MmuOffIsAFlatMapWithAFortyBitLimit()
    {
        var r = new PageTableRig();
        r.Regs.SCTLR_EL1 &= ~1UL;
        // AArch64.TranslateAddressS1Off (D5.2.9): PA = VA; data accesses are Device-nGnRnE, fetches Normal;
        // VA[63:PAMax] must be zero (PAMax = 40 on the A53, as QEMU get_phys_addr_disabled with arm_pamax).
        var t = r.Ok(0x4000_1234);
        Assert.That((t.PhysicalAddress, t.IsDevice), Is.EqualTo((0x4000_1234UL, true)));
        Assert.That(r.Ok(0x4000_1234, AccessKind.Fetch).IsDevice, Is.False);
        Assert.That(r.Ok(0xFF_FFFF_F000).PhysicalAddress, Is.EqualTo(0xFF_FFFF_F000UL));
        var f = r.Fault(1UL << 40);
        Assert.That((f.Kind, f.Level), Is.EqualTo((FaultKind.AddressSize, 0)));
    }

    [Test]
    public void UnsupportedSixteenKilobyteGranuleBehavesAsFourKilobytes()
    {
        var r = new PageTableRig();
        r.MapPage(1, 0x4321_0000);
        // The A53 has no 16 KiB granule (ID_AA64MMFR0_EL1.TGran16 = 0). D5.2.3: a TGx value for an unimplemented
        // granule behaves as an implemented one, IMPLEMENTATION DEFINED which; QEMU (sanitize_gran_size) and we use 4 KiB.
        r.Regs.TCR_EL1 = (r.Regs.TCR_EL1 & ~(3UL << 14)) | (2UL << 14);
        Assert.That(r.Ok(PageVa(1) + 8).PhysicalAddress, Is.EqualTo(0x4321_0008UL));
    }
}
