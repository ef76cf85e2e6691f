using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.SystemInstructions;

/// <summary>The FP/SIMD access trap (AArch64.CheckFPAdvSIMDEnabled); ESR 0x1FE00000 is what QEMU 7.2 reports.</summary>
public class FpTrapTests
{
    [TestCase("fmov d0, x1")]
    [TestCase("add v0.4s, v1.4s, v2.4s")]
    [TestCase("ldr q0, [x0]")]
    [TestCase("ld1 {v0.16b}, [x0]")]
    [TestCase("mrs x0, fpcr")]
    public void FpAtEl0WithFpen01TrapsToEl1(string insn)
    {
        var h = Harness(insn).AtEl(0);
        h.Cpu.Sys.CPACR_EL1 = 1UL << 20;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x1FE0_0000UL), "EC 0x07, CV = 1, COND = 0xE");
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(CpuHarness.CodeBase));
        Assert.That(h.Cpu.PC, Is.EqualTo(OutsideVbar + LowerSync));
    }

    [Test]
    public void FpAtEl1WithFpen00Traps()
    {
        var h = Harness("fmov d0, x1");
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x1FE0_0000UL));
    }

    [Test]
    public void FpAtEl1WithFpen01IsNotTrapped()
    {
        var h = Harness("fmov d0, x1\nmsr fpcr, x2\nmrs x3, fpcr").SetX(1, 0x1234_5678_9ABC_DEF0).SetX(2, 0x0340_0000);
        h.Cpu.Sys.CPACR_EL1 = 1UL << 20;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0UL), "no exception");
        Assert.That(h.Cpu.D(0), Is.EqualTo(0x1234_5678_9ABC_DEF0UL), "FMOV (general) executed");
        var r = Harness("msr fpcr, x2\nmrs x3, fpcr").SetX(2, 0x0340_9F00);
        r.Cpu.Sys.CPACR_EL1 = 3UL << 20;
        r.Run();
        Assert.That(r.X(3), Is.EqualTo(0x0340_0000UL), "FPCR trap enables are RAZ/WI on the A53 (QEMU)");
    }

    [Test]
    public void CptrTfpTrapsToEl2()
    {
        var h = Harness("fmov d0, x1", el2: true).AtEl(1);
        h.Cpu.Sys.CPACR_EL1 = 3UL << 20;
        h.Cpu.Sys.CPTR_EL2 = 1UL << 10;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(2));
        Assert.That(h.Cpu.EsrEl[2], Is.EqualTo(0x1FE0_0000UL));
    }

    [Test]
    public void El0FpTrapUnderTgeGoesToEl2AsUncategorized()
    {
        // Arm ARM D1.10.4 / QEMU raise_exception: with HCR_EL2.TGE the EL1 FP trap becomes EC 0x00 at EL2.
        var h = Harness("fmov d0, x1", el2: true).AtEl(0);
        h.Cpu.MmuRegs.HCR_EL2 |= 1UL << 27;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(2));
        Assert.That(h.Cpu.EsrEl[2], Is.EqualTo(0x0200_0000UL));
    }

    [Test]
    public void CpacrTrapTakesPriorityOverCptr()
    {
        var h = Harness("fmov d0, x1", el2: true).AtEl(1);
        h.Cpu.Sys.CPTR_EL2 = 1UL << 10;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(1));
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x1FE0_0000UL));
    }
}
