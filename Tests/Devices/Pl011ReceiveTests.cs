using Aegis.Emulator.Devices;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>
/// PL011 receive path. References: QEMU 7.2 hw/char/pl011.c (pl011_can_receive, pl011_put_fifo, pl011_read with
/// read_trigger 1) and a qemu-system-aarch64 7.2 run that fed 62 bytes on stdin to a guest with LCR_H.FEN set:
/// after a wait FR read 0xC0 (TXFE|RXFF) and RIS 0x30 (RX|TX), every byte arrived in order, and after a FIFO
/// reset a read of the empty FIFO returned the byte last stored in slot 0 — the 49th, i.e. a 16-entry ring.
/// </summary>
public class Pl011ReceiveTests
{
    private static (Pl011 uart, List<bool> irq) NewUart()
    {
        var uart = new Pl011();
        var irq = new List<bool>();
        uart.Interrupt = irq.Add;
        return (uart, irq);
    }

    private static uint Reg(Pl011 uart, ulong offset) { uart.Read(offset, 4, out ulong v); return (uint)v; }

    [Test]
    public void WithoutFifoOneByteIsHeldAndTheRestWaitsOnTheHost()
    {
        var (uart, _) = NewUart();
        uart.Receive("abc"u8);
        Assert.That(Reg(uart, Pl011.UARTFR), Is.EqualTo(Pl011.FlagTxfe | Pl011.FlagRxff), "1-deep holding register full");
        Assert.That(uart.HostBytesWaiting, Is.EqualTo(2));
        Assert.That(Reg(uart, Pl011.UARTDR), Is.EqualTo('a'));
        Assert.That(Reg(uart, Pl011.UARTDR), Is.EqualTo('b'));
        Assert.That(Reg(uart, Pl011.UARTDR), Is.EqualTo('c'));
        Assert.That(Reg(uart, Pl011.UARTFR), Is.EqualTo(Pl011.FlagTxfe | Pl011.FlagRxfe));
        Assert.That(uart.HostBytesWaiting, Is.Zero);
    }

    [Test]
    public void FifoHoldsSixteenBytesAndSetsRxffWhenFull()
    {
        var (uart, _) = NewUart();
        uart.Write(Pl011.UARTLCR_H, 4, 0x70); // FEN, 8 bits
        var input = Enumerable.Range(0, 20).Select(i => (byte)('A' + i)).ToArray();
        uart.Receive(input);
        Assert.That(Reg(uart, Pl011.UARTFR), Is.EqualTo(Pl011.FlagTxfe | Pl011.FlagRxff));
        Assert.That(uart.HostBytesWaiting, Is.EqualTo(4));
        var got = new List<byte>();
        while ((Reg(uart, Pl011.UARTFR) & Pl011.FlagRxfe) == 0) got.Add((byte)Reg(uart, Pl011.UARTDR));
        Assert.That(got, Is.EqualTo(input), "host bytes refill the FIFO as it drains, none lost, in order");
    }

    [Test]
    public void ReceiveInterruptFollowsTheFirstByteAndClearsWhenEmpty()
    {
        var (uart, irq) = NewUart();
        uart.Write(Pl011.UARTLCR_H, 4, 0x70);
        uart.Write(Pl011.UARTIMSC, 4, Pl011.IntRx);
        Assert.That(uart.InterruptLevel, Is.False);
        uart.Receive("xy"u8);
        Assert.That(Reg(uart, Pl011.UARTRIS) & Pl011.IntRx, Is.EqualTo(Pl011.IntRx));
        Assert.That(Reg(uart, Pl011.UARTMIS), Is.EqualTo(Pl011.IntRx));
        Assert.That(uart.InterruptLevel, Is.True);
        Reg(uart, Pl011.UARTDR);
        Assert.That(uart.InterruptLevel, Is.True, "one byte still waiting");
        Reg(uart, Pl011.UARTDR);
        Assert.That(uart.InterruptLevel, Is.False);
        Assert.That(Reg(uart, Pl011.UARTRIS) & Pl011.IntRx, Is.Zero);
        Assert.That(irq, Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public void IcrClearsReceiveInterruptUntilTheNextByte()
    {
        var (uart, _) = NewUart();
        uart.Write(Pl011.UARTIMSC, 4, Pl011.IntRx);
        uart.Receive("q"u8);
        uart.Write(Pl011.UARTICR, 4, Pl011.IntRx);
        Assert.That(uart.InterruptLevel, Is.False);
        Assert.That(Reg(uart, Pl011.UARTDR), Is.EqualTo('q'));
    }

    [Test]
    public void ReadingAnEmptyFifoReturnsTheStaleSlotAndTogglingFenEmptiesIt()
    {
        var (uart, _) = NewUart();
        uart.Write(Pl011.UARTLCR_H, 4, 0x10);
        uart.Receive("0123"u8);
        uart.Write(Pl011.UARTLCR_H, 4, 0x00); // FIFO reset: the four bytes are discarded
        Assert.That(Reg(uart, Pl011.UARTFR) & Pl011.FlagRxfe, Is.Zero, "QEMU leaves the flags as they were");
        Assert.That(Reg(uart, Pl011.UARTDR), Is.EqualTo('0'), "slot 0 still holds its old byte");
        Assert.That(Reg(uart, Pl011.UARTFR) & Pl011.FlagRxfe, Is.EqualTo(Pl011.FlagRxfe));
    }

    [Test]
    public void ReceiveInterruptDrivesSpi33OnTheBoard()
    {
        var board = new VirtBoard();
        board.Bus.Write(VirtBoard.GicDistributorBase + 0x104, 4, 1u << 1); // enable INTID 33
        board.Bus.Write(VirtBoard.GicDistributorBase, 4, 1);
        board.Bus.Write(VirtBoard.GicCpuInterfaceBase, 4, 1);
        board.Bus.Write(VirtBoard.GicCpuInterfaceBase + 4, 4, 0xFF);
        board.Bus.Write(VirtBoard.Uart0Base + Pl011.UARTIMSC, 4, Pl011.IntRx);
        Assert.That(board.Cpu.IrqLine, Is.False);
        board.Uart.Receive("k"u8);
        Assert.That(board.Cpu.IrqLine, Is.True);
        board.Bus.Read(VirtBoard.GicCpuInterfaceBase + 0x0C, 4, out ulong iar);
        Assert.That(iar, Is.EqualTo(33));
        board.Bus.Read(VirtBoard.Uart0Base, 4, out ulong c);
        Assert.That(c, Is.EqualTo('k'));
        board.Bus.Write(VirtBoard.GicCpuInterfaceBase + 0x10, 4, 33);
        Assert.That(board.Gic.IsPending(33), Is.False, "level low after the read");
        Assert.That(board.Cpu.IrqLine, Is.False);
    }
}
