using System.Text;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>
/// Semihosting through the board's firmware (HLT #0xF000), called directly with registers and parameter
/// blocks set up in RAM. Expected values come from a qemu-system-aarch64 7.2 -semihosting run of the same
/// calls (the probe in SemihostingQemuReferenceTests re-checks the ones that do not depend on host time).
/// </summary>
public class SemihostingTests
{
    private const ulong Block = 0x4010_0000, Text = 0x4010_1000, Heap = 0x4010_2000;

    private sealed class Rig
    {
        public readonly VirtBoard Board = new();
        public readonly List<byte> Out = new();
        public Cpu Cpu => Board.Cpu;
        public Rig()
        {
            Board.Cpu.Reset(VirtBoard.RamBase);
            Board.ConsoleOutput = Out.Add;
        }
        public string Output => Encoding.ASCII.GetString(Out.ToArray());
        public void Bytes(ulong pa, string s) => Board.Bus.Load(pa, Encoding.ASCII.GetBytes(s + "\0"));
        public void Words(ulong pa, params ulong[] words) { for (int i = 0; i < words.Length; i++) Board.Bus.Write(pa + (ulong)i * 8, 8, words[i]); }
        public ulong Word(ulong pa) { Board.Bus.Read(pa, 8, out ulong v); return v; }
        public ulong Call(uint op, ulong arg)
        {
            Cpu.X[0] = op; Cpu.X[1] = arg;
            Assert.That(Board.Firmware.Hlt(Cpu, 0xF000), Is.True);
            return Cpu.X[0];
        }
        public ulong Open(string name, ulong mode) { Bytes(Text + 0x800, name); Words(Block, Text + 0x800, mode, (ulong)name.Length); return Call(Semihosting.SYS_OPEN, Block); }
        public ulong Write(ulong handle, string s) { Bytes(Text, s); Words(Block, handle, Text, (ulong)s.Length); return Call(Semihosting.SYS_WRITE, Block); }
    }

    [Test]
    public void WritecAndWrite0PrintAndCorruptX0()
    {
        // QEMU 7.2: SYS_WRITEC prints the byte at [X1], SYS_WRITE0 the string at X1; both leave X0 = 0xDEADBEEF.
        var r = new Rig();
        r.Bytes(Text, "C");
        Assert.That(r.Call(Semihosting.SYS_WRITEC, Text), Is.EqualTo(0xDEAD_BEEF));
        r.Bytes(Text, "hello0\n");
        Assert.That(r.Call(Semihosting.SYS_WRITE0, Text), Is.EqualTo(0xDEAD_BEEF));
        Assert.That(r.Output, Is.EqualTo("Chello0\n"));
    }

    [Test]
    public void OutputFollowsTheUartSinkByDefault()
    {
        var board = new VirtBoard();
        board.Cpu.Reset(VirtBoard.RamBase);
        var sink = new List<byte>();
        board.Uart.Transmit = sink.Add; // set on the UART only
        board.Bus.Load(Text, "ab\0"u8);
        board.Cpu.X[0] = Semihosting.SYS_WRITE0; board.Cpu.X[1] = Text;
        board.Firmware.Hlt(board.Cpu, 0xF000);
        Assert.That(sink, Is.EqualTo("ab"u8.ToArray()));
    }

    [Test]
    public void Write0FromUnreadableMemoryPrintsNothing()
    {
        var r = new Rig();
        Assert.That(r.Call(Semihosting.SYS_WRITE0, 0x1_0000_0000), Is.EqualTo(0xDEAD_BEEF));
        Assert.That(r.Output, Is.Empty);
    }

    [Test]
    public void ConsoleHandlesComeFromOpeningTt()
    {
        // QEMU 7.2 run: WRITE to handle 1 before any open returns 3 (nothing written); OPEN ":tt" with modes
        // 4, 0, 8 returns 1, 2, 3; WRITE to a write handle returns 0; to the read handle 3; ERRNO stays 0.
        var r = new Rig();
        Assert.That(r.Write(1, "w1\n"), Is.EqualTo(3));
        Assert.That(r.Call(Semihosting.SYS_ERRNO, 0), Is.Zero);
        ulong hw = r.Open(":tt", 4), hr = r.Open(":tt", 0), ha = r.Open(":tt", 8);
        Assert.That(new[] { hw, hr, ha }, Is.EqualTo(new ulong[] { 1, 2, 3 }));
        Assert.That(r.Write(hw, "w1\n"), Is.Zero);
        Assert.That(r.Write(ha, "w2\n"), Is.Zero);
        Assert.That(r.Write(hr, "w0\n"), Is.EqualTo(3));
        Assert.That(r.Output, Is.EqualTo("w1\nw2\n"));
    }

