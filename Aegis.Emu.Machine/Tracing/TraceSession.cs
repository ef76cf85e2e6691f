using Aegis.Emu.Debugging;
using Aegis.Emu.Profiling;
using Aegis.Emu.Tracing.Checkers;
using Aegis.Emulator.Cpu;
using Aegis.Kernel.Image;

namespace Aegis.Emu.Tracing;

/// <summary>
/// The tracer, checkers, profiler and pipeline view a run asked for (`--trace FILE`, `--trace-range LO-HI`,
/// `--trace-el N`, `--trace-task N`, `--check wx,exit,tlb,icache|all`, `--profile FILE`, `--pipeview FILE`,
/// `--coverage FILE`), attached to a CPU, and their report at the end of the run. The filters apply to the tracer and
/// the pipeline view; the profile and the coverage always cover the whole run.
/// </summary>
public sealed class TraceSession : IDisposable
{
    public static readonly string[] CheckerNames = ["wx", "exit", "tlb", "icache", "kwrite", "context"];

    public InstructionTracer? Tracer { get; }
    public IReadOnlyList<Checker> Checkers { get; }
    public Profiler? Profiler { get; }
    public PipeviewWriter? Pipeview { get; }
    public Coverage.CoverageSession? Coverage { get; private init; }
    private readonly TextWriter? _traceWriter;
    private readonly ProfileFiles? _profileFiles;
    private readonly string _timing;
    private bool _profileWritten;
    private TextWriter? _pipeviewWriter;

    /// <summary>Where `--profile` writes: the table of all entries and/or the folded stacks (either may be null).</summary>
    public sealed record ProfileFiles(TextWriter? Table, TextWriter? Folded);

