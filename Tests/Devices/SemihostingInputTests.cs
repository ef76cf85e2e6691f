using System.Diagnostics;
using System.Text;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>
/// Semihosting console input, SYS_READC and SYS_READ on a ":tt" read handle, from the one input stream the PL011
/// receives from (--uart-input). Called directly with parameter blocks in RAM; QEMU 7.2.22's answers are checked
/// by <see cref="SemihostingInputQemuTests"/>.
/// </summary>
public class SemihostingInputTests
{
    private const ulong Block = 0x4010_0000, Name = 0x4010_0800, Buffer = 0x4010_1000;

    private static VirtBoard Board(string input)
    {
        var board = new VirtBoard();
        board.Cpu.Reset(VirtBoard.RamBase);
        board.Uart.Receive(Encoding.ASCII.GetBytes(input));
        return board;
    }

    private static ulong Call(VirtBoard board, uint op, ulong arg)
    {
        board.Cpu.X[0] = op;
        board.Cpu.X[1] = arg;
        Assert.That(board.Firmware.Hlt(board.Cpu, Semihosting.HltImmediate), Is.True);
        return board.Cpu.X[0];
    }

    private static void Words(VirtBoard board, ulong pa, params ulong[] words)
    {
        for (int i = 0; i < words.Length; i++) board.Bus.Write(pa + (ulong)i * 8, 8, words[i]);
    }

    private static ulong OpenTt(VirtBoard board, ulong mode)
    {
        board.Bus.Load(Name, ":tt\0"u8);
        Words(board, Block, Name, mode, 3);
        return Call(board, Semihosting.SYS_OPEN, Block);
    }

    private static ulong Read(VirtBoard board, ulong handle, ulong buffer, ulong length)
    {
        Words(board, Block, handle, buffer, length);
        return Call(board, Semihosting.SYS_READ, Block);
    }

    private static string Ram(VirtBoard board, ulong pa, int length) => Encoding.ASCII.GetString(board.Bus.Ram.Slice((int)(pa - VirtBoard.RamBase), length));

    [Test]
    public void ReadcReturnsTheInputInOrderThenMinusOneWithEio()
    {
        var board = Board("ab");
        Assert.That(Call(board, Semihosting.SYS_READC, 0), Is.EqualTo('a'));
        Assert.That(Call(board, Semihosting.SYS_READC, 0), Is.EqualTo('b'));
        Assert.That(Call(board, Semihosting.SYS_READC, 0), Is.EqualTo(ulong.MaxValue), "end of input: -1 (QEMU would wait)");
        Assert.That(Call(board, Semihosting.SYS_ERRNO, 0), Is.EqualTo(Semihosting.EIO));
    }

    [Test]
    public void UartAndSemihostingReadOneStreamInOrder()
    {
        // The first byte is already in the UART's 1-deep holding register; READC takes it from there, as a UARTDR read.
        var board = Board("xyz");
        Assert.That(board.Bus.Read(VirtBoard.Uart0Base + Pl011.UARTDR, 4, out ulong dr) ? dr : 0, Is.EqualTo('x'));
        Assert.That(Call(board, Semihosting.SYS_READC, 0), Is.EqualTo('y'));
        Assert.That(board.Bus.Read(VirtBoard.Uart0Base + Pl011.UARTDR, 4, out dr) ? dr : 0, Is.EqualTo('z'));
        board.Bus.Read(VirtBoard.Uart0Base + Pl011.UARTFR, 4, out ulong fr);
        Assert.That(fr & Pl011.FlagRxfe, Is.EqualTo(Pl011.FlagRxfe), "all consumed");
        Assert.That(Call(board, Semihosting.SYS_READC, 0), Is.EqualTo(ulong.MaxValue));
    }

    [Test]
    public void ReadTakesUpToLengthAndReturnsTheBytesNotRead()
    {
        var board = Board("hello\nworld\n");
        ulong h = OpenTt(board, 0);
        Assert.That(Read(board, h, Buffer, 6), Is.Zero);
        Assert.That(Ram(board, Buffer, 6), Is.EqualTo("hello\n"));
        Assert.That(Read(board, h, Buffer, 64), Is.EqualTo(58), "what the input holds: 6 of 64");
        Assert.That(Ram(board, Buffer, 6), Is.EqualTo("world\n"));
        Assert.That(Read(board, h, Buffer, 64), Is.EqualTo(64), "end of file: nothing read");
        Assert.That(Read(board, h, Buffer, 0), Is.Zero);
    }

