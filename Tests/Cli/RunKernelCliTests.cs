using System.Text;
using Aegis.Emulator.Devices.DeviceTree;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Cli;

/// <summary>`run --kernel/--initrd/--append/--dtb/--dumpdtb/--load`: what they load and their error lines.</summary>
public class RunKernelCliTests
{
    private string _dir = "";

    [SetUp] public void SetUp() => _dir = Directory.CreateTempSubdirectory("aegis-kernelcli-").FullName;
    [TearDown] public void TearDown() => Directory.Delete(_dir, true);

    private static (int Status, string Stdout, string Stderr) RunCli(params string[] args) => CliTests.RunCli(args);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A raw kernel (no Image header): prints the 4 bytes at 0x4010_0000 on the UART, then PSCI SYSTEM_OFF.</summary>
    private string RawKernel()
    {
        var words = Llvm.Assemble(
            "movz x1, #0x4010, lsl #16", "movz x2, #0x0900, lsl #16", "mov x3, #4",
            "1: ldrb w4, [x1], #1", "strb w4, [x2]", "subs x3, x3, #1", "b.ne 1b",
            "movz x0, #0x0008", "movk x0, #0x8400, lsl #16", "hvc #0", "b .");
        var bytes = new byte[words.Length * 4];
        Buffer.BlockCopy(words, 0, bytes, 0, bytes.Length);
        return Write("raw.bin", bytes);
    }

    private static void OneErrorLine(string stderr, string contains)
    {
        Assert.That(stderr, Does.StartWith("aegis-emu: error: ").And.Contain(contains));
        Assert.That(stderr.TrimEnd('\n'), Does.Not.Contain("\n"), "one line, no host exception");
    }

    [Test]
    public void RawKernelRunsWithABlobPlacedByLoad()
    {
        string blob = Write("blob", "OK!\n"u8.ToArray());
        var (status, stdout, stderr) = RunCli("run", "--kernel", RawKernel(), "--load", $"{blob}@0x40100000", "--timing", "simple");
        Assert.That(status, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo("OK!\n"));
        Assert.That(stderr, Does.Contain("PSCI SYSTEM_OFF"));
        var (decimalStatus, decimalOut, _) = RunCli("run", "--kernel", RawKernel(), "--load", $"{blob}@{0x4010_0000}");
        Assert.That((decimalStatus, decimalOut), Is.EqualTo((0, "OK!\n")), "a decimal address");
    }

    [Test]
    public void DumpDtbWritesTheBlobTheGuestGets()
    {
        string initrd = Write("initrd", new byte[5000]);
        string dtb = Path.Combine(_dir, "out.dtb");
        var (status, stdout, stderr) = RunCli("run", "--kernel", RawKernel(), "--initrd", initrd, "--append", "console=ttyAMA0 quiet", "--dumpdtb", dtb);
        Assert.That(status, Is.Zero, stderr);
        Assert.That(stdout, Is.Empty, "nothing ran");
        var chosen = FdtReader.Read(File.ReadAllBytes(dtb)).Find("/chosen")!;
        Assert.That(Encoding.ASCII.GetString(chosen.Get("bootargs")!), Is.EqualTo("console=ttyAMA0 quiet\0"));
        Assert.That(chosen.Get("linux,initrd-start"), Is.EqualTo(FdtNode.CellBytes(0x4400_0000)));
        Assert.That(chosen.Get("linux,initrd-end"), Is.EqualTo(FdtNode.CellBytes(0x4400_0000 + 5000)));
        Assert.That(stderr, Does.Contain("at 0x44200000"));
    }

    [Test]
    public void GivenDtbIsValidated()
    {
        var (status, _, stderr) = RunCli("run", "--kernel", RawKernel(), "--dtb", Write("bad.dtb", new byte[64]));
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        OneErrorLine(stderr, "not a devicetree blob: magic 0x00000000");
    }

    [TestCase(new string[0], "give one of FILE.elf, --kernel IMAGE or --bios FILE")]
    [TestCase(new[] { "x.elf", "--initrd", "i" }, "--initrd, --append and --dumpdtb go with --kernel")]
    [TestCase(new[] { "x.elf", "--dtb", "d" }, "--dtb goes with --kernel or --bios")]
    [TestCase(new[] { "--kernel", "/nonexistent/vmlinuz" }, "/nonexistent/vmlinuz: no such file")]
    public void UsageErrors(string[] args, string message)
    {
        var (status, _, stderr) = RunCli(["run", .. args]);
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        OneErrorLine(stderr, message);
    }

    [TestCase("BLOB", "expected FILE@ADDR")]
    [TestCase("BLOB@", "expected FILE@ADDR")]
    [TestCase("BLOB@0xZZ", "0xZZ is not an address")]
    [TestCase("BLOB@-5", "-5 is not an address")]
    [TestCase("BLOB@0x1000", "falls outside RAM")]
    [TestCase("BLOB@0x47FFFFFE", "falls outside RAM")]
    [TestCase("BLOB@0x40080000", "overlaps the kernel")]
    [TestCase("/nonexistent/blob@0x40100000", "/nonexistent/blob: no such file")]
    public void BadLoads(string spec, string message)
    {
        string blob = Write("blob", new byte[16]);
        var (status, _, stderr) = RunCli("run", "--kernel", RawKernel(), "--load", spec.Replace("BLOB", blob));
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        OneErrorLine(stderr, message);
    }

    [Test]
    public void CoverageNeedsAnElf()
    {
        var (status, _, stderr) = RunCli("run", "--kernel", RawKernel(), "--coverage", Path.Combine(_dir, "cov.info"));
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        OneErrorLine(stderr, "--coverage needs an ELF image");
    }

    [Test]
    public void KernelTooBigForRam()
    {
        string big = Write("big.bin", new byte[3 << 20]);
        var (status, _, stderr) = RunCli("run", "--kernel", big, "--ram-mib", "2");
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        OneErrorLine(stderr, "does not fit in RAM");
    }

    [Test]
    public void ElfKernelRunsAsFileAndTakesNoInitrd()
    {
        string elf = Write("k.elf", MinimalElf.Executable(0x4008_0000, 0x4008_0000, "\x00\x00\x00\x00"u8));
        var (status, _, stderr) = RunCli("run", "--kernel", elf, "--initrd", elf);
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        OneErrorLine(stderr, "an ELF kernel takes no --initrd");
    }
}
