using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.SystemInstructions;

/// <summary>
/// Interrupt masking and routing (Arm ARM D1.13.4 "Asynchronous exception masking"; QEMU arm_excp_unmasked):
/// PSTATE.I masks an IRQ taken to EL1 from EL0 as well as from EL1; HCR_EL2.VI with IMO injects a virtual IRQ
/// that is taken to EL1.
/// </summary>
public class InterruptRoutingTests
{
    private const ulong Vectors = CpuHarness.CodeBase + 0x800;

    // Drops from EL1 (or EL2) to the SPSR's mode at label "lower", then spins there.
    private static CpuHarness DropTo(ulong spsr, bool el2, string extra = "")
    {
        var h = new CpuHarness(Llvm.Assemble(
            extra,
            el2 ? "msr spsr_el2, x1" : "msr spsr_el1, x1",
            "adr x2, lower",
            el2 ? "msr elr_el2, x2" : "msr elr_el1, x2",
            "eret",
            "lower: nop",
            "b lower"), el2);
        h.Cpu.VbarEl[1] = Vectors;
        h.Cpu.VbarEl[2] = Vectors;
        h.SetX(1, spsr);
        return h;
    }

    [Test]
    public void IrqToEl1IsMaskedAtEl0ByPstateI()
    {
        var h = DropTo(spsr: 0x80, el2: false); // EL0t with I set
        h.Cpu.Run(5);
        Assert.That(h.Cpu.EL, Is.EqualTo(0));
        h.Cpu.IrqLine = true;
        h.Cpu.Run(10);
        Assert.That(h.Cpu.EL, Is.EqualTo(0), "PSTATE.I masks an IRQ taken to EL1 while at EL0");
    }

    [Test]
    public void IrqToEl1IsTakenAtEl0WhenUnmasked()
    {
        var h = DropTo(spsr: 0x0, el2: false); // EL0t, DAIF clear
        h.Cpu.Run(5);
        h.Cpu.IrqLine = true;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(1));
        Assert.That(h.Cpu.PC, Is.EqualTo(Vectors + 0x480), "lower EL AArch64 group + IRQ offset");
    }

    [Test]
    public void VirtualIrqFromHcrVIsTakenAtEl1()
    {
        // HCR_EL2: RW (31) | VI (7) | IMO (4); the guest drops to EL1h with DAIF clear.
        var h = DropTo(spsr: 0x5, el2: true, extra: "msr hcr_el2, x3");
        h.SetX(3, (1UL << 31) | (1UL << 7) | (1UL << 4));
        h.Cpu.Run(6);
        Assert.That(h.Cpu.EL, Is.EqualTo(1));
        Assert.That(h.Cpu.PC, Is.EqualTo(Vectors + 0x280), "current EL with SP_ELx group + IRQ offset, at EL1");
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(CpuHarness.CodeBase + 5 * 4), "the interrupted instruction at 'lower'");
    }

    [Test]
    public void VirtualIrqWithoutImoIsNotTaken()
    {
        var h = DropTo(spsr: 0x5, el2: true, extra: "msr hcr_el2, x3");
        h.SetX(3, (1UL << 31) | (1UL << 7)); // VI without IMO: no virtual IRQ (Arm ARM D1.13.6)
        h.Cpu.Run(20);
        Assert.That(h.Cpu.EL, Is.EqualTo(1));
        Assert.That(h.Cpu.PC, Is.InRange(CpuHarness.CodeBase + 20, CpuHarness.CodeBase + 24));
    }
}
