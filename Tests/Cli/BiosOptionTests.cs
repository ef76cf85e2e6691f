using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Cli;

/// <summary>`run --bios FILE`: raw firmware in flash bank 0, started at 0x0 as QEMU -bios; and its error lines.</summary>
public class BiosOptionTests
{
    private string _dir = "";

    [SetUp] public void SetUp() => _dir = Directory.CreateTempSubdirectory("aegis-bios-").FullName;
    [TearDown] public void TearDown() => Directory.Delete(_dir, true);

    private static (int Status, string Stdout, string Stderr) RunCli(params string[] args) => CliTests.RunCli(args);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Test]
    public void FirmwareRunsFromFlashUntilPsciSystemOff()
    {
        uint[] code = Llvm.Assemble("mov x1, #0x09000000", "mov w2, #'k'", "str w2, [x1]", "mov w2, #'\\n'", "str w2, [x1]",
            "ldr x0, =0x84000008", "hvc #0", "b .");
        var bytes = new byte[code.Length * 4];
        Buffer.BlockCopy(code, 0, bytes, 0, bytes.Length);
        var (status, stdout, stderr) = RunCli("run", "--bios", Write("fw.bin", bytes), "--timing", "simple");
        Assert.That(status, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo("k\n"));
        Assert.That(stderr, Does.StartWith("[aegis-emu] PSCI SYSTEM_OFF, status 0: "));
    }

    [Test]
    public void MissingFirmwareFile()
    {
        string path = Path.Combine(_dir, "none.bin");
        var (status, stdout, stderr) = RunCli("run", "--bios", path);
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Is.EqualTo($"aegis-emu: error: {path}: no such file\n"));
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    public void FirmwareLargerThanTheBankIsRefused()
    {
        string path = Write("big.bin", new byte[(64 << 20) + 1]);
        var (status, _, stderr) = RunCli("run", "--bios", path);
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(stderr, Is.EqualTo("aegis-emu: error: big.bin: the firmware image (67108865 bytes) does not fit flash bank 0 (67108864 bytes)\n"));
    }

    [Test]
    public void ElfAndBiosTogetherOrNeitherAreUsageErrors()
    {
        string fw = Write("fw.bin", new byte[4]);
        foreach (var args in new[] { new[] { "run", "x.elf", "--bios", fw }, new[] { "run" } })
        {
            var (status, _, stderr) = RunCli(args);
            Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage), string.Join(' ', args));
            Assert.That(stderr, Is.EqualTo("aegis-emu: error: give one of FILE.elf, --kernel IMAGE or --bios FILE\n"));
        }
        var (gdbStatus, _, gdbErr) = RunCli("run", "--bios", fw, "--gdb", "0");
        Assert.That(gdbStatus, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(gdbErr, Is.EqualTo("aegis-emu: error: --gdb needs an ELF FILE or a --kernel, not --bios\n"));
    }
}
