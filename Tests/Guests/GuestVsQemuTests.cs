using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Guests;

/// <summary>
/// The differential test of the whole machine: every committed guest program (samples/bin) runs on
/// Aegis.Emu and on qemu-system-aarch64 7.2 (the reference), entered at EL1 and at EL2, and must print
/// the same bytes on the UART and on the semihosting console (QEMU's stderr) and exit with the same
/// semihosting status. Expected values come from the
/// QEMU run itself; the programs also check themselves and exit non-zero when a result is wrong.
/// </summary>
[TestFixture]
public class GuestVsQemuTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var image in GuestPrograms.Images())
        {
            yield return new TestCaseData(image, false).SetArgDisplayNames(image, "EL1");
            yield return new TestCaseData(image, true).SetArgDisplayNames(image, "EL2");
        }
    }

    [Test]
    public void EveryProgramHasItsImages()
    {
        // One image per assembly program and one per optimisation level of a C program: -O0 and -O2, or the
        // LEVELS=(...) of its NAME.build (samples/build.sh).
        var images = GuestPrograms.Images().ToHashSet();
        var src = Path.Combine(GuestPrograms.SamplesDir, "src");
        var cPrograms = Directory.GetFiles(src, "*.c").Select(Path.GetFileNameWithoutExtension).OfType<string>().ToList();
        var asmPrograms = Directory.GetFiles(src, "*.S").Where(f => !f.EndsWith("-asm.S", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension).OfType<string>().ToList();
        var expected = cPrograms.SelectMany(n => Levels(src, n).Select(o => $"{n}{o}.elf")).Concat(asmPrograms.Select(n => n + ".elf"));
        Assert.That(images, Is.EquivalentTo(expected));
        Assert.That(cPrograms.Count + asmPrograms.Count, Is.GreaterThanOrEqualTo(21), "at least 21 programs");
        Assert.That(images, Does.Contain("vector-O3.elf"), "the vectorised loops at -O3");
    }

    private static string[] Levels(string src, string name)
    {
        string build = Path.Combine(src, name + ".build");
        string? line = File.Exists(build) ? File.ReadLines(build).FirstOrDefault(l => l.StartsWith("LEVELS=(", StringComparison.Ordinal)) : null;
        return line is null ? ["-O0", "-O2"] : line["LEVELS=(".Length..line.IndexOf(')')].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    [TestCaseSource(nameof(Cases))]
    public async Task SameOutputAsQemu(string image, bool el2)
    {
        var qemu = ReferenceTools.Require(ReferenceTools.QemuSystem);
        GuestPrograms.PrefetchQemu(qemu);
        var emu = GuestPrograms.RunEmulator(image, el2);
        var reference = await GuestPrograms.Qemu(qemu, image, el2);

        Assert.That(reference.ExitCode, Is.Not.EqualTo(-1), $"QEMU: {reference.Stop}");
        Assert.That(emu.Text, Is.EqualTo(reference.Text), () =>
            $"{image} at EL{(el2 ? 2 : 1)}: UART output differs ({emu.Stop} after {emu.Instructions} instructions)\n" +
            GuestPrograms.FirstDifference(reference.Text, emu.Text));
        Assert.That(emu.SemihostingText, Is.EqualTo(reference.SemihostingText),
            "semihosting console output (QEMU's stderr)");
        Assert.That(emu.Stop, Is.EqualTo("GuestExit"), "the guest must end through semihosting SYS_EXIT");
        Assert.That(emu.ExitCode, Is.EqualTo(reference.ExitCode), "exit status");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task QemuRunIsDeterministicAndSucceeds(string image, bool el2)
    {
        // The reference must be stable for the comparison to mean anything: two QEMU runs give the
        // same bytes (no host timing leaks into the output), and the program's self-checks pass (exit 0).
        var qemu = ReferenceTools.Require(ReferenceTools.QemuSystem);
        GuestPrograms.PrefetchQemu(qemu, instances: 2);
        var first = await GuestPrograms.Qemu(qemu, image, el2, 0);
        var second = await GuestPrograms.Qemu(qemu, image, el2, 1);
        Assert.That(first.ExitCode, Is.EqualTo(0), $"{first.Stop}\n{first.Text}");
        Assert.That(second.Text, Is.EqualTo(first.Text), GuestPrograms.FirstDifference(first.Text, second.Text));
        Assert.That(second.SemihostingText, Is.EqualTo(first.SemihostingText));
        Assert.That(first.Output, Is.Not.Empty);
    }

    [TestCase("hello-O2.elf", false)]
    [TestCase("timer-O2.elf", true)]
    [TestCase("paging-O0.elf", false)]
    public void EmulatorRunsAreDeterministic(string image, bool el2)
    {
        // ARCHITECTURE.md section 8: two runs give the same bytes, instruction count and cycle count.
        var a = GuestPrograms.RunEmulator(image, el2);
        var b = GuestPrograms.RunEmulator(image, el2);
        Assert.That(a.Instructions, Is.GreaterThan(0));
        Assert.That(b.Output, Is.EqualTo(a.Output));
        Assert.That(b.Semihosting, Is.EqualTo(a.Semihosting));
        Assert.That(b.Instructions, Is.EqualTo(a.Instructions));
        Assert.That(b.Cycles, Is.EqualTo(a.Cycles));
        Assert.That(b.Stop, Is.EqualTo(a.Stop));
        Assert.That(b.ExitCode, Is.EqualTo(a.ExitCode));
    }
}
