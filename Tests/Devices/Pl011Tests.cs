using Aegis.Emulator.Devices;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>
/// PL011 transmit side, registers and interrupt wiring: each script of <see cref="Pl011Scenarios"/> must print on
/// our board what it printed on qemu-system-aarch64 7.2 (recorded below, re-checked by <see cref="Pl011QemuReferenceTests"/>).
/// </summary>
public class Pl011Tests
{
    public static readonly Dictionary<string, string> QemuTranscripts = new()
    {
        ["ResetValuesAndIds"] = """
            FR=0x90
            CR=0x300
            IFLS=0x12
            IMSC=0x0
            RIS=0x0
            MIS=0x0
            LCR_H=0x0
            IBRD=0x0
            FBRD=0x0
            ILPR=0x0
            RSR=0x0
            DMACR=0x0
            ICR_read=0x0
            reserved_0x4C=0x0
            reserved_0xFD0=0x0
            PeriphID0=0x11
            PeriphID1=0x10
            PeriphID2=0x14
            PeriphID3=0x0
            PCellID0=0xd
            PCellID1=0xf0
            PCellID2=0x5
            PCellID3=0xb1
            FR_byte=0x90
            FR_plus1_byte=0x90
            PeriphID0_half=0x11
            """,
        ["RegistersKeepWrittenBits"] = """
            IMSC=0xffffffff
            CR=0xffffffff
            LCR_H=0xffffffff
            IBRD=0xffffffff
            FBRD=0xffffffff
            IFLS=0xffffffff
            ILPR=0xffffffff
            DMACR=0xffffffff
            FR_after_write=0x90
            RSR_after_ecr=0x0
            FR_after_fifo_toggle=0x90
            """,
        ["TransmitInterrupt"] = """
            RIS_after_tx=0x20
            MIS_masked=0x0
            SPI33_pending_masked=0x0
            MIS=0x20
            SPI33_pending=0x2
            ISR=0x80
            HPPIR=0x21
            RIS_after_icr=0x0
            SPI33_after_icr=0x0
            ISR_after_icr=0x0
            RIS_tx_with_uart_disabled=0x20
            FR=0x90
            SPI33_unmasked_off=0x0
            RIS_end=0x0
            """,
    };

    public static IEnumerable<string> Names => Pl011Scenarios.All.Keys;

    [TestCaseSource(nameof(Names))]
    public void ScriptMatchesQemuTranscript(string name)
    {
        string actual = MmioScript.RunOnBoard(new VirtBoard(), Pl011Scenarios.All[name]);
        Assert.That(actual, Is.EqualTo(QemuTranscripts[name] + "\n"));
    }

    [Test]
    public void TransmittedBytesReachTheSinkInOrder()
    {
        // QEMU pl011_write: every UARTDR write goes straight to the character backend (low byte only).
        var board = new VirtBoard();
        var sink = new List<byte>();
        board.ConsoleOutput = sink.Add;
        foreach (char c in "hi\n") board.Bus.Write(VirtBoard.Uart0Base, 4, 0x100u | c);
        board.Bus.Write(VirtBoard.Uart0Base, 1, (byte)'!');
        Assert.That(sink, Is.EqualTo("hi\n!"u8.ToArray()));
    }
}

[Category("Reference")]
public class Pl011QemuReferenceTests
{
    [TestCaseSource(typeof(Pl011Tests), nameof(Pl011Tests.Names))]
    public void RecordedTranscriptIsQemus(string name)
    {
        string qemu = MmioScript.RunOnQemu(Pl011Scenarios.All[name]);
        Assert.That(qemu, Is.EqualTo(Pl011Tests.QemuTranscripts[name] + "\n"));
    }
}
