using Aegis.Emulator.Devices;
using Aegis.Emulator.Mmu;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>
/// Accesses to offsets with no register (QEMU's "Bad offset" guest errors): the guest gets what it got before (what
/// QEMU 7.2 gives: the transcripts of <see cref="Pl011Tests"/> and <see cref="GicV2Tests"/>), and the access is
/// reported only to a board given a log (`--log guest-errors` on the command line).
/// </summary>
public class GuestErrorTests
{
    private sealed class Collect : IGuestErrorLog
    {
        public readonly List<GuestError> Errors = new();
        public void Report(in GuestError error) => Errors.Add(error);
    }

    /// <summary>(address, size, write, the access QEMU logs as a bad offset)</summary>
    private static readonly (ulong Address, int Size, bool Write, bool Bad)[] Accesses =
    [
        (VirtBoard.Uart0Base + 0x4C, 4, false, true),        // reserved
        (VirtBoard.Uart0Base + 0x3C, 4, true, true),         // UARTRIS is read-only
        (VirtBoard.Uart0Base + 0xFE0, 4, true, true),        // the IDs are read-only
        (VirtBoard.Uart0Base + 0x018, 4, true, false),       // UARTFR: writes ignored without a log in QEMU
        (VirtBoard.Uart0Base + 0xFE0, 1, false, false),      // UARTPeriphID0
        (VirtBoard.GicDistributorBase + 0x00C, 4, false, true),  // reserved after GICD_IIDR
        (VirtBoard.GicDistributorBase + 0x004, 4, true, true),   // GICD_TYPER is read-only
        (VirtBoard.GicDistributorBase + 0x0A4, 4, false, true),  // GICD_IGROUPR9: past INTID 287
        (VirtBoard.GicDistributorBase + 0x0A0, 4, false, false), // GICD_IGROUPR8
        (VirtBoard.GicDistributorBase + 0x802, 2, true, false),  // GICD_ITARGETSR: RAZ/WI on one CPU, no log
        (VirtBoard.GicDistributorBase + 0xF00, 4, false, true),  // GICD_SGIR is write-only
        (VirtBoard.GicDistributorBase + 0xF00, 1, true, true),   // GICD_SGIR takes word writes only
        (VirtBoard.GicDistributorBase + 0xF30, 8, false, true),  // reserved, split into two word reads
        (VirtBoard.GicCpuInterfaceBase + 0x020, 4, false, true), // GICC_AIAR: QEMU has no register there
        (VirtBoard.GicCpuInterfaceBase + 0x001, 1, false, true), // not a multiple of 4
        (VirtBoard.GicCpuInterfaceBase + 0x00C, 4, true, true),  // GICC_IAR is read-only
        (VirtBoard.GicCpuInterfaceBase + 0x004, 1, false, false),// GICC_PMR, byte
        (VirtBoard.Flash1Base + 0x123, 2, false, false),         // every flash offset is an array address
    ];

    [Test]
    public void UnimplementedOffsetsAnswerAsWithoutALogAndAreReportedWithIt()
    {
        var plain = new VirtBoard();
        var logged = new VirtBoard();
        var log = new Collect();
        logged.GuestErrors = log;
        logged.Cpu.Reset(0x4008_0000);
        foreach (var (address, size, write, bad) in Accesses)
        {
            int before = log.Errors.Count;
            if (write)
            {
                Assert.That(logged.Bus.Write(address, size, 0xFFFF_FFFF_FFFF_FFFF), Is.EqualTo(plain.Bus.Write(address, size, 0xFFFF_FFFF_FFFF_FFFF)));
            }
            else
            {
                Assert.That(logged.Bus.Read(address, size, out ulong a), Is.True, $"read 0x{address:X}");
                plain.Bus.Read(address, size, out ulong b);
                Assert.That(a, Is.EqualTo(b), $"read 0x{address:X}: the same value with and without the log");
                if (bad) Assert.That(a, Is.Zero, $"read 0x{address:X}: no register reads as zero, as QEMU");
            }
            Assert.That(log.Errors.Count > before, Is.EqualTo(bad), $"{(write ? "write" : "read")} 0x{address:X} size {size}");
        }
        var first = log.Errors[0];
        Assert.That(first, Is.EqualTo(new GuestError("pl011", VirtBoard.Uart0Base + 0x4C, 0x4C, 4, false, 0x4008_0000)));
        Assert.That(first.ToString(), Is.EqualTo("pl011: read of 4 bytes at unimplemented offset 0x4C (0x900004C), PC 0x40080000"));
        var split = log.Errors.Where(e => e.Device == "gic_dist" && e.Offset >= 0xF30).Select(e => (e.Offset, e.Size)).ToArray();
        Assert.That(split, Is.EqualTo(new[] { (0xF30UL, 4), (0xF34UL, 4) }), "an 8-byte access is reported per word the device saw");
        Assert.That(log.Errors.Select(e => e.Device).Distinct(), Is.EquivalentTo(new[] { "pl011", "gic_dist", "gic_cpu" }));
    }

