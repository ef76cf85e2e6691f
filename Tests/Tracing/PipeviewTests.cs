using System.Text.RegularExpressions;
using Aegis.Emu.Profiling;
using Aegis.Emu.Tracing;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Timing.A53;
using Aegis.Emulator.Devices;
using Aegis.Tests.Guests;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Tracing;

/// <summary>
/// `--pipeview`: the Kanata 0004 log of the A53 model's timeline (Konata's docs/kanata-log-format.md), and the
/// tracer's issue cycle. The snippet runs twice as in A53PipelineTests (warm instruction cache), only the second
/// run observed, after a 100-cycle gap on the clock so that nothing of the warm-up pairs with it.
/// </summary>
[TestFixture]
public sealed partial class PipeviewTests
{
    /// <summary>Two independent adds (dual issue), then a dependent MUL chain (4 cycles per link).</summary>
    private static readonly string[] Snippet = ["add x0, x9, x9", "add x1, x9, x9", "mul x2, x2, x3", "mul x2, x2, x3"];

    private static (CpuHarness H, ulong Start) Warm(string[] asm)
    {
        var h = CpuHarness.FromAsm(asm);
        h.Cpu.MmuRegs.SCTLR_EL1 |= 1UL << 12;
        h.Cpu.Timing = new A53Model();
        h.Run();
        h.Cpu.Reset(CpuHarness.CodeBase);
        h.Cpu.WarpClock(h.Cpu.Cycles + 100);
        return (h, h.Cpu.Cycles);
    }

