using System.Diagnostics;
using Aegis.Emu.Coverage;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Guests;
using NUnit.Framework;

namespace Aegis.Tests.Tracing;

/// <summary>
/// `--coverage` and `coverage merge`. The reference for samples/src/coverage.c is hand-computed from the program:
/// classify() runs for i = 0..9, so its `if (x > 100)` branches one way ten times and `return 2` never runs; main's
/// loop test runs 11 times (10 times on, once out) and its body 10. lcov 1.16 (Debian's) is the reference for the
/// tracefile format and for merging, where it is installed.
/// </summary>
[TestFixture]
public sealed class CoverageTests
{
    private string _dir = "";

    [SetUp] public void SetUp() => _dir = Directory.CreateTempSubdirectory("aegis-coverage-").FullName;
    [TearDown] public void TearDown() => Directory.Delete(_dir, true);

    private static string Sample => Path.Combine(GuestPrograms.BinDir, "coverage-O0.elf");

    private static (int Status, string Stdout, string Stderr) Cli(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        int status = Emu.Cli.Run(args, stdout, stderr);
        return (status, System.Text.Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>The record of coverage.c in a tracefile, without its TN and SF lines.</summary>
    private static string[] SampleRecord(string tracefile)
    {
        var lines = File.ReadAllLines(tracefile);
        int sf = Array.FindIndex(lines, l => l.StartsWith("SF:") && l.EndsWith("/samples/src/coverage.c"));
        Assert.That(sf, Is.GreaterThanOrEqualTo(0), "coverage.c has a record");
        return [.. lines.Skip(sf + 1).TakeWhile(l => l != "end_of_record")];
    }

    [Test]
    public void TheSampleGivesTheHandComputedLinesAndBranches()
    {
        string info = Path.Combine(_dir, "run.info");
        var (status, stdout, stderr) = Cli("run", Sample, "--coverage", info);
        Assert.That(status, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo("sum 10\n"));
        Assert.That(SampleRecord(info), Is.EqualTo(new[]
        {
            "FN:6,classify", "FN:13,main", "FNDA:10,classify", "FNDA:1,main", "FNF:2", "FNH:2",
            "BRDA:7,0,0,10", "BRDA:7,0,1,0",   // x > 100: "b.lt" to return 1 taken all ten times, never not taken
            "BRDA:15,0,0,1", "BRDA:15,0,1,10", // i < 10: leaves the loop once, stays in ten times
            "BRF:4", "BRH:3",
            "DA:6,10", "DA:7,10", "DA:8,0", "DA:9,10", "DA:10,10",
            "DA:13,1", "DA:14,1", "DA:15,11", "DA:16,10", "DA:17,1", "DA:18,1",
            "LF:11", "LH:10",
        }));
        string summary = File.ReadAllText(info + ".txt");
        Assert.That(summary, Does.Contain("src/coverage.c: lines 10/11 (90.91%), functions 2/2 (100.00%), branches 3/4 (75.00%)"));
        Assert.That(summary, Does.Contain("  classify: never executed: lines 8\n"));
        Assert.That(summary, Does.Contain("  classify: one-way branches: line 7 (taken only)\n"));
        // Object code: the fall-through of the b.lt and `return 2` (b; mov w8, #2; str; b) never ran.
        Assert.That(summary, Does.Contain("never executed 0x40082ad4-0x40082ae3 classify+0x14 (4 instructions) src/coverage.c:7-8"));
        Assert.That(summary, Does.Contain("one-way branch 0x40082ad0 classify+0x10 (taken only) src/coverage.c:7"));
        Assert.That(stderr, Does.Contain("[aegis-emu] coverage: lines "));
    }

    [Test] // debug: what ran during the session; stopped at classify's entry the second time, one call has retired
    public void DebugCoversWhatRanDuringTheSession()
    {
        string info = Path.Combine(_dir, "debug.info");
        var stderr = new StringWriter();
        int status = Emu.Debugging.DebugCommand.Run(Sample, false, null, new StringReader("break classify\ncontinue\ncontinue\nquit\n"), false,
            new MemoryStream(), stderr, coveragePath: info);
        Assert.That(status, Is.Zero, stderr.ToString());
        Assert.That(SampleRecord(info), Does.Contain("FNDA:1,classify").And.Contain("FNDA:1,main").And.Contain("DA:8,0"));
    }

    [Test]
    public void MergingTwoRunsAddsTheirCounts()
    {
        string a = Path.Combine(_dir, "a.info"), b = Path.Combine(_dir, "b.info"), merged = Path.Combine(_dir, "m.info");
        Assert.That(Cli("run", Sample, "--coverage", a).Status, Is.Zero);
        Assert.That(Cli("run", Sample, "--coverage", b, "--timing", "simple").Status, Is.Zero);
        var (status, _, stderr) = Cli("coverage", "merge", a, b, "-o", merged, "--only", "samples/src/");
        Assert.That(status, Is.Zero, stderr);
        var record = SampleRecord(merged);
        Assert.That(record, Does.Contain("DA:15,22").And.Contain("DA:8,0").And.Contain("BRDA:7,0,0,20").And.Contain("BRDA:7,0,1,0").And.Contain("FNDA:20,classify"));
        Assert.That(File.ReadAllLines(merged).Where(l => l.StartsWith("SF:")), Has.All.Contain("samples/src/"), "--only keeps samples/src/ only");

        var (under, _, underErr) = Cli("coverage", "merge", a, "-o", merged, "--only", "coverage.c", "--fail-under-lines", "95");
        Assert.That(under, Is.EqualTo(1));
        Assert.That(underErr, Does.Contain("lines coverage 90.91% is below 95.00%"));
    }

    [Test]
    public void LcovMergesOurTracefilesAsOurMergeDoes()
    {
        if (!Tool("lcov")) Assert.Ignore("lcov is not installed (Debian: lcov)");
        string a = Path.Combine(_dir, "a.info"), ours = Path.Combine(_dir, "ours.info"), theirs = Path.Combine(_dir, "theirs.info");
        Assert.That(Cli("run", Sample, "--coverage", a).Status, Is.Zero);
        Assert.That(Cli("coverage", "merge", a, a, "-o", ours).Status, Is.Zero);
        var (status, output) = Exec("lcov", $"--rc lcov_branch_coverage=1 -q -a {a} -a {a} -o {theirs}");
        Assert.That(status, Is.Zero, output);
        // lcov writes its records in its own order: compare the sets of count records of coverage.c.
        static string[] Counts(string f) => [.. SampleRecord(f).Where(l => l.StartsWith("DA:") || l.StartsWith("BRDA:") || l.StartsWith("FNDA:")).Order()];
        Assert.That(Counts(ours), Is.EqualTo(Counts(theirs)));
        // And our reader takes lcov's output back with the same counts.
        var reread = Tracefile.Parse(new StringReader(File.ReadAllText(theirs)));
        Assert.That(reread.LinesHit, Is.EqualTo(Tracefile.Parse(new StringReader(File.ReadAllText(ours))).LinesHit));
    }

    [Test]
    public void GenhtmlTurnsATracefileIntoHtml()
    {
        if (!Tool("genhtml")) Assert.Ignore("genhtml is not installed (Debian: lcov)");
        string info = Path.Combine(_dir, "run.info"), html = Path.Combine(_dir, "html");
        Assert.That(Cli("run", Sample, "--coverage", info).Status, Is.Zero);
        var (status, output) = Exec("genhtml", $"--branch-coverage -q -o {html} {info}");
        Assert.That(status, Is.Zero, output);
        Assert.That(File.Exists(Path.Combine(html, "index.html")), Is.True);
    }

    [Test]
    public void AMalformedTracefileIsAUsageErrorNamingItsLine()
    {
        string bad = Path.Combine(_dir, "bad.info");
        File.WriteAllText(bad, "TN:\nSF:/x.c\nDA:1,1\nDA:two,1\nend_of_record\n");
        var (status, _, stderr) = Cli("coverage", "merge", bad, "-o", Path.Combine(_dir, "out.info"));
        Assert.That(status, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("bad.info:4: malformed record 'DA:two,1'"));
    }

    [Test]
    public void AnUncreatableCoverageFileIsAUsageErrorBeforeTheRun()
    {
        var (status, stdout, stderr) = Cli("run", Sample, "--coverage", Path.Combine(_dir, "no", "such", "dir.info"));
        Assert.That(status, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty, "the guest did not run");
        Assert.That(stderr, Does.Contain("cannot create"));
    }

    /// <summary>
    /// The outcome the recorder decides from the tested state agrees with where the CPU went, for every conditional
    /// branch of two guests that ran (the targets differ from the next instruction there, so the PC tells).
    /// </summary>
    [TestCase("branch.elf")]
    [TestCase("compute-O2.elf")]
    public void BranchOutcomesAgreeWithTheNextPc(string image)
    {
        var board = new VirtBoard(new VirtBoardOptions());
        board.ConsoleOutput = _ => { };
        board.LoadElf(File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, image)));
        var check = new OutcomeCheck();
        board.Cpu.AddHook(check);
        board.Cpu.Run(2_000_000);
        Assert.That(check.Branches, Is.GreaterThan(100));
        Assert.That(check.Disagreements, Is.Empty);
    }

    private sealed class OutcomeCheck : Aegis.Emulator.Cpu.Hooks.CpuHook
    {
        public int Branches;
        public List<string> Disagreements { get; } = [];

        public override void OnRetire(Cpu cpu, ulong pc, uint encoding)
        {
            if (!ConditionalBranch.Is(encoding)) return;
            ulong target = ConditionalBranch.Target(pc, encoding);
            if (target == pc + 4) return;
            Branches++;
            bool byPc = cpu.PC == target;
            if (byPc != ConditionalBranch.Taken(cpu, encoding) && Disagreements.Count < 10)
                Disagreements.Add($"0x{pc:x} {encoding:x8}: next PC 0x{cpu.PC:x}");
        }
    }

    private static bool Tool(string name) => Exec("sh", $"-c \"command -v {name}\"").Status == 0;

    private static (int Status, string Output) Exec(string file, string args)
    {
        var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