    [Test]
    public void ReadOnABadHandleOrBufferReadsNothingAndKeepsTheInput()
    {
        // QEMU 7.2.22 run: READ on handle 77, on a ":tt" write handle and into 0x1_0000_0000 return 5 with errno 0.
        var board = Board("q");
        ulong w = OpenTt(board, 4), r = OpenTt(board, 0);
        Assert.That(Read(board, 77, Buffer, 5), Is.EqualTo(5));
        Assert.That(Read(board, w, Buffer, 5), Is.EqualTo(5));
        Assert.That(Read(board, r, 0x1_0000_0000, 5), Is.EqualTo(5));
        Assert.That(Read(board, r, Buffer, ulong.MaxValue), Is.EqualTo(ulong.MaxValue), "longer than RAM: refused without allocating");
        Assert.That(Call(board, Semihosting.SYS_ERRNO, 0), Is.Zero);
        Assert.That(Call(board, Semihosting.SYS_READC, 0), Is.EqualTo('q'), "no input was taken");
    }
}

/// <summary>
/// Guest programs reading a line with SYS_READC and lines with SYS_READ, on Aegis.Emu and on qemu-system-aarch64
/// 7.2.22. QEMU takes READC input from the semihosting chardev (-semihosting-config chardev=) and READ input on ":tt"
/// from its own stdin; both are the test's input here, as the UART input is on Aegis.Emu.
/// </summary>
[Category("Reference")]
public class SemihostingInputQemuTests
{
    private const string Input = "hello\nworld\n";

    [Test]
    public void ReadcEchoesALineAsOnQemu()
    {
        // A READC that waits for input returns 0 on QEMU 7.2.22 (the first one here always waits): NULs are skipped.
        const string body = """
            static volatile char c1[2];
            for (;;) { u64 c = semi(7, 0); if (c == 0) continue; c1[0] = (char)c; semi(3, (u64)c1); if (c == '\n') break; }
            kv("next_readc", semi(7, 0));
            """;
        var elf = BareMetalProbe.BuildElf(body);
        var (stdout, _) = RunQemu(elf, "-chardev stdio,id=c0 -semihosting-config enable=on,target=native,chardev=c0");
        Assert.That(stdout, Is.EqualTo("hello\nnext_readc=0x77\n"), "QEMU's transcript");
        Assert.That(RunAegis(elf), Is.EqualTo(stdout));
    }

    [Test]
    public void ReadEchoesTheInputAsOnQemu()
    {
        const string body = """
            static volatile u64 blk[3]; static volatile char buf[64];
            blk[0] = (u64)":tt"; blk[1] = 0; blk[2] = 3; u64 h = semi(1, (u64)blk);
            blk[0] = (u64)":tt"; blk[1] = 4; blk[2] = 3; u64 w = semi(1, (u64)blk);
            blk[0] = h; blk[1] = (u64)buf; blk[2] = 64; u64 left = semi(6, (u64)blk); kv("READ", left);
            blk[0] = w; blk[1] = (u64)buf; blk[2] = 64 - left; semi(5, (u64)blk);
            blk[0] = h; blk[1] = (u64)buf; blk[2] = 64; kv("READ_at_end", semi(6, (u64)blk));
            """;
        var elf = BareMetalProbe.BuildElf(body);
        var (stdout, stderr) = RunQemu(elf, "-semihosting");
        // QEMU writes ":tt" handles to its stdout and SYS_WRITE0 to its stderr; Aegis.Emu sends both to the console.
        Assert.That(stderr, Is.EqualTo("READ=0x34\nREAD_at_end=0x40\n"), "QEMU's transcript (stderr)");
        Assert.That(stdout, Is.EqualTo(Input), "QEMU's transcript (stdout)");
        Assert.That(RunAegis(elf), Is.EqualTo("READ=0x34\n" + Input + "READ_at_end=0x40\n"));
    }

    private static string RunAegis(byte[] elf)
    {
        var board = new VirtBoard();
        var output = new StringBuilder();
        board.ConsoleOutput = b => output.Append((char)b);
        board.LoadElf(elf);
        board.Uart.Receive(Encoding.ASCII.GetBytes(Input));
        Assert.That(board.Cpu.Run(10_000_000), Is.EqualTo(StopReason.GuestExit), output.ToString());
        return output.ToString();
    }

    /// <summary>QEMU with the input on its stdin, nothing else reading it (no serial, monitor or display).</summary>
    private static (string Stdout, string Stderr) RunQemu(byte[] elf, string semihosting)
    {
        string path = Path.Combine(Path.GetTempPath(), $"aegis-semi-{Guid.NewGuid():N}.elf");
        File.WriteAllBytes(path, elf);
        try
        {
            var psi = new ProcessStartInfo(ReferenceTools.Require(ReferenceTools.QemuSystem),
                $"-M virt -cpu cortex-a53 -display none -nic none -monitor none -serial none {semihosting} -kernel {path}")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardInput.Write(Input);
            p.StandardInput.Close();
            if (!p.WaitForExit(30_000)) { p.Kill(true); throw new TimeoutException("qemu-system-aarch64 timed out"); }
            Assert.That(p.ExitCode, Is.Zero, stderr.Result);
            return (stdout.Result.Replace("\r\n", "\n"), stderr.Result);
        }
        finally { File.Delete(path); }
    }
}