    private static string Pipeview(string[] asm, out ulong start, TraceFilter? filter = null)
    {
        var (h, s) = Warm(asm);
        start = s;
        var text = new StringWriter();
        using (var session = new TraceSession(h.Cpu, null, null, filter ?? new TraceFilter(), [], pipeview: text))
        {
            h.Run();
            session.Report(TextWriter.Null);
        }
        return text.ToString();
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private static string Detail(int id, string enc, ulong fetch, ulong issue, int slot, ulong result) =>
        $"L\t{id}\t1\tEL1 T- enc {enc} fetch {fetch} issue {issue} slot {slot} result {result}";

    [Test]
    public void DualIssuedAddsAndAMulChainAsKanataLines()
    {
        string log = Pipeview(Snippet, out ulong s);
        // The clock stands at s (the gap). Issue (A53PipelineTests): the adds pair at s+1 in slots 0 and 1, results
        // at s+2; the first MUL starts a new cycle at s+2, result 4 cycles later at s+6, where the dependent MUL
        // issues (result s+10). F starts at the previous instruction's issue (the model's own fetch cycle is 0: the
        // line was fetched in the warm-up and no redirect has happened since). Simulator ids continue the warm-up's 4.
        string[] expected =
        [
            "Kanata\t0004",
            $"C=\t{s}",
            "I\t0\t4\t0", "L\t0\t0\t40000000 add x0, x9, x9", Detail(0, "8b090120", 0, s + 1, 0, s + 2), "S\t0\t0\tF",
            "I\t1\t5\t0", "L\t1\t0\t40000004 add x1, x9, x9", Detail(1, "8b090121", 0, s + 1, 1, s + 2), "S\t1\t0\tF",
            "C\t1", // s+1: both adds issue
            "E\t0\t0\tF", "S\t0\t0\tI0", "E\t1\t0\tF", "S\t1\t0\tI1",
            "I\t2\t6\t0", "L\t2\t0\t40000008 mul x2, x2, x3", Detail(2, "9b037c42", 0, s + 2, 0, s + 6), "S\t2\t0\tF",
            "C\t1", // s+2: the adds' results, the first MUL issues
            "E\t0\t0\tI0", "S\t0\t0\tW", "E\t1\t0\tI1", "S\t1\t0\tW", "E\t2\t0\tF", "S\t2\t0\tI0",
            "I\t3\t7\t0", "L\t3\t0\t4000000c mul x2, x2, x3", Detail(3, "9b037c42", 0, s + 6, 0, s + 10), "S\t3\t0\tF",
            "C\t1", // s+3
            "E\t0\t0\tW", "R\t0\t0\t0", "E\t1\t0\tW", "R\t1\t1\t0", "E\t2\t0\tI0", "S\t2\t0\tX",
            "C\t3", // s+6: the first MUL's result, the second issues
            "E\t2\t0\tX", "S\t2\t0\tW", "E\t3\t0\tF", "S\t3\t0\tI0",
            "C\t1", // s+7
            "E\t2\t0\tW", "R\t2\t2\t0", "E\t3\t0\tI0", "S\t3\t0\tX",
            "C\t3", // s+10
            "E\t3\t0\tX", "S\t3\t0\tW",
            "C\t1", // s+11
            "E\t3\t0\tW", "R\t3\t3\t0",
        ];
        Assert.That(Lines(log), Is.EqualTo(expected));
    }

    /// <summary>Absolute cycle of every line, from C= and C; Kanata allows no step back (C deltas are positive).</summary>
    private static List<(ulong Cycle, string Line)> Timed(string log)
    {
        var list = new List<(ulong, string)>();
        ulong cycle = 0;
        foreach (var line in Lines(log).Skip(1))
        {
            var f = line.Split('\t');
            if (f[0] == "C=") cycle = ulong.Parse(f[1]);
            else if (f[0] == "C")
            {
                Assert.That(ulong.Parse(f[1]), Is.GreaterThan(0UL), "a C delta");
                cycle += ulong.Parse(f[1]);
            }
            else list.Add((cycle, line));
        }
        return list;
    }

    [Test]
    public void AGuestsTimelineIsInCycleOrderAndEveryInstructionRetiresOnce()
    {
        var board = new VirtBoard(new VirtBoardOptions());
        board.ConsoleOutput = _ => { };
        board.LoadElf(File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, "recursion-O2.elf")));
        board.Cpu.Timing = new A53Model();
        var text = new StringWriter();
        var symbols = Aegis.Kernel.Image.KernelSymbols.Parse(File.ReadAllBytes(Path.Combine(GuestPrograms.BinDir, "recursion-O2.elf")));
        using (var session = new TraceSession(board.Cpu, symbols, null, new TraceFilter(), [], pipeview: text))
        {
            board.Cpu.Run(20_000);
            session.Report(TextWriter.Null);
            Assert.That(session.Pipeview!.Instructions, Is.EqualTo(20_000UL));
        }
        string log = text.ToString();
        Assert.That(log, Does.StartWith("Kanata\t0004\nC=\t"));
        var timed = Timed(log);
        Assert.That(Lines(log).Count(l => l.StartsWith("C=")), Is.EqualTo(1));
        // Per instruction: I, L, L, S F, ..., R in this order and at non-decreasing cycles; ids 0..N-1, each retired once.
        var byId = timed.GroupBy(t => int.Parse(t.Line.Split('\t')[1])).ToDictionary(g => g.Key, g => g.ToList());
        Assert.That(byId.Keys.Order(), Is.EqualTo(Enumerable.Range(0, 20_000)));
        int redirects = 0;
        foreach (var (id, events) in byId)
        {
            Assert.That(events[0].Line, Does.StartWith($"I\t{id}\t"));
            Assert.That(events[^1].Line, Is.EqualTo($"R\t{id}\t{id}\t0"));
            Assert.That(events.Count(e => e.Line.StartsWith("R\t")), Is.EqualTo(1));
            Assert.That(events.Select(e => e.Cycle), Is.Ordered);
            if (events[1].Line.EndsWith(" [redirect]")) redirects++;
        }
        Assert.That(redirects, Is.GreaterThan(0), "calls and returns redirect the stream");
        Assert.That(Lines(log), Does.Contain("L\t1\t0\t40080004 _start+0x4 lsr x19, x19, #2"), "labels carry symbol+offset");
    }

    [Test]
    public void RangeFilterKeepsOnlyItsInstructions()
    {
        string log = Pipeview(Snippet, out _, new TraceFilter(Lo: 0x4000_0008, Hi: 0x4000_000f));
        var labels = Lines(log).Where(l => l.StartsWith("L\t") && l.Split('\t')[2] == "0").ToArray();
        Assert.That(labels, Is.EqualTo(new[] { "L\t0\t0\t40000008 mul x2, x2, x3", "L\t1\t0\t4000000c mul x2, x2, x3" }));
    }

    [Test]
    public void PipeviewWithoutTheA53ModelIsAUsageError()
    {
        var h = CpuHarness.FromAsm("nop");
        h.Cpu.Timing = new OneCyclePerInstruction(); // whatever AEGIS_TEST_TIMING chose for the harness
        var e = Assert.Throws<ArgumentException>(() => new TraceSession(h.Cpu, null, null, new TraceFilter(), [], pipeview: new StringWriter()));
        Assert.That(e!.Message, Does.StartWith("--pipeview needs the a53 timing model (--timing a53); this run uses 'simple'"));

        string file = Path.Combine(Path.GetTempPath(), $"aegis-pipeview-{Guid.NewGuid():N}.kanata");
        var values = new TraceSession.Values(null, null, null, null, null, Pipeview: file);
        Assert.That(values.Start(h.Cpu, [], out string? error), Is.Null);
        Assert.That(error, Is.EqualTo("--pipeview needs the a53 timing model (--timing a53); this run uses 'simple'"));
        Assert.That(File.Exists(file), Is.False, "nothing created");
        Assert.That(values.Given(), Is.EqualTo(new[] { "--pipeview" }));
    }

    [Test]
    public void OneObserverOnly()
    {
        var (h, _) = Warm(Snippet);
        using var first = new TraceSession(h.Cpu, null, null, new TraceFilter(), [], pipeview: new StringWriter());
        var e = Assert.Throws<ArgumentException>(() => new TraceSession(h.Cpu, null, null, new TraceFilter(), [], pipeview: new StringWriter()));
        Assert.That(e!.Message, Does.StartWith("--pipeview: the a53 model already has a pipeline observer"));
        first.Dispose();
        Assert.That(((A53Model)h.Cpu.Timing).Observer, Is.Null, "Dispose detaches");
    }

    [GeneratedRegex(@"^\s*(\d+)/(\d) EL1 T- ([0-9a-f]{16}) ")]
    private static partial Regex A53TraceLine();

    [Test]
    public void TracerGivesTheIssueCycleAndSlotWithTheA53Model()
    {
        var (h, s) = Warm(Snippet);
        var text = new StringWriter();
        using (new TraceSession(h.Cpu, null, text, new TraceFilter(), []))
            h.Run();
        var got = Lines(text.ToString()).Select(l => A53TraceLine().Match(l)).Where(m => m.Success)
            .Select(m => (Cycle: ulong.Parse(m.Groups[1].Value), Slot: int.Parse(m.Groups[2].Value))).ToArray();
        Assert.That(got, Is.EqualTo(new[] { (s + 1, 0), (s + 1, 1), (s + 2, 0), (s + 6, 0) }));
    }

    [Test]
    public void TracerGivesTheClockBeforeTheInstructionWithTheSimpleModel()
    {
        var h = CpuHarness.FromAsm(Snippet);
        h.Cpu.Timing = new OneCyclePerInstruction(); // whatever AEGIS_TEST_TIMING chose for the harness
        h.Cpu.WarpClock(1000);
        var text = new StringWriter();
        using (new TraceSession(h.Cpu, null, text, new TraceFilter(), []))
            h.Run();
        var cycles = Lines(text.ToString()).Select(l => Regex.Match(l, @"^\s*(\d+) EL1 ")).Where(m => m.Success).Select(m => ulong.Parse(m.Groups[1].Value));
        Assert.That(cycles, Is.EqualTo(new ulong[] { 1000, 1001, 1002, 1003 }));
    }
}
