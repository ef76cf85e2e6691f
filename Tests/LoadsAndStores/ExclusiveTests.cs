using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.LoadsAndStores.Ldst;

namespace Aegis.Tests.LoadsAndStores;

/// <summary>
/// Load/store exclusive with the local monitor (Arm ARM B2.9, C6.2 LDXR/STXR/LDXP/STXP) and load-acquire /
/// store-release. A store-exclusive writes 0 to Ws when it stores, 1 when it does not, and clears the monitor
/// either way (AArch64.ExclusiveMonitorsPass, ClearExclusiveLocal).
/// </summary>
public class ExclusiveTests
{
    [Test]
    public void LoadExclusiveThenStoreExclusiveSucceedsOnceOnly()
    {
        var h = Asm("ldxr x0, [x1]", "stxr w2, x3, [x1]", "stxr w4, x5, [x1]");
        h.Write(D, 8, 0x1111);
        h.SetX(1, D).SetX(2, ~0UL).SetX(3, 0x2222).SetX(4, ~0UL).SetX(5, 0x3333).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.X(0), Is.EqualTo(0x1111UL));
            Assert.That(h.X(2), Is.EqualTo(0UL), "first STXR stores: status 0 (a W write, upper half cleared)");
            Assert.That(h.X(4), Is.EqualTo(1UL), "the first STXR cleared the monitor: the second fails");
            Assert.That(h.Read(D, 8), Is.EqualTo(0x2222UL), "the failed store did not write");
            Assert.That(h.Cpu.Exclusive.Open, Is.True);
        });
    }

    [Test]
    public void StoreExclusiveWithoutAMarkFails()
    {
        var h = Asm("stxr w2, x3, [x1]", "stlxrb w4, w3, [x1]");
        h.Write(D, 8, 0x1111);
        h.SetX(1, D).SetX(3, 0x2222).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.X(2), Is.EqualTo(1UL));
            Assert.That(h.X(4), Is.EqualTo(1UL));
            Assert.That(h.Read(D, 8), Is.EqualTo(0x1111UL));
        });
    }

    [Test]
    public void StoreExclusiveToAnotherAddressOrSizeFailsAndClears()
    {
        // Another address or size than the load-exclusive's: failing is a permitted outcome (Arm ARM B2.9.5)
        // and what QEMU 7.2 does for another address; the failure clears the monitor for the next STXR too.
        var h = Asm("ldxr x0, [x1]", "stxr w2, x3, [x6]", "stxr w4, x3, [x1]", "ldxr w0, [x1]", "stxr w5, x3, [x1]");
        h.SetX(1, D).SetX(6, D + 8).SetX(3, 0x4444).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.X(2), Is.EqualTo(1UL));
            Assert.That(h.X(4), Is.EqualTo(1UL));
            Assert.That(h.X(5), Is.EqualTo(1UL), "LDXR W then STXR X: sizes differ");
            Assert.That(h.Read(D, 8), Is.EqualTo(0UL));
            Assert.That(h.Read(D + 8, 8), Is.EqualTo(0UL));
        });
    }

    [Test]
    public void ByteHalfwordAndAcquireReleaseExclusives()
    {
        var h = Asm("ldaxrb w0, [x1]", "stlxrb w2, w3, [x1]", "ldxrh w4, [x5]", "stxrh w6, w3, [x5]",
            "ldaxr w7, [x8]", "stlxr w9, w3, [x8]");
        h.Write(D, 8, 0xF0E1_D2C3_B4A5_9687);
        h.SetX(1, D + 1).SetX(5, D + 2).SetX(8, D + 4).SetX(3, 0x7654_3210).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.X(0), Is.EqualTo(0x96UL));
            Assert.That(h.X(4), Is.EqualTo(0xB4A5UL));
            Assert.That(h.X(7), Is.EqualTo(0xF0E1_D2C3UL));
            Assert.That(h.X(2) | h.X(6) | h.X(9), Is.EqualTo(0UL), "all three store-exclusives stored");
            Assert.That(h.Read(D, 8), Is.EqualTo(0x7654_3210_3210_1087UL));
        });
    }

    [Test]
    public void ExclusivePairs()
    {
        var h = Asm("ldxp w0, w1, [x2]", "stxp w3, w4, w5, [x2]", "ldaxp x6, x7, [x8]", "stlxp w9, x5, x4, [x8]");
        h.Write(D, 8, 0x2222_2222_1111_1111);
        h.Write(D + 0x10, 8, 0xAAAA);
        h.Write(D + 0x18, 8, 0xBBBB);
        h.SetX(2, D).SetX(4, 0x4444_4444_4444_4444).SetX(5, 0x5555_5555_5555_5555).SetX(8, D + 0x10).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.X(0), Is.EqualTo(0x1111_1111UL), "32-bit pair: Rt from the low word");
            Assert.That(h.X(1), Is.EqualTo(0x2222_2222UL));
            Assert.That(h.X(3), Is.EqualTo(0UL));
            Assert.That(h.Read(D, 8), Is.EqualTo(0x5555_5555_4444_4444UL));
            Assert.That(h.X(6), Is.EqualTo(0xAAAAUL));
            Assert.That(h.X(7), Is.EqualTo(0xBBBBUL));
            Assert.That(h.X(9), Is.EqualTo(0UL));
            Assert.That(h.Read(D + 0x10, 8), Is.EqualTo(0x5555_5555_5555_5555UL));
            Assert.That(h.Read(D + 0x18, 8), Is.EqualTo(0x4444_4444_4444_4444UL));
        });
    }

    [Test]
    public void LoadExclusivePairWithRtEqualToRt2FollowsQemu()
    {
        // CONSTRAINED UNPREDICTABLE; QEMU 7.2 gen_load_exclusive writes Rt then Rt2, so the register ends with
        // the second element (seen on qemu-aarch64 7.2.22 -singlestep -d cpu for the 64-bit pair).
        uint wide = WithField(Llvm.Assemble("ldxp x6, x7, [x5]")[0], 10, 6);
        uint narrow = WithField(Llvm.Assemble("ldxp w0, w1, [x5]")[0], 10, 0);
        var h = Words(wide, narrow);
        h.Write(D, 8, 0x1111_0000_2222);
        h.Write(D + 8, 8, 0x3333);
        h.SetX(5, D).Run();
        Assert.That(h.X(6), Is.EqualTo(0x3333UL));
        Assert.That(h.X(0), Is.EqualTo(0x1111UL), "32-bit pair: the high word");
        Assert.That(h.Cpu.Exclusive.IsExclusive(D, 8), Is.True, "the second LDXP marked 8 bytes");
    }

    [Test]
    public void StoreExclusivePairAfterSingleLoadExclusiveFails()
    {
        var h = Asm("ldxr x0, [x2]", "stxp w3, x4, x5, [x2]");
        h.SetX(2, D).SetX(4, 1).SetX(5, 2).Run();
        Assert.That(h.X(3), Is.EqualTo(1UL), "LDXR marked 8 bytes, STXP X needs 16");
        Assert.That(h.Read(D, 8), Is.EqualTo(0UL));
    }

    [TestCase("ldxr x0, [x1]", 4UL, false)]
    [TestCase("ldaxrh w0, [x1]", 1UL, false)]
    [TestCase("ldxp w0, w2, [x1]", 4UL, false)]
    [TestCase("ldxp x0, x2, [x1]", 8UL, false)]
    [TestCase("stxr w3, x0, [x1]", 4UL, true)]
    [TestCase("stlxrh w3, w0, [x1]", 1UL, true)]
    [TestCase("stxp w3, x0, x2, [x1]", 8UL, true)]
    [TestCase("ldar w0, [x1]", 2UL, false)]
    [TestCase("stlr x0, [x1]", 4UL, true)]
    public void MisalignedExclusiveOrOrderedAccessTakesAnAlignmentFault(string asm, ulong offset, bool write)
    {
        // Arm ARM B2.5.2: exclusives and load-acquire/store-release must be aligned to the access size (16 bytes
        // for the 64-bit pairs) whatever SCTLR.A says; ESR DFSC 0x21, WnR for stores, FAR = the address.
        // The store-exclusives fault before the monitor is consulted (AArch64.ExclusiveMonitorsPass).
        var h = Asm(asm);
        h.Cpu.MmuRegs.SCTLR_EL1 &= ~2UL;
        h.SetX(0, 0xA0).SetX(1, D + offset).SetX(2, 0xA2).SetX(3, 0xA3).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.Cpu.PC, Is.EqualTo(SyncVectorSameEl));
            Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(EsrDataAbortSameEl | DfscAlignment | (write ? WnR : 0)));
            Assert.That(h.Cpu.FarEl[1], Is.EqualTo(D + offset));
            Assert.That(h.X(0), Is.EqualTo(0xA0UL));
            Assert.That(h.X(2), Is.EqualTo(0xA2UL));
            Assert.That(h.X(3), Is.EqualTo(0xA3UL), "no status written");
            Assert.That(h.Cpu.Exclusive.Open, Is.True, "a faulting load-exclusive marks nothing");
        });
    }

    [Test]
    public void LoadAcquireAndStoreReleaseAllSizes()
    {
        var h = Asm("ldarb w0, [x1]", "ldarh w2, [x1]", "ldar w3, [x1]", "ldar x4, [x1]",
            "stlrb w5, [x6]", "stlrh w5, [x6, #0]", "stlr w5, [x7]", "stlr x5, [sp]");
        h.Write(D, 8, 0xF0E1_D2C3_B4A5_9687);
        ulong sp = h.Cpu.SP;
        h.SetX(1, D).SetX(5, 0x1122_3344_5566_7788).SetX(6, D + 0x10).SetX(7, D + 0x18).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.X(0), Is.EqualTo(0x87UL));
            Assert.That(h.X(2), Is.EqualTo(0x9687UL));
            Assert.That(h.X(3), Is.EqualTo(0xB4A5_9687UL));
            Assert.That(h.X(4), Is.EqualTo(0xF0E1_D2C3_B4A5_9687UL));
            Assert.That(h.Read(D + 0x10, 8), Is.EqualTo(0x7788UL));
            Assert.That(h.Read(D + 0x18, 8), Is.EqualTo(0x5566_7788UL));
            Assert.That(h.Read(sp, 8), Is.EqualTo(0x1122_3344_5566_7788UL));
        });
    }

    [Test]
    public void StoreExclusiveStatusOverlapsFollowQemu()
    {
        // Ws == Rt or Ws == Rn is CONSTRAINED UNPREDICTABLE; as QEMU 7.2 gen_store_exclusive, the original Rt is
        // stored at the original address and Ws is written last. llvm-mc refuses these, so Rs is patched.
        // Ws == Rn storing Rt and leaving Ws = 0 was seen on qemu-aarch64 7.2.22 -singlestep -d cpu.
        uint wsIsRt = WithField(Llvm.Assemble("stxr w2, x0, [x1]")[0], 16, 0);
        uint wsIsRn = WithField(Llvm.Assemble("stxr w2, x0, [x3]")[0], 16, 3);
        var h = Words(Llvm.Assemble("ldxr x4, [x1]")[0], wsIsRt, Llvm.Assemble("ldxr x4, [x3]")[0], wsIsRn);
        h.Write(D + 8, 8, 0xFFFF);
        h.SetX(0, 0xABCD).SetX(1, D).SetX(3, D + 8).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.Read(D, 8), Is.EqualTo(0xABCDUL));
            Assert.That(h.X(0), Is.EqualTo(0UL), "status written over Rt");
            Assert.That(h.Read(D + 8, 8), Is.EqualTo(0UL), "stored X0 (by then the first status, 0)");
            Assert.That(h.X(3), Is.EqualTo(0UL), "status written over Rn");
        });
    }
}