    [Test]
    public void CloseIsttyAndErrno()
    {
        // QEMU 7.2 run: ISTTY(77) = -1 with errno 9 (EBADF); CLOSE(h) = 0; WRITE on the closed handle returns
        // its length; a reopened ":tt" gets the freed handle 1 again.
        var r = new Rig();
        ulong h = r.Open(":tt", 4);
        r.Words(Block, 77);
        Assert.That(r.Call(Semihosting.SYS_ISTTY, Block), Is.EqualTo(ulong.MaxValue));
        Assert.That(r.Call(Semihosting.SYS_ERRNO, 0), Is.EqualTo(9));
        r.Words(Block, h);
        Assert.That(r.Call(Semihosting.SYS_ISTTY, Block), Is.EqualTo(1), "our console is a terminal (QEMU asks the host)");
        r.Words(Block, h);
        Assert.That(r.Call(Semihosting.SYS_CLOSE, Block), Is.Zero);
        Assert.That(r.Write(h, "xyz"), Is.EqualTo(3));
        Assert.That(r.Open(":tt", 4), Is.EqualTo(1));
        Assert.That(r.Open("/etc/passwd", 0), Is.EqualTo(ulong.MaxValue), "no host files");
        Assert.That(r.Call(Semihosting.SYS_ERRNO, 0), Is.EqualTo(2));
    }

    [Test]
    public void WriteLongerThanRamIsRefusedWithoutAllocating()
    {
        var r = new Rig();
        ulong h = r.Open(":tt", 4);
        r.Words(Block, h, Text, 0x7FFF_FFFF_FFFF);
        Assert.That(r.Call(Semihosting.SYS_WRITE, Block), Is.EqualTo(0x7FFF_FFFF_FFFF), "nothing written");
        Assert.That(r.Output, Is.Empty);
    }

    [Test]
    public void IsError()
    {
        // QEMU 7.2 run: ISERROR(-5) = 1, ISERROR(5) = 0.
        var r = new Rig();
        r.Words(Block, unchecked((ulong)-5L));
        Assert.That(r.Call(Semihosting.SYS_ISERROR, Block), Is.EqualTo(1));
        r.Words(Block, 5);
        Assert.That(r.Call(Semihosting.SYS_ISERROR, Block), Is.Zero);
    }

    [Test]
    public void HeapInfoDescribesRamAboveTheImage()
    {
        // QEMU 7.2 run of an image ending at 0x40092D10 with 128 MiB: heap base 0x40092D10, heap limit
        // 0x48000000, stack base 0x48000000, stack limit 0x40092D10. X1 points at a pointer to the block.
        var r = new Rig();
        r.Board.Semihosting.ImageEnd = 0x4009_2D10;
        r.Words(Block, Heap);
        Assert.That(r.Call(Semihosting.SYS_HEAPINFO, Block), Is.Zero);
        Assert.That(new[] { r.Word(Heap), r.Word(Heap + 8), r.Word(Heap + 16), r.Word(Heap + 24) },
            Is.EqualTo(new ulong[] { 0x4009_2D10, 0x4800_0000, 0x4800_0000, 0x4009_2D10 }));
    }

    [Test]
    public void ClocksCountMachineCycles()
    {
        // Deterministic by design (QEMU reads host clocks): 2.5e9 cycles at 1 GHz.
        var r = new Rig();
        r.Cpu.WarpClock(2_500_000_000);
        Assert.That(r.Call(Semihosting.SYS_CLOCK, 0), Is.EqualTo(250), "centiseconds");
        Assert.That(r.Call(Semihosting.SYS_TIME, 0), Is.EqualTo(2), "seconds since the epoch");
        Assert.That(r.Call(Semihosting.SYS_TICKFREQ, 0), Is.EqualTo(1_000_000_000));
        Assert.That(r.Call(Semihosting.SYS_ELAPSED, Block), Is.Zero, "QEMU 7.2 returns 0 and writes the count");
        Assert.That(r.Word(Block), Is.EqualTo(2_500_000_000));
    }

    [TestCase(0x20026UL, 5UL, 5)]
    [TestCase(0x20026UL, 300UL, 300)]
    [TestCase(0x20023UL, 5UL, 1)]
    public void ExitUsesTheParameterBlock(ulong reason, ulong subcode, int status)
    {
        // QEMU 7.2 runs: SYS_EXIT {0x20026, 5} -> status 5; {0x20023, 5} -> 1; SYS_EXIT_EXTENDED {0x20026, 300}
        // -> 300 (the host process sees 300 & 0xFF = 44).
        foreach (uint op in new[] { Semihosting.SYS_EXIT, Semihosting.SYS_EXIT_EXTENDED })
        {
            var r = new Rig();
            r.Words(Block, reason, subcode);
            r.Call(op, Block);
            Assert.That(r.Cpu.StopRequest, Is.EqualTo(StopReason.GuestExit));
            Assert.That(r.Cpu.ExitCode, Is.EqualTo(status));
        }
    }

