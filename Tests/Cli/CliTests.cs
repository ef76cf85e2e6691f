using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Aegis.Emu;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Cli;

/// <summary>The command line's exit statuses and error lines, run in-process and as a process.</summary>
public class CliTests
{
    private string _dir = "";

    [SetUp] public void SetUp() => _dir = Directory.CreateTempSubdirectory("aegis-cli-").FullName;
    [TearDown] public void TearDown() => Directory.Delete(_dir, true);

    internal static (int Status, string Stdout, string Stderr) RunCli(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        int status = Emu.Cli.Run(args, stdout, stderr);
        return (status, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>A minimal ELF64 header with one PT_LOAD of <paramref name="code"/> at <paramref name="paddr"/>.</summary>
    private static byte[] Elf(ulong paddr, uint[] code, ushort machine = 183)
    {
        var file = new byte[64 + 56 + code.Length * 4];
        "\x7F"u8.CopyTo(file); "ELF"u8.CopyTo(file.AsSpan(1));
        file[4] = 2; file[5] = 1; file[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(16), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(18), machine);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(24), paddr);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(32), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(52), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(54), 56);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(56), 1);
        var ph = file.AsSpan(64);
        BinaryPrimitives.WriteUInt32LittleEndian(ph, 1);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[8..], 120);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], paddr);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], paddr);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], (ulong)code.Length * 4);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], (ulong)code.Length * 4);
        Buffer.BlockCopy(code, 0, file, 120, code.Length * 4);
        return file;
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Test]
    public void MissingFile()
    {
        string path = Path.Combine(_dir, "nope.elf");
        var (status, stdout, stderr) = RunCli("run", path);
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Is.EqualTo($"aegis-emu: error: {path}: no such file\n"));
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    public void DirectoryInsteadOfFile()
    {
        var (status, _, stderr) = RunCli("run", _dir);
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Is.EqualTo($"aegis-emu: error: {_dir}: is a directory, not an ELF file\n"));
    }

    [Test]
    public void NotAnAarch64Elf()
    {
        string path = Write("x86.elf", Elf(0x4000_0000, [0], machine: 62));
        var (status, _, stderr) = RunCli("run", path);
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Is.EqualTo("aegis-emu: error: x86.elf: wrong machine: x86-64 (e_machine 62); expected AArch64 (e_machine 183)\n"));
    }

    [Test]
    public void TextFileIsNotAnElf()
    {
        string path = Write("notes.txt", Encoding.ASCII.GetBytes("hello"));
        var (status, _, stderr) = RunCli("run", path);
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Is.EqualTo("aegis-emu: error: notes.txt: not an ELF file: 5 bytes, shorter than an ELF64 header\n"));
    }

    [Test]
    public void SegmentOutsideRamDependsOnRamSize()
    {
        string path = Write("high.elf", Elf(0x4900_0000, [0]));
        var (status, _, stderr) = RunCli("run", path);
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Is.EqualTo("aegis-emu: error: high.elf: segment 0 at 0x49000000 (size 0x4) falls outside RAM 0x40000000-0x47FFFFFF\n"));
        var (status2, _, stderr2) = RunCli("run", path, "--ram-mib", "512", "--max-instructions", "0");
        Assert.That(stderr2, Does.StartWith("[aegis-emu] instruction limit reached: 0 instructions"), "512 MiB reaches 0x49000000");
        Assert.That(status2, Is.EqualTo(Emu.Cli.ExitInstructionLimit));
    }

    [TestCase("0")]
    [TestCase("4096")]
    public void RamSizeOutOfRange(string mib)
    {
        string path = Write("ok.elf", Elf(0x4000_0000, [0]));
        var (status, _, stderr) = RunCli("run", path, "--ram-mib", mib);
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Is.EqualTo($"aegis-emu: error: --ram-mib {mib} is out of range: 1 to 2047\n"));
    }

    [Test]
    public void DemoRunsTheBundledDemo()
    {
        // The demo is samples/bin/hello-O2.elf; its output is checked against QEMU in Tests/Guests.
        var (status, stdout, stderr) = RunCli("demo");
        Assert.That(status, Is.Zero);
        Assert.That(stdout, Does.StartWith("Hello from Aegis.Emu guest land!\n"));
        Assert.That(stderr, Does.StartWith("[aegis-emu] guest exit, status 0: "));
    }

    [Test]
    public void NoArgumentsBootsTheBundledAegisOs()
    {
        // The bundled image is Kernel.Image/bin/aegis.elf, whose boot lines are checked against QEMU in
        // Tests/Kernel/Boot, with the bundled boot bundle (UserImages/bin/bundle.bin, phase O). 300 ms of guest time
        // (3e8 cycles at 1 GHz) reach the J4:UserDrv ping-pong (sensor and logger run first, about 20 ticks).
        var (status, stdout, stderr) = RunCli("--seconds", "0.3");
        Assert.That(status, Is.Zero, stderr);
        Assert.That(stdout, Does.StartWith("\n[AegisOS] boot\n"));
        // The demo tasks print at a human rate (issue 13): the client's first round-trip report, the logger's first 16
        // readings; then counts every 0.5 s of guest time.
        Assert.That(stdout, Does.Contain("\nJ4:UserDrv round trips: 1\n"));
        Assert.That(stdout, Does.Contain("LOGGER:init LOG:0 "));
        Assert.That(stdout, Does.Contain("LOG:e LOG:f\n"));
        Assert.That(stdout.Split('\n'), Has.Length.LessThan(40), stdout);
        Assert.That(stderr, Does.Not.Contain("\r"), "no progress line when stderr is not the terminal");
        Assert.That(stderr, Does.StartWith("\n[aegis-emu] aegis.elf: time limit reached after 0.3"));
        var m = System.Text.RegularExpressions.Regex.Match(stderr, @"\n\[aegis-emu\] (\d+) instructions, (\d+) cycles, [\d.]+ s host, [\d.]+ guest MIPS\n");
        Assert.That(m.Success, stderr);
        // The run stops at the first step at or past the limit; a WFI may jump the clock up to one 10 ms tick beyond it.
        Assert.That(ulong.Parse(m.Groups[2].Value), Is.InRange(300_000_000UL, 310_000_000UL));
        Assert.That(stderr, Does.Match(@"\n2 +hello +Exited +\d+ +\d+ +4\n"), "hello: WRITE, YIELD, YIELD, EXIT");
        Assert.That(stderr, Does.Match(@"\n0 +uart_driver +(Running|Ready|Blocked) +\d+ +\d+ +[1-9]\d*\n"), "the driver made syscalls");
        Assert.That(stderr, Does.Match(@"\n5 +reserved +Inactive +0 +0 +0\n"), "REFERENCE §4.6: tasks 5-6 are Inactive");
    }

    [Test]
    public void BootRejectsBothTimeLimits()
    {
        var (status, _, stderr) = RunCli("boot", "--seconds", "1", "--max-cycles", "5");
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Is.EqualTo("aegis-emu: error: give --seconds or --max-cycles, not both\n"));
    }

    [Test]
    public void BootRejectsANonAegisImage()
    {
        // A loadable AArch64 ELF without section headers, hence without the kernel's current_task / tcbs symbols.
        string path = Write("plain.elf", Elf(0x4008_0000, [0xD503207F]));
        var (status, _, stderr) = RunCli("boot", path);
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Is.EqualTo("aegis-emu: error: plain.elf: not an AegisOS kernel: no current_task / tcbs symbols\n"));
    }

    [TestCase("current_task", 0x1000UL, TestName = "BootRejectsAKernelWhoseSymbolIsOutsideRam(current_task)")]
    [TestCase("tcbs", 0x4800_0000UL, TestName = "BootRejectsAKernelWhoseSymbolIsOutsideRam(tcbs)")]
    public void BootRejectsAKernelWhoseSymbolIsOutsideRam(string symbol, ulong address)
    {
        // Issue 10, point 6: `boot` reads current_task and tcbs from RAM at the image's symbol addresses. Before the
        // fix, current_task outside RAM ended in an unhandled ArgumentOutOfRangeException and a stack trace.
        var image = Emu.KernelGuest.Load()!.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(Kernel.Scenarios.ElfSymbols.ValueOffset(image, symbol)), address);
        string path = Write("moved.elf", image);
        var (status, _, stderr) = RunCli("boot", path, "--max-cycles", "1000", "--no-bundle");
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Is.EqualTo($"aegis-emu: error: moved.elf: {symbol} at 0x{address:X} is outside RAM\n"));
    }

    [Test]
    public void GuestExitStatusAndConsoleOutput()
    {
        // A guest that prints with semihosting and the UART, then exits with SYS_EXIT subcode 3.
        var code = Llvm.Assemble(
            "adr x1, msg", "mov x0, #4", "hlt #0xf000",
            "mov x2, #0x09000000", "mov w3, #'U'", "str w3, [x2]", "mov w3, #10", "str w3, [x2]",
            "adr x1, blk", "mov x0, #0x18", "hlt #0xf000", "b .",
            "msg: .asciz \"hi\\n\"", ".balign 8", "blk: .quad 0x20026, 3");
        string path = Write("guest.elf", Elf(0x4008_0000, code));
        var (status, stdout, stderr) = RunCli("run", path, "--max-instructions", "1000");
        Assert.That(stdout, Is.EqualTo("hi\nU\n"));
        Assert.That(status, Is.EqualTo(3));
        Assert.That(stderr, Does.Match(@"^\[aegis-emu\] guest exit, status 3: \d+ instructions, \d+ cycles, [\d.]+ s host, [\d.]+ guest MIPS\n" +
            @"\[aegis-emu\] timing a53: \d+ cycles, \d+ instructions, IPC [\d.]+; L1I miss .*, dual-issued .*\n" +
            @"\[aegis-emu\] translator: \d+ blocks of \d+ guest instructions in the cache .*, \d+ blocks run, \d+ left at a prediction\n$")); // the default engine
    }

    [Test]
    public void TimingSelectsTheModelThatOwnsTheClock()
    {
        // The same 11-instruction guest: one cycle each under simple; the A53 model (the default) charges its own.
        var code = Llvm.Assemble("mov x9, #1", "mul x0, x9, x9", "mul x0, x0, x9", "adr x1, blk", "mov x0, #0x18", "hlt #0xf000", "b .",
            ".balign 8", "blk: .quad 0x20026, 0");
        string path = Write("timed.elf", Elf(0x4008_0000, code));
        var (status, _, stderr) = RunCli("run", path, "--timing", "simple");
        Assert.That(status, Is.Zero, stderr);
        var m = System.Text.RegularExpressions.Regex.Match(stderr, @"\[aegis-emu\] timing simple: (\d+) cycles, (\d+) instructions, IPC 1\.000\n");
        Assert.That(m.Success, stderr);
        Assert.That(m.Groups[1].Value, Is.EqualTo(m.Groups[2].Value));
        (status, _, stderr) = RunCli("run", path);
        Assert.That(status, Is.Zero, stderr);
        m = System.Text.RegularExpressions.Regex.Match(stderr, @"\[aegis-emu\] timing a53: (\d+) cycles, (\d+) instructions");
        Assert.That(m.Success, stderr);
        Assert.That(ulong.Parse(m.Groups[1].Value), Is.GreaterThan(ulong.Parse(m.Groups[2].Value)), "MMU and caches off: every fetch and access goes to memory");
        (status, _, stderr) = RunCli("run", path, "--timing", "fast");
        Assert.That(status, Is.Not.Zero, "a parse error");
        Assert.That(stderr, Does.Contain("fast"));
        // The pipeline view is the A53 model's timeline: with simple it is a usage error.
        string view = Path.Combine(Path.GetDirectoryName(path)!, "timed.kanata");
        (status, _, stderr) = RunCli("run", path, "--timing", "simple", "--pipeview", view);
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Is.EqualTo("aegis-emu: error: --pipeview needs the a53 timing model (--timing a53); this run uses 'simple'\n"));
        (status, _, stderr) = RunCli("run", path, "--pipeview", view);
        Assert.That(status, Is.Zero, stderr);
        Assert.That(File.ReadAllText(view), Does.StartWith("Kanata\t0004\n"));
    }

    [Test]
    public void UartInputIsEchoedByAGuest()
    {
        // The guest echoes UART input until its receive FIFO is empty (FR.RXFE), then exits with status 0.
        var code = Llvm.Assemble(
            "mov x2, #0x09000000",
            "loop: ldr w3, [x2, #0x18]", "tbnz w3, #4, done", "ldr w3, [x2]", "str w3, [x2]", "b loop",
            "done: adr x1, blk", "mov x0, #0x18", "hlt #0xf000", "b .",
            ".balign 8", "blk: .quad 0x20026, 0");
        string path = Write("echo.elf", Elf(0x4008_0000, code));
        string input = Write("input.txt", Encoding.ASCII.GetBytes("echo me, please!\n"));
        var (status, stdout, _) = RunCli("run", path, "--uart-input", input, "--max-instructions", "100000");
        Assert.That(stdout, Is.EqualTo("echo me, please!\n"), "more than the 1-byte holding register: host bytes wait, none lost");
        Assert.That(status, Is.Zero);
    }

    [Test]
    public void MissingUartInput()
    {
        string path = Write("ok.elf", Elf(0x4000_0000, [0]));
        var (status, _, stderr) = RunCli("run", path, "--uart-input", Path.Combine(_dir, "none.txt"));
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Does.StartWith($"aegis-emu: error: cannot read UART input {Path.Combine(_dir, "none.txt")}: "));
        Assert.That(stderr.TrimEnd('\n'), Does.Not.Contain("\n"));
    }

    [Test]
    public void ProcessExitStatusAndErrorLine()
    {
        // The real entry point, as a user runs it: dotnet Aegis.Emu.dll run MISSING.
        string dll = EmuExecutable.Dll;
        string path = Path.Combine(_dir, "missing.elf");
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" run \"{path}\"")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
        Assert.That(p.WaitForExit(60_000), Is.True);
        Assert.That(p.ExitCode, Is.EqualTo(2));
        Assert.That(stderr, Is.EqualTo($"aegis-emu: error: {path}: no such file\n"));
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    public void BadOptionValueIsAParseError()
    {
        var (status, _, stderr) = RunCli("run", "x.elf", "--max-instructions", "lots");
        Assert.That(status, Is.Not.Zero);
        Assert.That(stderr, Does.Contain("lots"));
    }
}
