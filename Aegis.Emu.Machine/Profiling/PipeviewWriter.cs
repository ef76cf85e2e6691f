using Aegis.Emu.Debugging;
using Aegis.Emu.Tracing;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Cpu.Timing.A53;
using Aegis.Kernel.Image;

namespace Aegis.Emu.Profiling;

/// <summary>
/// `--pipeview FILE`: the A53 model's timeline of every traced instruction (the --trace-range/-el/-task filters) in the
/// Kanata 0004 log format the Konata pipeline viewer opens. Per instruction (file id n, simulator id = its index
/// among all retired instructions, thread 0):
/// <c>F</c> from its fetch cycle (clamped: below), <c>I0</c>/<c>I1</c> (issue in slot 0 or 1) at its issue cycle, <c>X</c> from
/// issue + 1 to its result cycle (absent for a 1-cycle result), <c>W</c> for the one cycle at its result cycle
/// (at least issue + 1), then <c>R n n 0</c> (retire). Each stage is ended by an explicit <c>E</c>.
/// The left-pane label (L type 0) is "pc symbol+off disassembly", with " [redirect]" appended when the instruction
/// redirected the stream (a mispredict, an exception entry or ERET, an ISB); the mouse-over text (L type 1) gives EL,
/// task and the raw cycles. Only retired instructions are modelled, so no wrongly fetched instruction is ever
/// shown flushed (R type 1 is never written). F starts at the later of the model's fetch cycle and the last issue
/// cycle before the instruction's own (and never before the previous instruction's F): the model's fetch cycle is when the
/// front end could first deliver the instruction, which stays at the last redirect or I-side miss for a whole
/// straight-line run, so F shows the cycles the instruction waited in the front end behind the older ones. The raw
/// cycles are in the mouse-over text. Kanata needs non-decreasing cycles: events wait in a queue until no later
/// instruction can start before them (every later instruction's F is at or after the current one's).
/// </summary>
public sealed class PipeviewWriter : CpuHook, IPipelineObserver, IDisposable
{
    public const string NeedsA53 = "--pipeview needs the a53 timing model (--timing a53)";

    private readonly Cpu _cpu;
    private readonly A53Model _model;
    private readonly TextWriter _out;
    private readonly KernelSymbols? _symbols;
    private readonly IReadOnlyList<UserImage> _users;
    private readonly TraceFilter _filter;
    private readonly TaskResolver _tasks;
    private readonly Debugging.Disassembler _dis = new();
    private readonly PriorityQueue<string, (ulong Cycle, long Seq)> _queue = new();
    private long _seq;
    private bool _active, _started, _finished;
    private int _el, _task;
    private ulong _cycle, _lastFetch, _issue, _issueBefore;

    /// <summary>Instructions written so far.</summary>
    public ulong Instructions { get; private set; }

    /// <exception cref="ArgumentException">The CPU's timing model is not <see cref="A53Model"/>, or it already has an observer.</exception>
    public PipeviewWriter(Cpu cpu, TextWriter output, KernelSymbols? symbols, IReadOnlyList<UserImage>? userImages, TraceFilter filter, TaskResolver tasks)
    {
        if (UsageError(cpu) is { } error) throw new ArgumentException(error);
        _cpu = cpu;
        _model = (A53Model)cpu.Timing;
        _out = output;
        _symbols = symbols;
        _users = userImages ?? [];
        _filter = filter;
        _tasks = tasks;
        _issue = _issueBefore = cpu.Cycles;
        _out.WriteLine("Kanata\t0004");
        _model.Observer = this;
    }

    /// <summary>Why a pipeview cannot be attached to <paramref name="cpu"/>, or null.</summary>
    public static string? UsageError(Cpu cpu) => cpu.Timing switch
    {
        A53Model { Observer: not null } => "--pipeview: the a53 model already has a pipeline observer",
        A53Model => null,
        var t => $"{NeedsA53}; this run uses '{t.Name}'",
    };

