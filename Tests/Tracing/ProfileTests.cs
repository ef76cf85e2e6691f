using System.Text;
using System.Text.RegularExpressions;
using Aegis.Emu;
using Aegis.Emu.AegisOs;
using Aegis.Emu.Profiling;
using Aegis.Emu.Tracing;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Timing.A53;
using Aegis.Emulator.Devices;
using Aegis.Kernel.Image;
using Aegis.Tests.Guests;
using NUnit.Framework;

namespace Aegis.Tests.Tracing;

/// <summary>`--profile`: per-function cycles and instructions that add up to the run exactly, and its files.</summary>
[TestFixture]
public sealed partial class ProfileTests
{
    private string _dir = "";

    [SetUp] public void SetUp() => _dir = Directory.CreateTempSubdirectory("aegis-profile-").FullName;
    [TearDown] public void TearDown() => Directory.Delete(_dir, true);

    private sealed record Profiled(Cpu Cpu, IReadOnlyList<Profiler.Entry> Entries, string Table, string Folded, string Top, ulong Cycles, ulong Instructions);

    /// <summary>Runs a samples/bin guest to its exit with a profile attached after <paramref name="warmup"/> instructions.</summary>
    private static Profiled Profile(string image, ITimingModel timing, ulong warmup = 0)
    {
        byte[] elf = File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, image));
        var board = new VirtBoard(new VirtBoardOptions());
        board.ConsoleOutput = _ => { };
        board.LoadElf(elf);
        var cpu = board.Cpu;
        cpu.Timing = timing;
        if (warmup > 0) cpu.Run(warmup);
        ulong cycles0 = cpu.Cycles, retired0 = cpu.Retired;
        var table = new StringWriter();
        var folded = new StringWriter();
        var top = new StringWriter();
        IReadOnlyList<Profiler.Entry> entries;
        using (var session = new TraceSession(cpu, KernelSymbols.Parse(elf), null, new TraceFilter(), [], profile: new TraceSession.ProfileFiles(table, folded)))
        {
            Assert.That(cpu.Run(50_000_000), Is.EqualTo(StopReason.GuestExit));
            session.Report(top);
            entries = session.Profiler!.Entries();
        }
        return new Profiled(cpu, entries, table.ToString(), folded.ToString(), top.ToString(), cpu.Cycles - cycles0, cpu.Retired - retired0);
    }

    private static ulong Sum(IEnumerable<Profiler.Entry> e, Func<Profiler.Entry, ulong> f) => e.Aggregate(0UL, (s, x) => s + f(x));

    [Test] // the simple model: one cycle per instruction, so cycles = instructions per function, exactly
    public void SimpleModelProfileOfRecursion()
    {
        var p = Profile("recursion-O2.elf", new OneCyclePerInstruction());
        Assert.That(p.Instructions, Is.EqualTo(1_730_528UL));
        Assert.That(Sum(p.Entries, e => e.Cycles), Is.EqualTo(p.Cycles));
        Assert.That(Sum(p.Entries, e => e.Instructions), Is.EqualTo(p.Instructions));
        Assert.That(p.Entries[0].Function, Is.EqualTo("fib"), "naive Fibonacci is the hot spot");
        Assert.That(p.Entries[0].Task, Is.EqualTo(-1));
        Assert.That(p.Entries[0].Instructions, Is.EqualTo(1_526_808UL));
        Assert.That(p.Entries[0].Cycles, Is.EqualTo(1_526_808UL));
        Assert.That(p.Entries.Select(e => e.Function).Take(3), Is.EqualTo(new[] { "fib", "ack", "hanoi" }));
    }

    [Test] // the a53 model, with the profile attached mid-run: the sums are the cycles and instructions since then
    public void A53ProfileSumsToTheRunExactly()
    {
        var p = Profile("recursion-O2.elf", new A53Model(), warmup: 1000);
        Assert.That(Sum(p.Entries, e => e.Cycles), Is.EqualTo(p.Cycles));
        Assert.That(Sum(p.Entries, e => e.Instructions), Is.EqualTo(p.Instructions));
        Assert.That(p.Instructions, Is.EqualTo(1_730_528UL - 1000));
        Assert.That(p.Cycles, Is.Not.EqualTo(p.Instructions), "the a53 model's clock is not one per instruction");
        Assert.That(p.Entries[0].Function, Is.EqualTo("fib"));
        Assert.That(p.Entries[0].Instructions, Is.EqualTo(1_526_808UL));
    }

    [Test] // timer interrupts: their entry cycles (between instructions) go to the handler's first instruction
    public void InterruptEntryCyclesAreCountedAndTheSumsStayExact()
    {
        var p = Profile("timer-O2.elf", new A53Model());
        Assert.That(p.Cpu.ExceptionsTaken, Is.GreaterThan(0UL));
        Assert.That(Sum(p.Entries, e => e.Cycles), Is.EqualTo(p.Cycles));
        Assert.That(Sum(p.Entries, e => e.Instructions), Is.EqualTo(p.Instructions));
    }

    [GeneratedRegex(@"^([^; ]+);([^; ]+) (\d+)$")]
    private static partial Regex FoldedLine();

    [Test]
    public void FilesAndTheTopTable()
    {
        var p = Profile("recursion-O2.elf", new OneCyclePerInstruction());
        // Folded: one "task;function cycles" line per entry with cycles, most first, summing to the run.
        var folded = p.Folded.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(folded, Has.Length.EqualTo(p.Entries.Count));
        ulong sum = 0;
        foreach (var line in folded)
        {
            var m = FoldedLine().Match(line);
            Assert.That(m.Success, Is.True, line);
            sum += ulong.Parse(m.Groups[3].Value);
        }
        Assert.That(sum, Is.EqualTo(p.Cycles));
        Assert.That(folded[0], Is.EqualTo("T-;fib 1526808"));
        // Table: the totals, a header, every entry.
        var table = p.Table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.That(table[0], Does.StartWith("# aegis-emu profile: 1730528 cycles, 1730528 instructions, timing simple"));
        Assert.That(Regex.Split(table[1].Trim(), @"\s+"), Is.EqualTo(new[] { "function", "task", "cycles", "%cycles", "instructions", "IPC" }));
        Assert.That(table, Has.Length.EqualTo(2 + p.Entries.Count));
        Assert.That(Regex.Split(table[2].Trim(), @"\s+"), Is.EqualTo(new[] { "fib", "T-", "1526808", "88.23", "1526808", "1.000" }));
        // stderr: the top 15 at most.
        var top = p.Top.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(top[0].TrimEnd('\r'), Is.EqualTo($"[aegis-emu] profile: 1730528 cycles, 1730528 instructions; top {Math.Min(15, p.Entries.Count)} of {p.Entries.Count} functions"));
        Assert.That(top, Has.Length.EqualTo(2 + Math.Min(15, p.Entries.Count)));
    }

    [Test]
    public void UnknownAddressesArePagesPerEl()
    {
        var board = new VirtBoard(new VirtBoardOptions());
        var profiler = new Profiler(board.Cpu, null, null, new TaskResolver(board.Cpu, null));
        Assert.That(profiler.FunctionAt(0x4000_1234, 1), Is.EqualTo("[el1:0x40001000]"));
        Assert.That(profiler.FunctionAt(0xFFFF_0000_0008_0FFC, 0), Is.EqualTo("[el0:0xffff000000080000]"));
    }

    private (int Status, string Stderr) Cli(params string[] args)
    {
        var err = new StringWriter();
        // These expectations were computed under the simple model (one cycle per instruction).
        int status = Emu.Cli.Run([.. args, "--timing", "simple"], Stream.Null, err);
        return (status, err.ToString());
    }

    [Test]
    public void CommandLineWritesTheTableAndTheFoldedFile()
    {
        string file = Path.Combine(_dir, "p.txt");
        var (status, err) = Cli("run", Path.Combine(GuestPrograms.BinDir, "recursion-O2.elf"), "--profile", file);
        Assert.That(status, Is.EqualTo(0), err);
        Assert.That(err, Does.Contain("[aegis-emu] profile: 1730528 cycles, 1730528 instructions; top 15 of "));
        Assert.That(Regex.IsMatch(err, @"\nfib +T- +1526808 +88\.23 +1526808 +1\.000\r?\n"), Is.True, err);
        Assert.That(File.ReadAllText(file), Does.StartWith("# aegis-emu profile: 1730528 cycles"));
        Assert.That(File.ReadLines(file + ".folded").First(), Is.EqualTo("T-;fib 1526808"));
    }

    [Test]
    public void AFoldedFileNameGivesOnlyTheFoldedFile()
    {
        string file = Path.Combine(_dir, "p.folded");
        var (status, err) = Cli("run", Path.Combine(GuestPrograms.BinDir, "recursion-O2.elf"), "--profile", file);
        Assert.That(status, Is.EqualTo(0), err);
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { "p.folded" }));
        Assert.That(File.ReadLines(file).First(), Is.EqualTo("T-;fib 1526808"));
    }

    [Test]
    public void AnUncreatableProfileIsAUsageError()
    {
        var (status, err) = Cli("run", Path.Combine(GuestPrograms.BinDir, "recursion-O2.elf"), "--profile", Path.Combine(_dir, "no", "such", "p.txt"));
        Assert.That(status, Is.EqualTo(Emu.Cli.ExitUsage));
        Assert.That(err, Does.Contain("cannot create " + Path.Combine(_dir, "no", "such", "p.txt")));
    }

    [Test] // AegisOS: EL0 code is named by the boot bundle's ELFs, per task; the kernel's by its own symbols
    public void AegisOsProfileNamesUserFunctionsPerTask()
    {
        byte[] image = File.ReadAllBytes(KernelSymbols.FindImage());
        byte[] bundle = KernelGuest.LoadBundle()!;
        var machine = new AegisOsMachine(image, bundle: bundle);
        machine.Board.ConsoleOutput = _ => { };
        var values = new TraceSession.Values(null, null, null, null, null, Profile: Path.Combine(_dir, "os.folded"));
        ulong c0 = machine.Cpu.Cycles, r0 = machine.Cpu.Retired;
        IReadOnlyList<Profiler.Entry> entries;
        using (var session = values.Start(machine.Cpu, image, out string? error, bundle))
        {
            Assert.That(session, Is.Not.Null, error);
            machine.Run(20_000_000);
            session!.Report(TextWriter.Null);
            entries = session.Profiler!.Entries();
        }
        Assert.That(Sum(entries, e => e.Cycles), Is.EqualTo(machine.Cpu.Cycles - c0));
        Assert.That(Sum(entries, e => e.Instructions), Is.EqualTo(machine.Cpu.Retired - r0));
        var hello = entries.Where(e => e.Function.StartsWith("hello:")).ToList();
        Assert.That(hello, Is.Not.Empty);
        Assert.That(hello.Select(e => e.Task).Distinct(), Is.EqualTo(new[] { 2 }), "hello runs as task 2");
        Assert.That(entries.Any(e => e.Function == "schedule" && e.Task >= 0), Is.True);
        var lines = File.ReadAllLines(Path.Combine(_dir, "os.folded"));
        Assert.That(lines.Any(l => Regex.IsMatch(l, @"^T2;hello:\S+ \d+$")), Is.True);
        Assert.That(lines.All(l => FoldedLine().IsMatch(l)), Is.True);
    }
}
