using System.Collections.Concurrent;
using System.Text;
using Aegis.Emu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Cli;

/// <summary>`--uart-input -`: host bytes reach the guest as they arrive, also while it sleeps in WFI with nothing scheduled.</summary>
public class InteractiveInputTests
{
    /// <summary>
    /// Enables the PL011 receive interrupt through the GIC (with DAIF masked: WFI still wakes on it), then sleeps in WFI
    /// and echoes what arrives until it echoes 'q', then PSCI SYSTEM_OFF.
    /// </summary>
    private static readonly string[] EchoGuest =
    [
        "movz x2, #0x0900, lsl #16", "mov w3, #0x10", "str w3, [x2, #0x38]",          // UARTIMSC.RXIM
        "movz x5, #0x0800, lsl #16", "mov w3, #1", "str w3, [x5]",                     // GICD_CTLR
        "mov w3, #2", "str w3, [x5, #0x104]",                                          // GICD_ISENABLER1: INTID 33
        "movz x6, #0x0801, lsl #16", "mov w3, #1", "str w3, [x6]", "mov w3, #0xff", "str w3, [x6, #4]", // GICC_CTLR, GICC_PMR
        "wait: wfi",
        "poll: ldr w3, [x2, #0x18]", "tbnz w3, #4, wait",                               // UARTFR.RXFE: nothing left
        "ldr w3, [x2]", "str w3, [x2]", "cmp w3, #'q'", "b.ne poll",
        "movz x0, #0x0008", "movk x0, #0x8400, lsl #16", "hvc #0", "b .",
    ];

    /// <summary>The echo guest booted as a raw kernel.</summary>
    private static VirtBoard EchoBoard()
    {
        var words = Llvm.Assemble(EchoGuest);
        var image = new byte[words.Length * 4];
        Buffer.BlockCopy(words, 0, image, 0, image.Length);
        var board = new VirtBoard(new VirtBoardOptions());
        board.LoadLinux(new Emulator.Devices.Linux.LinuxBootOptions { Kernel = image });
        return board;
    }

    [Test]
    public void BytesArriveWhileTheGuestSleeps()
    {
        var board = EchoBoard();

        var typist = new Typist();
        var input = new InteractiveInput(typist);
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var run = Task.Run(() => RunCommand.Execute(board, ulong.MaxValue, stdout, stderr, input));
        Thread.Sleep(300);
        Assert.That(run.IsCompleted, Is.False, "the guest waits for input instead of ending the run");
        typist.Type("hel");
        Thread.Sleep(300);
        typist.Type("lo q");
        Assert.That(run.Wait(20_000), Is.True, "the run ends after 'q'");
        Assert.That(run.Result, Is.Zero, stderr.ToString());
        Assert.That(Encoding.ASCII.GetString(stdout.ToArray()), Is.EqualTo("hello q"));
        Assert.That(stderr.ToString(), Does.Contain("PSCI SYSTEM_OFF"));
    }

    [Test]
    public void EndOfInputEndsAGuestThatOnlyWaitsForIt()
    {
        var board = EchoBoard();
        var stderr = new StringWriter();
        var run = Task.Run(() => RunCommand.Execute(board, ulong.MaxValue, new MemoryStream(), stderr, new InteractiveInput(new MemoryStream("ab"u8.ToArray()))));
        Assert.That(run.Wait(20_000), Is.True, "the run ends when stdin has ended");
        Assert.That(run.Result, Is.EqualTo(Emu.Cli.ExitStuck));
        Assert.That(stderr.ToString(), Does.Contain("WFI with nothing left to wake the CPU"));
    }

    /// <summary>A stdin whose reads block until the test types (a terminal, without the host's pipes).</summary>
    private sealed class Typist : Stream
    {
        private readonly BlockingCollection<byte[]> _typed = new();
        public void Type(string text) => _typed.Add(Encoding.ASCII.GetBytes(text));

        public override int Read(byte[] buffer, int offset, int count)
        {
            byte[] chunk = _typed.Take();
            chunk.CopyTo(buffer, offset); // the test types less than a buffer at a time
            return chunk.Length;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