    /// <summary>A guest that polls a reserved PL011 offset 1000 times, then writes UARTRIS, then powers off.</summary>
    private static byte[] PollingGuest() => MinimalElf.Executable(0x4008_0000, 0x4008_0000, Words(
        0xD2A12001, // movz x1, #0x900, lsl #16
        0xD2807D03, // movz x3, #1000
        0xB9404C22, // loop: ldr w2, [x1, #0x4c]
        0xF1000463, // subs x3, x3, #1
        0x54FFFFC1, // b.ne loop
        0xB9003C22, // str w2, [x1, #0x3c]
        0x52800100, // movz w0, #8
        0x72B08000, // movk w0, #0x8400, lsl #16: PSCI SYSTEM_OFF
        0xD4000002)); // hvc #0

    private static byte[] Words(params uint[] words)
    {
        var bytes = new byte[words.Length * 4];
        for (int i = 0; i < words.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), words[i]);
        return bytes;
    }

    [Test]
    public void RunPrintsGuestErrorsOnlyWithTheOptionEachOnce()
    {
        string elf = Path.Combine(Path.GetTempPath(), $"aegis-guest-errors-{Environment.ProcessId}.elf");
        File.WriteAllBytes(elf, PollingGuest());
        try
        {
            var (status, stdout, stderr) = Cli.CliTests.RunCli("run", elf, "--timing", "simple");
            var (statusLogged, stdoutLogged, stderrLogged) = Cli.CliTests.RunCli("run", elf, "--timing", "simple", "--log", "guest-errors");
            Assert.That((statusLogged, stdoutLogged), Is.EqualTo((status, stdout)), "the option changes nothing the guest sees");
            Assert.That(status, Is.Zero, stderr);
            Assert.That(stderr, Does.Not.Contain("guest error"));
            var lines = stderrLogged.Split('\n').Where(l => l.Contains("guest error")).ToArray();
            Assert.That(lines, Is.EqualTo(new[]
            {
                "[aegis-emu] guest error: pl011: read of 4 bytes at unimplemented offset 0x4C (0x900004C), PC 0x40080008",
                "[aegis-emu] guest error: pl011: write of 4 bytes at unimplemented offset 0x3C (0x900003C), PC 0x40080014",
                "[aegis-emu] guest errors: 1001 in all, 2 printed (each device, offset, size, direction and PC once)",
            }), stderrLogged);
        }
        finally { File.Delete(elf); }
    }

    [Test]
    public void TheLogOptionKnowsOnlyGuestErrors()
    {
        var (status, _, stderr) = Cli.CliTests.RunCli("run", "x.elf", "--log", "everything");
        Assert.That(status, Is.Not.Zero);
        Assert.That(stderr, Does.Contain("--log everything: unknown item (known: guest-errors)"));
    }

    [Test]
    public void ThePrinterStopsAfterItsLimit()
    {
        var output = new StringWriter();
        var printer = new Emu.GuestErrorPrinter(output);
        for (ulong i = 0; i < 250; i++) printer.Report(new GuestError("pl011", 0x0900_0000 + i * 4, i * 4, 4, false, 0x4008_0000));
        printer.Finish();
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(Emu.GuestErrorPrinter.Limit + 2));
        Assert.That(lines[^2], Does.Contain("100 printed, the rest are only counted"));
        Assert.That(lines[^1], Does.Contain("250 in all, 100 printed"));
    }
}
