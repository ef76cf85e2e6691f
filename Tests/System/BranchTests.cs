using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.System.SystemTestSupport;

namespace Aegis.Tests.System;

/// <summary>Branches: targets, link register, conditions (expected values from the Arm ARM pseudocode of each instruction).</summary>
public class BranchTests
{
    private const ulong Base = CpuHarness.CodeBase;

    [Test]
    public void BlLinksAndBranchesForward()
    {
        var h = Harness("bl f\nnop\nnop\nf: nop");
        h.Cpu.Run(1);
        Assert.That(h.Cpu.PC, Is.EqualTo(Base + 12));
        Assert.That(h.X(30), Is.EqualTo(Base + 4));
    }

    [Test]
    public void BBranchesBackward()
    {
        var h = Harness("a: nop\nb a");
        h.Cpu.Run(2);
        Assert.That(h.Cpu.PC, Is.EqualTo(Base));
        Assert.That(h.X(30), Is.Zero, "B does not link");
    }

    // NZCV values against the Arm ARM condition table (C1.2.4): which conditions pass.
    [TestCase(0b0000u, "eq", false), TestCase(0b0100u, "eq", true), TestCase(0b0100u, "ne", false)]
    [TestCase(0b0010u, "cs", true), TestCase(0b0000u, "cc", true), TestCase(0b1000u, "mi", true), TestCase(0b1000u, "pl", false)]
    [TestCase(0b0001u, "vs", true), TestCase(0b0001u, "vc", false)]
    [TestCase(0b0010u, "hi", true), TestCase(0b0110u, "hi", false), TestCase(0b0110u, "ls", true)]
    [TestCase(0b1001u, "ge", true), TestCase(0b1000u, "ge", false), TestCase(0b1000u, "lt", true)]
    [TestCase(0b0000u, "gt", true), TestCase(0b0100u, "gt", false), TestCase(0b0100u, "le", true), TestCase(0b1001u, "le", false)]
    [TestCase(0b1111u, "al", true), TestCase(0b0000u, "nv", true)]
    public void BCondFollowsConditionHolds(uint nzcv, string cond, bool taken)
    {
        var h = Harness($"b.{cond} t\nnop\nt: nop");
        h.Cpu.Nzcv = nzcv << 28;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.PC, Is.EqualTo(taken ? Base + 8 : Base + 4));
    }

    [Test]
    public void CbzTestsTheOperandSize()
    {
        // W0 = 0 while X0 != 0: the 32-bit form looks only at the low word.
        var w = Harness("cbz w0, t\nnop\nt: nop").SetX(0, 0x1_0000_0000);
        w.Cpu.Run(1);
        Assert.That(w.Cpu.PC, Is.EqualTo(Base + 8));
        var x = Harness("cbz x0, t\nnop\nt: nop").SetX(0, 0x1_0000_0000);
        x.Cpu.Run(1);
        Assert.That(x.Cpu.PC, Is.EqualTo(Base + 4));
        var nz = Harness("cbnz x0, t\nnop\nt: nop").SetX(0, 0x1_0000_0000);
        nz.Cpu.Run(1);
        Assert.That(nz.Cpu.PC, Is.EqualTo(Base + 8));
    }

    [TestCase("tbz x1, #63, t", 0x8000_0000_0000_0000UL, false)]
    [TestCase("tbnz x1, #63, t", 0x8000_0000_0000_0000UL, true)]
    [TestCase("tbz w1, #0, t", 0xFFFF_FFFF_FFFF_FFFEUL, true)]
    [TestCase("tbnz w1, #31, t", 0x8000_0000UL, true)]
    [TestCase("tbnz x1, #32, t", 0x8000_0000UL, false)]
    public void TbzTestsOneBit(string insn, ulong x1, bool taken)
    {
        var h = Harness($"{insn}\nnop\nt: nop").SetX(1, x1);
        h.Cpu.Run(1);
        Assert.That(h.Cpu.PC, Is.EqualTo(taken ? Base + 8 : Base + 4));
    }

    [Test]
    public void BrBlrRetUseTheirRegister()
    {
        var br = Harness("br x5").SetX(5, 0x4000_1230);
        br.Cpu.Run(1);
        Assert.That(br.Cpu.PC, Is.EqualTo(0x4000_1230UL));

        // BLR X30: the target is the old X30, then X30 = return address.
        var blr = Harness("blr x30").SetX(30, 0x4000_2000);
        blr.Cpu.Run(1);
        Assert.That(blr.Cpu.PC, Is.EqualTo(0x4000_2000UL));
        Assert.That(blr.X(30), Is.EqualTo(Base + 4));

        var ret = Harness("ret").SetX(30, 0x4000_3000);
        ret.Cpu.Run(1);
        Assert.That(ret.Cpu.PC, Is.EqualTo(0x4000_3000UL));

        var retX3 = Harness("ret x3").SetX(3, 0x4000_4000).SetX(30, 0x4000_3000);
        retX3.Cpu.Run(1);
        Assert.That(retX3.Cpu.PC, Is.EqualTo(0x4000_4000UL));
    }

    [Test]
    public void IndirectBranchDropsTheTagUnderTbi()
    {
        // AArch64.BranchAddr: with TCR_EL1.TBI0 the top byte of a lower-half address is ignored.
        var h = Harness("br x5").SetX(5, 0x5A00_0000_4000_1000);
        h.Cpu.MmuRegs.TCR_EL1 = 1UL << 37;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.PC, Is.EqualTo(0x4000_1000UL));

        var untagged = Harness("br x5").SetX(5, 0x5A00_0000_4000_1000);
        untagged.Cpu.Run(1);
        Assert.That(untagged.Cpu.PC, Is.EqualTo(0x5A00_0000_4000_1000UL));
    }
}