    [Test]
    public void ExitWithAnUnreadableBlockFailsWithEfault()
    {
        // QEMU 7.2 run: SYS_EXIT with X1 = 0x100000000 returns -1 and SYS_ERRNO then gives 14.
        var r = new Rig();
        Assert.That(r.Call(Semihosting.SYS_EXIT, 0x1_0000_0000), Is.EqualTo(ulong.MaxValue));
        Assert.That(r.Cpu.StopRequest, Is.Null);
        Assert.That(r.Call(Semihosting.SYS_ERRNO, 0), Is.EqualTo(14));
    }

    [Test]
    public void UnsupportedOperationFailsWithoutTouchingTheHost()
    {
        var r = new Rig();
        Assert.That(r.Call(0x12 /* SYS_SYSTEM */, Block), Is.EqualTo(ulong.MaxValue));
        Assert.That(r.Call(Semihosting.SYS_ERRNO, 0), Is.EqualTo(Semihosting.ENOSYS));
    }

    [Test]
    public void OnlyHlt0xF000AboveEl0IsSemihosting()
    {
        // QEMU: semihosting_enabled(is_user) is false at EL0 by default, and other HLT immediates UNDEF.
        var r = new Rig();
        r.Cpu.X[0] = Semihosting.SYS_ERRNO;
        Assert.That(r.Board.Firmware.Hlt(r.Cpu, 0xF001), Is.False);
        r.Cpu.SetExceptionLevel(0, false);
        Assert.That(r.Board.Firmware.Hlt(r.Cpu, 0xF000), Is.False);
        Assert.That(r.Cpu.X[0], Is.EqualTo(Semihosting.SYS_ERRNO));
    }

    [Test]
    public void AssembledHltPrintsAndExits()
    {
        // End to end through the CPU's HLT handler (another part of the machine); skipped until it decodes HLT.
        var code = Llvm.Assemble(
            "adr x1, msg", "mov x0, #4", "hlt #0xf000",
            "adr x1, blk", "mov x0, #0x18", "hlt #0xf000", "b .",
            "msg: .asciz \"semi ok\\n\"", ".balign 8",
            "blk: .quad 0x20026, 7");
        var h = new CpuHarness(code);
        var output = new List<byte>();
        h.Board.ConsoleOutput = output.Add;
        var reason = h.Cpu.Run(100);
        Assert.That(reason, Is.EqualTo(StopReason.GuestExit));
        Assert.That(h.Cpu.ExitCode, Is.EqualTo(7));
        Assert.That(Encoding.ASCII.GetString(output.ToArray()), Is.EqualTo("semi ok\n"));
    }
}

[Category("Reference")]
public class SemihostingQemuReferenceTests
{
    [Test]
    public void QemuAnswersAsRecorded()
    {
        // Checks the claims above on qemu-system-aarch64 7.2 (output of kv() and SYS_WRITEs both go to its stderr).
        const string body = """
            static u64 blk[4]; static u64 hb[4]; static char c = 'C';
            kv("WRITEC", semi(3, (u64)&c));
            blk[0] = 1; blk[1] = (u64)"w1\n"; blk[2] = 3; kv("WRITE_unopened", semi(5, (u64)blk)); kv("ERRNO0", semi(0x13, 0));
            blk[0] = (u64)":tt"; blk[1] = 4; blk[2] = 3; u64 h = semi(1, (u64)blk); kv("OPEN_w", h);
            blk[0] = (u64)":tt"; blk[1] = 0; blk[2] = 3; kv("OPEN_r", semi(1, (u64)blk));
            blk[0] = 77; kv("ISTTY_bad", semi(9, (u64)blk)); kv("ERRNO_bad", semi(0x13, 0));
            blk[0] = (u64)-5; kv("ISERROR", semi(8, (u64)blk));
            u64 p = (u64)hb; kv("HEAPINFO", semi(0x16, (u64)&p)); kv("heap_limit", hb[1]); kv("stack_base", hb[2]);
            kv("stack_limit_is_heap_base", hb[3] == hb[0]);
            blk[0] = h; kv("CLOSE", semi(2, (u64)blk)); blk[0] = (u64)":tt"; blk[1] = 4; blk[2] = 3; kv("REOPEN", semi(1, (u64)blk));
            kv("EXIT_bad_block", semi(0x18, 0x100000000UL)); kv("ERRNO_efault", semi(0x13, 0));
            """;
        const string expected = """
            CWRITEC=0xdeadbeef
            WRITE_unopened=0x3
            ERRNO0=0x0
            OPEN_w=0x1
            OPEN_r=0x2
            ISTTY_bad=0xffffffffffffffff
            ERRNO_bad=0x9
            ISERROR=0x1
            HEAPINFO=0x0
            heap_limit=0x48000000
            stack_base=0x48000000
            stack_limit_is_heap_base=0x1
            CLOSE=0x0
            REOPEN=0x1
            EXIT_bad_block=0xffffffffffffffff
            ERRNO_efault=0xe

            """;
        Assert.That(BareMetalProbe.RunOnQemu(body), Is.EqualTo(expected));
    }
}
