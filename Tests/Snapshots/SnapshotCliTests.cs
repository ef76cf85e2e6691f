using Aegis.Tests.Cli;
using Aegis.Tests.Guests;
using Aegis.Tests.Kernel.Boot;
using NUnit.Framework;

namespace Aegis.Tests.Snapshots;

/// <summary>`run` and `boot` with --save-at CYCLE FILE and --restore FILE: the restored run ends where the uninterrupted one ends.</summary>
[TestFixture]
public sealed class SnapshotCliTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("aegis-snap-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    /// <summary>The summary lines without the host-side figures: host time, and the translator's cache statistics
    /// (where the run stops to save, and a restored board's fresh cache, change how code was cut into blocks).</summary>
    private static string Summary(string stderr) => string.Join("\n", stderr.Split('\n')
        .Where(l => !l.Contains("snapshot at cycle", StringComparison.Ordinal) && !l.StartsWith("[aegis-emu] translator:", StringComparison.Ordinal))
        .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"[0-9.]+ s host, [0-9.]+ guest MIPS", "")));

    [TestCase("simple")]
    [TestCase("a53")]
    public void RunSavesAndRestores(string timing)
    {
        string elf = Path.Combine(GuestPrograms.BinDir, "recursion-O2.elf"), snap = Path.Combine(_dir, "r.snap");
        var whole = CliTests.RunCli("run", elf, "--timing", timing, "--max-instructions", "3000000");
        var saving = CliTests.RunCli("run", elf, "--timing", timing, "--max-instructions", "3000000", "--save-at", "200000", snap);
        Assert.That(saving.Stderr, Does.Contain($"written to {snap}"));
        Assert.That((saving.Status, saving.Stdout, Summary(saving.Stderr)), Is.EqualTo((whole.Status, whole.Stdout, Summary(whole.Stderr))));
        var restored = CliTests.RunCli("run", "--restore", snap, "--timing", timing, "--max-instructions", "3000000");
        Assert.That(restored.Status, Is.EqualTo(whole.Status), restored.Stderr);
        Assert.That(whole.Stdout, Does.EndWith(restored.Stdout));
        Assert.That(Summary(restored.Stderr), Is.EqualTo(Summary(whole.Stderr)));
    }

    [Test]
    public void RunRefusesABadSnapshotWithStatus2()
    {
        string bad = Path.Combine(_dir, "bad.snap");
        File.WriteAllText(bad, "hello");
        var r = CliTests.RunCli("run", "--restore", bad);
        Assert.That(r.Status, Is.EqualTo(2));
        Assert.That(r.Stderr, Does.Contain($"error: {bad}: not an Aegis.Emu machine snapshot"));
        var missing = CliTests.RunCli("run", "--restore", Path.Combine(_dir, "none.snap"));
        Assert.That(missing.Status, Is.EqualTo(2));
        Assert.That(missing.Stderr, Does.Contain("no such file"));
    }

    [Test]
    public void RunRefusesAnotherBoardsSnapshot()
    {
        string elf = Path.Combine(GuestPrograms.BinDir, "hello-O2.elf"), snap = Path.Combine(_dir, "h.snap");
        var saving = CliTests.RunCli("run", elf, "--timing", "simple", "--save-at", "1000", snap);
        Assert.That(saving.Stderr, Does.Contain("written to"));
        var r = CliTests.RunCli("run", "--restore", snap, "--timing", "a53");
        Assert.That(r.Status, Is.EqualTo(2));
        Assert.That(r.Stderr, Does.Contain("taken on another board: timing model 'simple' in the snapshot, 'a53' here"));
    }

    [Test]
    public void BootSavesAndRestoresWithTheTaskSummary()
    {
        string snap = Path.Combine(_dir, "boot.snap"), image = KernelBoot.ImagePath;
        var whole = CliTests.RunCli("boot", image, "--timing", "simple", "--seconds", "0.03");
        var saving = CliTests.RunCli("boot", image, "--timing", "simple", "--seconds", "0.03", "--save-at", "300000", snap);
        Assert.That((saving.Status, saving.Stdout, Summary(saving.Stderr)), Is.EqualTo((whole.Status, whole.Stdout, Summary(whole.Stderr))));
        var restored = CliTests.RunCli("boot", image, "--timing", "simple", "--seconds", "0.03", "--restore", snap);
        Assert.That(restored.Status, Is.EqualTo(0), restored.Stderr);
        Assert.That(whole.Stdout, Does.EndWith(restored.Stdout));
        Assert.That(restored.Stdout.Length, Is.GreaterThan(0).And.LessThan(whole.Stdout.Length));
        Assert.That(Summary(restored.Stderr), Is.EqualTo(Summary(whole.Stderr)), "instructions, cycles and every task's figures");
    }
}
