using Aegis.Emulator.Cpu;
using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.System.SystemTestSupport;

namespace Aegis.Tests.System;

/// <summary>
/// Exception generation and return. ESR values: EC/IL/ISS layout of the Arm ARM (D17.2.37); the same
/// instructions give the same ESR on qemu-system-aarch64 7.2 (see <see cref="QemuEsrTests"/>).
/// </summary>
public class ExceptionTests
{
    private const ulong Base = CpuHarness.CodeBase;

    private sealed class FakeFirmware : IFirmware
    {
        public bool Hvc(Cpu cpu, ushort imm) { cpu.SetX(0, 0xAA00UL + imm); return imm == 0; }
        public bool Smc(Cpu cpu, ushort imm) { cpu.SetX(0, 0xBB00UL + imm); return imm == 0; }
        public bool Hlt(Cpu cpu, ushort imm) { cpu.SetX(0, 0xCC00UL + imm); return imm == 0xF000; }
    }

    [Test]
    public void SvcAtEl1()
    {
        var h = Harness("svc #0x4321");
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x5600_4321UL), "EC 0x15, IL, imm16 (QEMU: 0x56004321)");
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(Base + 4), "preferred return: the next instruction");
        Assert.That(h.Cpu.SpsrEl[1], Is.EqualTo(0x3C5UL), "EL1h, DAIF masked");
        Assert.That(h.Cpu.PC, Is.EqualTo(OutsideVbar + El1Sync));
    }

    [Test]
    public void SvcFromEl0GoesToTheLowerElVector()
    {
        var h = Harness("svc #1").AtEl(0);
        h.Cpu.Daif = 0;
        h.Cpu.Nzcv = 0x6000_0000;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(1));
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x5600_0001UL));
        Assert.That(h.Cpu.SpsrEl[1], Is.EqualTo(0x6000_0000UL), "EL0t, NZCV kept, DAIF clear");
        Assert.That(h.Cpu.PC, Is.EqualTo(OutsideVbar + LowerSync));
    }

    [Test]
    public void BrkReturnsToItself()
    {
        var h = Harness("nop\nbrk #0x1234");
        h.Cpu.Run(2);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0xF200_1234UL), "EC 0x3C (QEMU: 0xF2001234)");
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(Base + 4), "preferred return: the BRK itself");
    }

    [TestCase("hvc #1", TestName = "HvcWithoutEl2IsUndefined")]
    [TestCase("smc #0x11", TestName = "SmcWithoutEl3IsUndefined")]
    [TestCase("hlt #0x22", TestName = "HltIsUndefined")]
    [TestCase("udf #7", TestName = "UdfIsUndefined")]
    public void UndefinedAtEl1(string insn)
    {
        var h = Harness("nop\n" + insn);
        h.Cpu.Run(2);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x0200_0000UL), "EC 0x00, IL = 1 (QEMU: 0x02000000)");
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(Base + 4), "the UNDEFINED instruction");
        Assert.That(h.Cpu.PC, Is.EqualTo(OutsideVbar + El1Sync));
    }

    [Test]
    public void HvcAtEl0IsUndefinedEvenWithFirmware()
    {
        var h = Harness("hvc #0").AtEl(0);
        h.Cpu.Firmware = new FakeFirmware();
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x0200_0000UL));
        Assert.That(h.X(0), Is.Zero, "the firmware never saw it (QEMU: EL0 HVC is UNDEFINED at translation)");
    }

    [Test]
    public void FirmwareHandlesHvcSmcHlt()
    {
        var h = Harness("hvc #0\nsmc #0\nhlt #0xf000");
        h.Cpu.Firmware = new FakeFirmware();
        h.Cpu.Run(1);
        Assert.That(h.X(0), Is.EqualTo(0xAA00UL));
        h.Cpu.Run(1);
        Assert.That(h.X(0), Is.EqualTo(0xBB00UL));
        h.Cpu.Run(1);
        Assert.That(h.X(0), Is.EqualTo(0xCC00UL + 0xF000));
        Assert.That(h.Cpu.PC, Is.EqualTo(Base + 12));
        Assert.That(h.Cpu.EsrEl[1], Is.Zero, "no exception taken");
    }

    [Test]
    public void FirmwareDecliningHltLeavesItUndefined()
    {
        var h = Harness("hlt #5");
        h.Cpu.Firmware = new FakeFirmware();
        h.Cpu.Run(1);
        Assert.That(h.X(0), Is.EqualTo(0xCC05UL), "offered first");
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x0200_0000UL));
    }

    [Test]
    public void HvcFromEl1GoesToEl2()
    {
        var h = Harness("hvc #7", el2: true).AtEl(1);
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(2));
        Assert.That(h.Cpu.EsrEl[2], Is.EqualTo(0x5A00_0007UL), "EC 0x16, imm16");
        Assert.That(h.Cpu.ElrEl[2], Is.EqualTo(Base + 4), "preferred return: the next instruction");
        Assert.That(h.Cpu.SpsrEl[2], Is.EqualTo(0x3C5UL));
        Assert.That(h.Cpu.PC, Is.EqualTo(h.Cpu.VbarEl[2] + LowerSync));
    }

    [Test]
    public void HvcWithHcdIsUndefined()
    {
        var h = Harness("hvc #7", el2: true).AtEl(1);
        h.Cpu.MmuRegs.HCR_EL2 |= 1UL << 29; // HCD
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(1));
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x0200_0000UL));
    }

    [Test]
    public void SmcWithTscTrapsToEl2BeforeTheFirmware()
    {
        var h = Harness("smc #0x33", el2: true).AtEl(1);
        h.Cpu.Firmware = new FakeFirmware();
        h.Cpu.MmuRegs.HCR_EL2 |= 1UL << 19; // TSC
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(2));
        Assert.That(h.Cpu.EsrEl[2], Is.EqualTo(0x5E00_0033UL), "EC 0x17, imm16");
        Assert.That(h.Cpu.ElrEl[2], Is.EqualTo(Base), "a trapped SMC returns to itself");
        Assert.That(h.X(0), Is.Zero, "QEMU pre_smc: the TSC trap comes before PSCI");
    }

    [Test]
    public void EretToEl0AndSvcBack()
    {
        // EL1 code at 0, VBAR_EL1 at 0x800 (lower-EL sync vector at 0xC00), EL0 code at 0x100.
        var code = Layout(
            (0x000, "msr spsr_el1, x0\nmsr elr_el1, x1\neret"),
            (0x100, "svc #5\nb .+0x1000"),
            (0xC00, "mrs x2, esr_el1\nmrs x3, spsr_el1\neret"));
        var h = new CpuHarness(code);
        h.Cpu.VbarEl[1] = Base + 0x800;
        h.SetX(0, 0x0).SetX(1, Base + 0x100);
        h.Run();
        Assert.That(h.Cpu.EL, Is.EqualTo(0), "back at EL0 after the handler's ERET");
        Assert.That(h.Cpu.PC, Is.EqualTo(Base + 0x104 + 0x1000), "EL0 continued after the SVC");
        Assert.That(h.X(2), Is.EqualTo(0x5600_0005UL));
        Assert.That(h.X(3), Is.EqualTo(0UL), "SPSR_EL1 = EL0t with DAIF clear");
        Assert.That(h.Cpu.Daif, Is.Zero, "DAIF restored from SPSR");
    }

    [Test]
    public void EretRestoresPstateAndClearsTheExclusiveMonitor()
    {
        var h = Harness("eret");
        h.Cpu.SpsrEl[1] = 0x9000_0144; // N V, A+F masked... EL1t
        h.Cpu.ElrEl[1] = 0x4000_0800;
        h.Cpu.Exclusive.Mark(0x4010_0000, 8);
        h.Cpu.Run(1);
        Assert.That(h.Cpu.PC, Is.EqualTo(0x4000_0800UL));
        Assert.That(h.Cpu.Nzcv, Is.EqualTo(0x9000_0000u));
        Assert.That(h.Cpu.Daif, Is.EqualTo(0x140u));
        Assert.That(h.Cpu.EL, Is.EqualTo(1));
        Assert.That(h.Cpu.SpSel, Is.False, "EL1t selects SP_EL0");
        Assert.That(h.Cpu.Exclusive.Open, Is.True);
        Assert.That(h.Cpu.Sys.EventRegister, Is.True, "an exception return is a WFE wake-up event");
    }

    // SPSR.M values that make an illegal return from EL1 (Arm ARM D1.11.2; QEMU helper_exception_return).
    [TestCase(0xF000_03C9UL, TestName = "IllegalReturnToEl2WithoutEl2")]
    [TestCase(0xF000_03C6UL, TestName = "IllegalReturnWithReservedM1")]
    [TestCase(0xF000_03C1UL, TestName = "IllegalReturnToEl0WithSpElx")]
    [TestCase(0xF000_03D0UL, TestName = "IllegalReturnToAArch32")]
    public void IllegalReturnSetsIlAndTheNextInstructionTakesEc0E(ulong spsr)
    {
        // The vector holds a NOP: Run(1) stops after it, before anything overwrites ESR_EL1.
        var code = Layout((0x000, "eret"), (0x100, "nop"), (0xA00, "nop"));
        var h = new CpuHarness(code);
        h.Cpu.VbarEl[1] = Base + 0x800;
        h.Cpu.SpsrEl[1] = spsr;
        h.Cpu.ElrEl[1] = Base + 0x100;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(1), "EL unchanged");
        Assert.That(h.Cpu.IllegalState, Is.True);
        Assert.That(h.Cpu.Nzcv, Is.EqualTo(0xF000_0000u), "NZCV restored");
        h.Cpu.Run(1);
        // QEMU 7.2 gives ESR 0x3A000000 and SPSR 0xF01003C5 for the same return.
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x3A00_0000UL), "EC 0x0E");
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(Base + 0x100));
        Assert.That(h.Cpu.SpsrEl[1], Is.EqualTo(0xF010_03C5UL), "IL recorded, EL1h kept");
        Assert.That(h.Cpu.IllegalState, Is.False, "exception entry clears PSTATE.IL");
    }

    [Test]
    public void EretAtEl0IsUndefined()
    {
        var h = Harness("eret").AtEl(0);
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x0200_0000UL));
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(Base));
    }

    [Test]
    public void EretFromEl2ToEl1NeedsHcrRw()
    {
        // QEMU: returning to AArch64 EL1 while HCR_EL2.RW = 0 (EL1 is AArch32) is an illegal return.
        var bad = Harness("eret", el2: true);
        bad.Cpu.SpsrEl[2] = 0x3C5;
        bad.Cpu.ElrEl[2] = 0x4000_0400;
        bad.Cpu.Run(1);
        Assert.That(bad.Cpu.EL, Is.EqualTo(2));
        Assert.That(bad.Cpu.IllegalState, Is.True);

        var good = Harness("eret", el2: true);
        good.Cpu.MmuRegs.HCR_EL2 = 1UL << 31;
        good.Cpu.SpsrEl[2] = 0x3C5;
        good.Cpu.ElrEl[2] = 0x4000_0400;
        good.Cpu.Run(1);
        Assert.That(good.Cpu.EL, Is.EqualTo(1));
        Assert.That(good.Cpu.IllegalState, Is.False);
        Assert.That(good.Cpu.PC, Is.EqualTo(0x4000_0400UL));
    }

    [Test]
    public void SpsrIlBitIsRestoredByALegalReturn()
    {
        var h = new CpuHarness(Layout((0x000, "eret"), (0xA00, "nop")));
        h.Cpu.VbarEl[1] = Base + 0x800;
        h.Cpu.SpsrEl[1] = (1UL << 20) | 0x3C5;
        h.Cpu.ElrEl[1] = Base;
        h.Cpu.Run(2);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x3A00_0000UL), "PSTATE.IL came back from SPSR_EL1.IL");
    }
}
