using Aegis.Emulator.Devices;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>
/// Interrupt inputs of the GIC and their wiring on the board. The level/edge rules are those the
/// LevelAndEdgeSpi script showed on QEMU 7.2: a level-sensitive interrupt is pending while its line is high
/// (ICPENDR cannot clear it), an edge-triggered one latches on the rising edge.
/// </summary>
public class GicV2InputTests
{
    private static VirtBoard EnabledBoard()
    {
        var b = new VirtBoard();
        b.Cpu.Reset(VirtBoard.RamBase);
        b.Bus.Write(VirtBoard.GicDistributorBase, 4, 1);
        b.Bus.Write(VirtBoard.GicCpuInterfaceBase, 4, 1);
        b.Bus.Write(VirtBoard.GicCpuInterfaceBase + 4, 4, 0xFF);
        b.Bus.Write(VirtBoard.GicDistributorBase + 0x100, 4, 0xFFFF_FFFF); // ISENABLER0: all PPIs
        return b;
    }

    private static uint Iar(VirtBoard b) { b.Bus.Read(VirtBoard.GicCpuInterfaceBase + 0x0C, 4, out ulong v); return (uint)v; }
    private static void Eoi(VirtBoard b, uint id) => b.Bus.Write(VirtBoard.GicCpuInterfaceBase + 0x10, 4, id);

    [TestCase(30)]
    [TestCase(27)]
    [TestCase(26)]
    [TestCase(29)]
    public void TimerOutputsDriveTheirPpis(int intid)
    {
        var b = EnabledBoard();
        b.Cpu.TimerOutput(intid, true);
        Assert.That(b.Cpu.IrqLine, Is.True);
        Assert.That(Iar(b), Is.EqualTo((uint)intid));
        Assert.That(b.Cpu.IrqLine, Is.False, "active at its own priority");
        Eoi(b, (uint)intid);
        Assert.That(b.Cpu.IrqLine, Is.True, "level still high: pending again after EOI");
        b.Cpu.TimerOutput(intid, false);
        Assert.That(b.Cpu.IrqLine, Is.False);
        Assert.That(b.Gic.IsPending(intid), Is.False);
    }

    [Test]
    public void EdgeTriggeredPpiLatchesOnlyOnRisingEdges()
    {
        var b = EnabledBoard();
        b.Bus.Write(VirtBoard.GicDistributorBase + 0xC04, 4, 2u << ((30 - 16) * 2)); // ICFGR1: PPI 30 edge
        b.Gic.SetPpi(30, true);
        b.Gic.SetPpi(30, false);
        Assert.That(b.Gic.IsPending(30), Is.True);
        Assert.That(Iar(b), Is.EqualTo(30u));
        Assert.That(b.Gic.IsPending(30), Is.False);
        b.Gic.SetPpi(30, true);
        b.Gic.SetPpi(30, true); // no new edge
        Eoi(b, 30);
        Assert.That(b.Gic.IsPending(30), Is.True);
        Assert.That(Iar(b), Is.EqualTo(30u));
        Eoi(b, 30);
        Assert.That(Iar(b), Is.EqualTo(1023u), "the second SetPpi(true) was not an edge");
    }

    [Test]
    public void SpiNeedsEnableAndFiqGoesToFiqLine()
    {
        var b = EnabledBoard();
        b.Gic.SetSpi(40, true);
        Assert.That(b.Gic.IsPending(40), Is.True);
        Assert.That(b.Cpu.IrqLine, Is.False, "SPI 40 not enabled");
        b.Bus.Write(VirtBoard.GicCpuInterfaceBase, 4, 0x9); // EnableGrp0 | FIQEn: Group 0 signals FIQ
        b.Bus.Write(VirtBoard.GicDistributorBase + 0x104, 4, 1u << 8);
        Assert.That((b.Cpu.IrqLine, b.Cpu.FiqLine), Is.EqualTo((false, true)));
        b.Gic.SetSpi(40, false);
        Assert.That((b.Cpu.IrqLine, b.Cpu.FiqLine), Is.EqualTo((false, false)));
    }

    [Test]
    public void OutOfRangeInputsAreRejected()
    {
        var gic = new GicV2();
        Assert.Throws<ArgumentOutOfRangeException>(() => gic.SetPpi(15, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => gic.SetSpi(31, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => gic.SetSpi(GicV2.NumIrq, true));
    }

    [Test]
    public void DoublewordAccessIsTwoWordAccesses()
    {
        // QEMU 7.2 run: a 64-bit read at GICD+0 with CTLR = 1 gave 0x0000000800000001 (CTLR, then TYPER).
        var b = EnabledBoard();
        b.Bus.Read(VirtBoard.GicDistributorBase, 8, out ulong v);
        Assert.That(v, Is.EqualTo(0x0000_0008_0000_0001UL));
    }

    [TestCase(0x0800_1000UL)]
    [TestCase(0x0801_2000UL)]
    [TestCase(0x0801_F000UL)]
    [TestCase(0x0900_1000UL)]
    [TestCase(0x0A00_0000UL)]
    public void AddressesOutsideTheDevicesAbort(ulong pa)
    {
        // QEMU 7.2 run: loads from 0x08012000, 0x0801F000 and 0x09001000 took a synchronous external abort
        // (ESR 0x96000010): the GIC CPU interface is 8 KiB, the UART 4 KiB. 0x08001000 (past the 4 KiB
        // distributor) and 0x0A00_0000 (QEMU's virtio-mmio, not modelled: see VirtBoard) abort by our board's design.
        var b = new VirtBoard();
        Assert.That(b.Bus.Read(pa, 4, out _), Is.False);
        Assert.That(b.Bus.Write(pa, 4, 0), Is.False);
    }
}