    /// <param name="profile">Non-null to profile the run; its writers are filled and disposed at <see cref="Report"/> (or <see cref="Dispose"/>).</param>
    /// <param name="pipeview">Non-null to write the Kanata pipeline view (requires <c>cpu.Timing</c> to be an <see cref="Emulator.Cpu.Timing.A53.A53Model"/>).</param>
    /// <param name="userImages">AegisOS boot-bundle ELFs, naming EL0 code for the profile and the pipeline view.</param>
    /// <exception cref="ArgumentException">A pipeline view on a CPU whose model is not the A53 model (<see cref="PipeviewWriter.UsageError"/>).</exception>
    public TraceSession(Cpu cpu, KernelSymbols? symbols, TextWriter? trace, TraceFilter filter, IEnumerable<string> checks, bool stopOnViolation = true,
        ProfileFiles? profile = null, TextWriter? pipeview = null, IReadOnlyList<UserImage>? userImages = null,
        IReadOnlyList<(ulong Lo, ulong Hi)>? kernelData = null)
    {
        if (pipeview is not null && PipeviewWriter.UsageError(cpu) is { } pipeError) throw new ArgumentException(pipeError, nameof(pipeview));
        ulong? current = symbols?.TryGet("current_task", out var s) == true ? s.Address : null;
        var tasks = new TaskResolver(cpu, current);
        _timing = cpu.Timing.Name;
        if (pipeview is not null)
        {
            Pipeview = new PipeviewWriter(cpu, pipeview, symbols, userImages, filter, tasks);
            cpu.AddHook(Pipeview);
        }
        if (profile is not null)
        {
            _profileFiles = profile;
            Profiler = new Profiler(cpu, symbols, userImages, tasks);
            cpu.AddHook(Profiler);
        }
        if (trace is not null)
        {
            _traceWriter = trace;
            Tracer = new InstructionTracer(trace, symbols, filter, tasks);
            cpu.AddHook(Tracer);
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
                "kwrite" => new KernelWriteChecker(cpu, symbols, tasks, kernelData ?? []) { StopOnViolation = stopOnViolation },
                "context" => new ContextChecker(cpu, symbols, tasks) { StopOnViolation = stopOnViolation },
                _ => throw new ArgumentException($"unknown checker {c}"),
            };
            cpu.AddHook(checker);
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

    /// <summary>
    /// One line per checker; with a profile the top 15 functions as a table (and the profile files are written);
    /// with a pipeline view, how many instructions it holds.
    /// </summary>
    public void Report(TextWriter w)
    {
        foreach (var c in Checkers) w.WriteLine($"[aegis-emu] check {c.Summary()}");
        if (Profiler is not null)
        {
            Profiler.WriteTop(w);
            WriteProfile();
        }
        if (Pipeview is not null)
        {
            Pipeview.Finish();
            w.WriteLine($"[aegis-emu] pipeview: {Pipeview.Instructions} instructions");
        }
        if (Coverage is not null) w.WriteLine($"[aegis-emu] {Coverage.Write()}");
    }

    private void WriteProfile()
    {
        if (Profiler is null || _profileWritten) return;
        _profileWritten = true;
        if (_profileFiles!.Table is { } table) { Profiler.WriteTable(table, _timing); table.Dispose(); }
        if (_profileFiles.Folded is { } folded) { Profiler.WriteFolded(folded); folded.Dispose(); }
    }

    /// <summary>Closes the trace and pipeline view and writes the profile files if <see cref="Report"/> has not.</summary>
    public void Dispose()
    {
        Tracer?.Dispose();
        _traceWriter?.Dispose();
        WriteProfile();
        Coverage?.Write();
        Pipeview?.Dispose();
        _pipeviewWriter?.Dispose();
    }

    /// <summary>The parsed options; <see cref="Start"/> opens the files and attaches everything.</summary>
    public sealed record Values(string? Trace, string? Range, int? El, int? Task, string? Check, string? Profile = null, string? Pipeview = null,
        string? Coverage = null)
    {
        /// <summary>Where the image and the bundle came from (not options): coverage finds their sources next to them.</summary>
        public string? ImagePath { get; init; }
        public string? BundlePath { get; init; }

        public bool Any => Trace is not null || Check is not null || Profile is not null || Pipeview is not null || Coverage is not null;

        /// <summary>The options given, by their command-line names (for "cannot be combined with" messages).</summary>
        public IEnumerable<string> Given()
        {
            if (Trace is not null) yield return "--trace";
            if (Range is not null) yield return "--trace-range";
            if (El is not null) yield return "--trace-el";
            if (Task is not null) yield return "--trace-task";
            if (Check is not null) yield return "--check";
            if (Profile is not null) yield return "--profile";
            if (Pipeview is not null) yield return "--pipeview";
            if (Coverage is not null) yield return "--coverage";
        }

        /// <summary>
        /// Null with <paramref name="error"/> set when an option is malformed, a file cannot be created, or --pipeview
        /// is asked of a CPU whose timing model is not the A53 model: set <c>cpu.Timing</c> before calling this.
        /// </summary>
        /// <param name="image">The ELF being run (its .symtab names functions).</param>
        /// <param name="bundle">AegisOS `boot`: the boot bundle, whose user ELFs name EL0 code (null for `run`).</param>
        public TraceSession? Start(Cpu cpu, byte[] image, out string? error, byte[]? bundle = null)
        {
            error = null;
            if (!Any) return null;
            var checks = ParseChecks(Check, out error);
            if (checks is null) return null;
            if (Pipeview is not null && PipeviewWriter.UsageError(cpu) is { } pipeError) { error = pipeError; return null; }
            if (Coverage is not null && !Emulator.Devices.ElfImage.HasMagic(image))
            {
                error = "--coverage needs an ELF image (its symbols and line table), not a Linux Image or raw binary";
                return null;
            }
            var filter = new TraceFilter(El: El, Task: Task);
            if (Range is not null)
            {
                if (TraceFilter.ParseRange(Range) is not { } r) { error = $"--trace-range {Range}: expected LO-HI in hex"; return null; }
                filter = filter with { Lo = r.Lo, Hi = r.Hi };
            }
            KernelSymbols? symbols = null;
            try { symbols = KernelSymbols.Parse(image); } catch (InvalidDataException) { }
            var opened = new List<TextWriter>();
            string? openError = null;
            TextWriter? Open(string? path)
            {
                if (path is null || openError is not null) return null;
                try { var w = new StreamWriter(path, append: false) { AutoFlush = false }; opened.Add(w); return w; }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { openError = $"cannot create {path}: {e.Message}"; return null; }
            }
            TextWriter? writer = Open(Trace);
            ProfileFiles? profile = null;
            if (Profile is not null)
            {
                bool foldedOnly = Profile.EndsWith(".folded", StringComparison.OrdinalIgnoreCase);
                profile = new ProfileFiles(foldedOnly ? null : Open(Profile), Open(foldedOnly ? Profile : Profile + ".folded"));
            }
            TextWriter? pipeview = Open(Pipeview);
            if (openError is null && Coverage is not null) openError = Emu.Coverage.CoverageSession.CheckWritable(Coverage);
            if (openError is not null)
            {
                error = openError;
                foreach (var w in opened) w.Dispose();
                return null;
            }
            var users = bundle is null ? null : UserImage.FromBundle(bundle);
            return new TraceSession(cpu, symbols, writer, filter, checks, profile: profile, pipeview: pipeview, userImages: users,
                kernelData: Debugging.ElfSections.WritableSegments(image))
            {
                _pipeviewWriter = pipeview,
                Coverage = Coverage is null ? null : new Emu.Coverage.CoverageSession(cpu, Coverage, image, ImagePath, bundle, BundlePath),
            };
        }
    }
}
