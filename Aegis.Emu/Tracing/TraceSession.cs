using System.CommandLine;
using Aegis.Emu.Tracing.Checkers;
using Aegis.Emulator.Cpu;
using Aegis.Kernel.Image;

namespace Aegis.Emu.Tracing;

/// <summary>
/// The tracer and checkers a run asked for (`--trace FILE`, `--trace-range LO-HI`, `--trace-el N`, `--trace-task N`,
/// `--check wx,exit,tlb,icache|all`), attached to a CPU, and their report at the end of the run.
/// </summary>
public sealed class TraceSession : IDisposable
{
    public static readonly string[] CheckerNames = ["wx", "exit", "tlb", "icache"];

    public InstructionTracer? Tracer { get; }
    public IReadOnlyList<Checker> Checkers { get; }
    private readonly TextWriter? _traceWriter;

    public TraceSession(Cpu cpu, KernelSymbols? symbols, TextWriter? trace, TraceFilter filter, IEnumerable<string> checks, bool stopOnViolation = true)
    {
        ulong? current = symbols?.TryGet("current_task", out var s) == true ? s.Address : null;
        var tasks = new TaskResolver(cpu, current);
        if (trace is not null)
        {
            _traceWriter = trace;
            Tracer = new InstructionTracer(trace, symbols, filter, tasks);
            cpu.AttachHook(Tracer);
        }
        var list = new List<Checker>();
        foreach (string c in checks.Distinct())
        {
            Checker checker = c switch
            {
                "wx" => new WxChecker(cpu, symbols, tasks) { StopOnViolation = stopOnViolation },
                "exit" => new ExitChecker(cpu, symbols, tasks) { StopOnViolation = stopOnViolation },
                "tlb" => new TlbChecker(cpu, symbols, tasks) { StopOnViolation = stopOnViolation },
                "icache" => new ICacheChecker(cpu, symbols, tasks) { StopOnViolation = stopOnViolation },
                _ => throw new ArgumentException($"unknown checker {c}"),
            };
            cpu.AttachHook(checker);
            list.Add(checker);
        }
        Checkers = list;
    }

    /// <summary>"wx,tlb" / "all" into checker names; null (with <paramref name="error"/>) for an unknown one.</summary>
    public static string[]? ParseChecks(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return [];
        var names = new List<string>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part == "all") names.AddRange(CheckerNames);
            else if (CheckerNames.Contains(part)) names.Add(part);
            else { error = $"unknown checker '{part}' (known: {string.Join(", ", CheckerNames)}, all)"; return null; }
        }
        return [.. names.Distinct()];
    }

    public bool AnyViolation => Checkers.Any(c => c.First is not null);

    /// <summary>One line per checker.</summary>
    public void Report(TextWriter w)
    {
        foreach (var c in Checkers) w.WriteLine($"[aegis-emu] check {c.Summary()}");
    }

    public void Dispose()
    {
        Tracer?.Dispose();
        _traceWriter?.Dispose();
    }

    /// <summary>The command-line options, shared by `run` and `boot`.</summary>
    public sealed class Options
    {
        public Option<string?> Trace { get; } = new("--trace") { Description = "write one line per executed instruction to FILE" };
        public Option<string?> Range { get; } = new("--trace-range") { Description = "trace only PCs in LO-HI (hex, inclusive)" };
        public Option<int?> El { get; } = new("--trace-el") { Description = "trace only at this exception level" };
        public Option<int?> Task { get; } = new("--trace-task") { Description = "trace only while this AegisOS task is current" };
        public Option<string?> Check { get; } = new("--check") { Description = "checkers: wx,exit,tlb,icache or all (report the first violation of each and stop)" };

        public void AddTo(Command cmd)
        {
            cmd.Options.Add(Trace);
            cmd.Options.Add(Range);
            cmd.Options.Add(El);
            cmd.Options.Add(Task);
            cmd.Options.Add(Check);
        }

        public Values Get(ParseResult p) => new(p.GetValue(Trace), p.GetValue(Range), p.GetValue(El), p.GetValue(Task), p.GetValue(Check));
    }

    /// <summary>The parsed options; <see cref="Start"/> opens the trace file and attaches everything.</summary>
    public sealed record Values(string? Trace, string? Range, int? El, int? Task, string? Check)
    {
        public bool Any => Trace is not null || Check is not null;

        /// <summary>Null with <paramref name="error"/> set when an option is malformed or the file cannot be created.</summary>
        public TraceSession? Start(Cpu cpu, byte[] image, out string? error)
        {
            error = null;
            if (!Any) return null;
            var checks = ParseChecks(Check, out error);
            if (checks is null) return null;
            var filter = new TraceFilter(El: El, Task: Task);
            if (Range is not null)
            {
                if (TraceFilter.ParseRange(Range) is not { } r) { error = $"--trace-range {Range}: expected LO-HI in hex"; return null; }
                filter = filter with { Lo = r.Lo, Hi = r.Hi };
            }
            KernelSymbols? symbols = null;
            try { symbols = KernelSymbols.Parse(image); } catch (InvalidDataException) { }
            TextWriter? writer = null;
            if (Trace is not null)
            {
                try { writer = new StreamWriter(Trace, append: false) { AutoFlush = false }; }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { error = $"cannot create {Trace}: {e.Message}"; return null; }
            }
            return new TraceSession(cpu, symbols, writer, filter, checks);
        }
    }
}
