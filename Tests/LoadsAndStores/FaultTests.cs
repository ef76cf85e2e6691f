using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.LoadsAndStores.Ldst;

namespace Aegis.Tests.LoadsAndStores;

/// <summary>
/// Faults of loads and stores: SP alignment (Arm ARM D1.8.2, EC 0x26), external aborts on nothing
/// (EC 0x25/0x24, DFSC 0x10), and alignment faults on Device memory (the MMU is off, so every data access is
/// Device-nGnRnE: Arm ARM D5.2.9 and B2.5.2, DFSC 0x21). ESR values: Arm ARM D17.2.37 layout; ISV = 0 as
/// QEMU 7.2 reports for aborts taken to EL1. A faulting instruction leaves its registers unchanged.
/// </summary>
public class FaultTests
{
    private const ulong Nothing = 0x1000_0000;

    [TestCase("ldr x0, [sp]")]
    [TestCase("ldr x0, [sp], #16")]
    [TestCase("str x0, [sp, #-16]!")]
    [TestCase("ldp x0, x2, [sp]")]
    [TestCase("ldrb w0, [sp, x2]")]
    [TestCase("stur w0, [sp, #-8]")]
    [TestCase("ldxr x0, [sp]")]
    [TestCase("ldar w0, [sp]")]
    public void SpBaseWithMisalignedSpTakesAnSpAlignmentFault(string asm)
    {
        var h = Asm(asm);
        ulong sp = D + 0x1008; // 8-byte aligned, not 16
        h.Cpu.SP = sp;
        h.Write(sp, 8, 0x5A5A);
        h.SetX(0, 0xA0).SetX(2, 0).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.Cpu.PC, Is.EqualTo(SyncVectorSameEl));
            Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(EsrSpAlignment), "EC 0x26, IL 1, ISS 0");
            Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(CpuHarness.CodeBase));
            Assert.That(h.Cpu.GetSpEl(1), Is.EqualTo(sp), "SP not written back");
            Assert.That(h.X(0), Is.EqualTo(0xA0UL));
            Assert.That(h.Read(sp - 16, 8), Is.EqualTo(0UL), "nothing stored");
        });
    }

    [Test]
    public void SpAlignmentCheckOffWhenSctlrSaIsClear()
    {
        var h = Asm("ldr x0, [sp, #8]", "str x0, [sp, #-8]!");
        h.Cpu.MmuRegs.SCTLR_EL1 &= ~(1UL << 3);
        ulong sp = D + 0x1008;
        h.Cpu.SP = sp;
        h.Write(sp + 8, 8, 0x5A5A);
        h.Run();
        Assert.That(h.X(0), Is.EqualTo(0x5A5AUL));
        Assert.That(h.Read(sp - 8, 8), Is.EqualTo(0x5A5AUL));
        Assert.That(h.Cpu.SP, Is.EqualTo(sp - 8));
    }

    [Test]
    public void SpAlignmentAtEl0UsesSa0()
    {
        // At EL0 the check is SCTLR_EL1.SA0 (bit 4), not SA: with SA clear and SA0 set the EL0 access faults to EL1,
        // from a lower EL (vector offset 0x400), still EC 0x26.
        var h = Asm("ldr x0, [sp]");
        h.Cpu.MmuRegs.SCTLR_EL1 &= ~(1UL << 3);
        h.Cpu.SetExceptionLevel(0, spSel: false);
        h.Cpu.SP = D + 0x1004;
        h.Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.Cpu.PC, Is.EqualTo(SyncVectorLowerEl));
            Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(EsrSpAlignment));
            Assert.That(h.Cpu.SpsrEl[1] & 0xF, Is.EqualTo(0UL), "taken from EL0t");
        });
    }

    [Test]
    public void SpAlignmentAtEl0WithSa0ClearDoesNotFault()
    {
        var h = Asm("ldr x0, [sp]");
        h.Cpu.MmuRegs.SCTLR_EL1 &= ~(1UL << 4);
        h.Cpu.SetExceptionLevel(0, spSel: false);
        h.Cpu.SP = D + 0x1008;
        h.Write(D + 0x1008, 8, 0x77);
        h.Run();
        Assert.That(h.X(0), Is.EqualTo(0x77UL));
        Assert.That(h.Cpu.EL, Is.EqualTo(0));
    }

    [TestCase("ldr x0, [x1]", false)]
    [TestCase("ldrsw x0, [x1], #4", false)]
    [TestCase("ldr w0, [x1, #-4]!", false)]
    [TestCase("ldrb w0, [x1, x2]", false)]
    [TestCase("ldtr x0, [x1]", false)]
    [TestCase("ldp x0, x2, [x1], #16", false)]
    [TestCase("ldxr x0, [x1]", false)]
    [TestCase("str x0, [x1], #8", true)]
    [TestCase("stp w0, w2, [x1, #8]!", true)]
    public void AccessToNothingTakesASynchronousExternalAbort(string asm, bool write)
    {
        // The address the access uses: pre-index forms add their offset first.
        ulong address = asm.Contains("#-4]!") ? Nothing - 4 : asm.Contains("#8]!") ? Nothing + 8 : Nothing;
        var h = Asm(asm);
        h.SetX(0, 0xA0).SetX(1, Nothing).SetX(2, 0).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.Cpu.PC, Is.EqualTo(SyncVectorSameEl));
            Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(EsrDataAbortSameEl | DfscExternal | (write ? WnR : 0)));
            Assert.That(h.Cpu.FarEl[1], Is.EqualTo(address));
            Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(CpuHarness.CodeBase));
            Assert.That(h.X(0), Is.EqualTo(0xA0UL), "destination unchanged");
            Assert.That(h.X(1), Is.EqualTo(Nothing), "base unchanged: no writeback");
            Assert.That(h.X(2), Is.EqualTo(0UL));
        });
    }

    [Test]
    public void LiteralLoadFromNothingFaultsToo()
    {
        // The 1 MiB-back literal of an instruction at the RAM base is below RAM.
        var h = Asm("ldr x0, #-1048576");
        h.SetX(0, 0xA0).Run();
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(EsrDataAbortSameEl | DfscExternal));
        Assert.That(h.Cpu.FarEl[1], Is.EqualTo(CpuHarness.CodeBase - 0x10_0000));
        Assert.That(h.X(0), Is.EqualTo(0xA0UL));
    }

    [Test]
    public void El0AccessToNothingIsADataAbortFromALowerEl()
    {
        var h = Asm("ldr x0, [x1]");
        h.Cpu.SetExceptionLevel(0, spSel: false);
        h.SetX(1, Nothing).Run();
        Assert.That(h.Cpu.PC, Is.EqualTo(SyncVectorLowerEl));
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(EsrDataAbortLowerEl | DfscExternal));
        Assert.That(h.Cpu.FarEl[1], Is.EqualTo(Nothing));
    }

    [TestCase("ldr x0, [x1, #4]", 1UL, 5UL, false)]
    [TestCase("ldur w0, [x1, #2]", 1UL, 3UL, false)]
    [TestCase("ldrh w0, [x1], #2", 1UL, 1UL, false)]
    [TestCase("ldr x0, [x1, #8]!", 1UL, 9UL, false)]
    [TestCase("str w0, [x1, x2]", 0UL, 1UL, true)]
    [TestCase("ldp w0, w2, [x1]", 2UL, 2UL, false)]
    public void MisalignedAccessWithTheMmuOffIsAnAlignmentFault(string asm, ulong baseOffset, ulong faultOffset, bool write)
    {
        // MMU off: data accesses are Device-nGnRnE, and an unaligned access to Device memory takes an alignment
        // fault whatever SCTLR.A says (Arm ARM B2.5.2, D5.2.9). X2 = 1 is the register offset.
        var h = Asm(asm);
        h.Cpu.MmuRegs.SCTLR_EL1 &= ~2UL;
        h.SetX(0, 0xA0).SetX(1, D + baseOffset).SetX(2, 1).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.Cpu.PC, Is.EqualTo(SyncVectorSameEl));
            Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(EsrDataAbortSameEl | DfscAlignment | (write ? WnR : 0)));
            Assert.That(h.Cpu.FarEl[1], Is.EqualTo(D + faultOffset));
            Assert.That(h.X(0), Is.EqualTo(0xA0UL));
            Assert.That(h.X(1), Is.EqualTo(D + baseOffset), "no writeback");
            Assert.That(h.X(2), Is.EqualTo(1UL));
        });
    }

    [Test]
    public void StoreExclusiveFaultingOnNothingLeavesStatusAndMonitor()
    {
        // A monitor marked for an address with nothing behind it (set by hand: an LDXR there would itself
        // abort): the monitor passes, the store aborts, Ws is not written and the mark stays (the Arm ARM
        // pseudocode aborts before ClearExclusiveLocal; QEMU 7.2's cmpxchg faults before resetting exclusive_addr).
        var h = Asm("stxr w2, x0, [x1]");
        h.Cpu.Exclusive.Mark(Nothing, 8);
        h.SetX(1, Nothing).SetX(2, 0xA2).Run();
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(EsrDataAbortSameEl | DfscExternal | WnR));
        Assert.That(h.X(2), Is.EqualTo(0xA2UL));
        Assert.That(h.Cpu.Exclusive.IsExclusive(Nothing, 8), Is.True);
    }
}
