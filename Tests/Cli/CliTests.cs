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

    private static (int Status, string Stdout, string Stderr) RunCli(params string[] args)
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
    public void NoArgumentsRunsTheDemoOrSaysHowToGetOne()
    {
        var (status, _, stderr) = RunCli();
        if (DemoGuest.Load() is null)
        {
            Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
            Assert.That(stderr, Does.StartWith("aegis-emu: this build bundles no demo guest (embedded resource \"demo.elf\")."));
            Assert.That(stderr, Does.Contain("Aegis.Emu/demo.elf"));
        }
        else Assert.That(stderr, Does.Contain("[aegis-emu] "), "the bundled demo ran and printed its summary");
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
        if (Aegis.Emulator.Cpu.Decoding.Decoder.RowOf(0xD45E_0000).Name == "UNDEFINED") Assert.Ignore("HLT is not decoded on this branch yet");
        string path = Write("guest.elf", Elf(0x4008_0000, code));
        var (status, stdout, stderr) = RunCli("run", path, "--max-instructions", "1000");
        Assert.That(stdout, Is.EqualTo("hi\nU\n"));
        Assert.That(status, Is.EqualTo(3));
        Assert.That(stderr, Does.Match(@"^\[aegis-emu\] guest exit, status 3: \d+ instructions, \d+ cycles, [\d.]+ s host, [\d.]+ guest MIPS\n$"));
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
        if (Aegis.Emulator.Cpu.Decoding.Decoder.RowOf(0xD45E_0000).Name == "UNDEFINED") Assert.Ignore("HLT is not decoded on this branch yet");
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
        string dll = typeof(Emu.Cli).Assembly.Location;
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