    public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding)
    {
        _active = pc >= _filter.Lo && pc <= _filter.Hi && (_filter.El is not { } el || el == cpu.EL);
        if (!_active) return;
        _task = _tasks.Current;
        if (_filter.Task is { } t && t != _task) { _active = false; return; }
        _el = cpu.EL;
    }

    public override void OnRetire(Cpu cpu, ulong pc, uint encoding) => _active = false;

    public void OnRetire(in PipelineRecord r)
    {
        // The latest issue cycle before this instruction's own (a dual-issued instruction waited as long as its partner).
        ulong floor = r.IssueCycle > _issue ? _issue : _issueBefore;
        if (r.IssueCycle > _issue) { _issueBefore = _issue; _issue = r.IssueCycle; }
        if (!_active || _finished) return;
        _active = false;
        ulong f = Math.Max(Math.Max(r.FetchCycle, floor), _lastFetch);
        _lastFetch = f;
        ulong issue = Math.Max(r.IssueCycle, f);
        ulong wb = Math.Max(r.ResultCycle, issue + 1);
        ulong id = Instructions++;
        Drain(f);

        string sym = Describe(r.Pc);
        string label = $"{r.Pc:x} {(sym.Length == 0 ? "" : sym + " ")}{_dis.Disassemble(r.Pc, r.Encoding, Tracing.InstructionTracer.Undefined)}{(r.Redirected ? " [redirect]" : "")}";
        string detail = $"EL{_el} {Profiler.TaskName(_task)} enc {r.Encoding:x8} fetch {r.FetchCycle} issue {r.IssueCycle} slot {r.Slot} result {r.ResultCycle}" +
            (r.Redirected ? " redirected the stream (mispredict, exception, ERET or ISB)" : "");
        Add(f, $"I\t{id}\t{_cpu.Retired - 1}\t0");
        Add(f, $"L\t{id}\t0\t{Clean(label)}");
        Add(f, $"L\t{id}\t1\t{Clean(detail)}");
        Add(f, $"S\t{id}\t0\tF");
        Add(issue, $"E\t{id}\t0\tF");
        string iss = r.Slot == 1 ? "I1" : "I0";
        Add(issue, $"S\t{id}\t0\t{iss}");
        if (wb > issue + 1)
        {
            Add(issue + 1, $"E\t{id}\t0\t{iss}");
            Add(issue + 1, $"S\t{id}\t0\tX");
            Add(wb, $"E\t{id}\t0\tX");
        }
        else Add(wb, $"E\t{id}\t0\t{iss}");
        Add(wb, $"S\t{id}\t0\tW");
        Add(wb + 1, $"E\t{id}\t0\tW");
        Add(wb + 1, $"R\t{id}\t{id}\t0");
    }

    private string Describe(ulong pc)
    {
        foreach (var u in _users)
            if (u.Contains(pc) && u.Symbols.Describe(pc) is { } d) return $"{u.Name}:{d}";
        return _symbols?.Describe(pc) ?? "";
    }

    private static string Clean(string s) => s.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    private void Add(ulong cycle, string line) => _queue.Enqueue(line, (cycle, _seq++));

    /// <summary>Writes every queued event before <paramref name="before"/>, in cycle order.</summary>
    private void Drain(ulong before)
    {
        while (_queue.TryPeek(out var line, out var key) && key.Cycle < before)
        {
            _queue.Dequeue();
            if (!_started) { _out.WriteLine($"C=\t{key.Cycle}"); _cycle = key.Cycle; _started = true; }
            else if (key.Cycle > _cycle) { _out.WriteLine($"C\t{key.Cycle - _cycle}"); _cycle = key.Cycle; }
            _out.WriteLine(line);
        }
    }

    /// <summary>Writes what is still queued and detaches from the model; later instructions are not written.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        Drain(ulong.MaxValue);
        _out.Flush();
        if (ReferenceEquals(_model.Observer, this)) _model.Observer = null;
    }

    public void Dispose()
    {
        Finish();
        _dis.Dispose();
    }
}
