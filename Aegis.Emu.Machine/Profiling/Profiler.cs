using System.Globalization;
using Aegis.Emu.Debugging;
using Aegis.Emu.Tracing;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Kernel.Image;

namespace Aegis.Emu.Profiling;

/// <summary>
/// `--profile FILE`: cycles and instructions per (task, function). Each retired instruction is charged the cycles the
/// clock advanced over it (<see cref="Cpu.Cycles"/> after it retired minus before it was fetched), so a WFI's sleep is
/// the WFI's. Cycles of an exception taken between instructions (an interrupt, a fetch abort) are charged to the
/// first instruction fetched after it, the handler's first instruction, without counting an instruction; the entry
/// of an exception after the last instruction of the run goes to the pseudo-function <see cref="ExceptionEntry"/>.
/// The sums of all entries are therefore exactly the cycles and instructions of the run since the profiler was
/// attached. Functions are named by the ELF's symbols and, for AegisOS, by the boot bundle's user ELFs
/// ("hello:main"); an address no symbol names is bucketed per 4 KiB page and EL: <c>[el1:0x40081000]</c>.
/// Stacks are one frame deep: there is no unwinding.
/// </summary>
public sealed class Profiler : CpuHook
{
    public const string ExceptionEntry = "[exception-entry]";

    /// <summary>One row of the profile.</summary>
    public sealed class Entry(string function, int task)
    {
        public string Function { get; } = function;
        /// <summary>The AegisOS task (<see cref="TaskResolver"/>), -1 when none is known.</summary>
        public int Task { get; } = task;
        public ulong Cycles { get; internal set; }
        public ulong Instructions { get; internal set; }
        public string TaskLabel => TaskName(Task);
        public double Ipc => Cycles == 0 ? 0 : (double)Instructions / Cycles;
    }

    private readonly KernelSymbols? _symbols;
    private readonly IReadOnlyList<UserImage> _users;
    private readonly TaskResolver _tasks;
    private readonly Dictionary<(ulong Pc, int El, int Task), Entry> _byPc = [];
    private readonly Dictionary<(string Function, int Task), Entry> _entries = [];
    private ulong _last;
    private Entry? _current;
    private readonly Cpu _cpu;

    /// <summary>The clock and retired count when the profiler was attached.</summary>
    public ulong StartCycles { get; }
    public ulong StartRetired { get; }

    public Profiler(Cpu cpu, KernelSymbols? symbols, IReadOnlyList<UserImage>? userImages, TaskResolver tasks)
    {
        _cpu = cpu;
        _symbols = symbols;
        _users = userImages ?? [];
        _tasks = tasks;
        _last = StartCycles = cpu.Cycles;
        StartRetired = cpu.Retired;
    }

    public static string TaskName(int task) => task < 0 ? "T-" : "T" + task.ToString(CultureInfo.InvariantCulture);

    public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding)
    {
        int el = cpu.EL, task = _tasks.Current;
        if (!_byPc.TryGetValue((pc, el, task), out var e))
            _byPc[(pc, el, task)] = e = EntryFor(FunctionAt(pc, el), task);
        ulong now = cpu.Cycles;
        e.Cycles += now - _last; // an exception entered since the last instruction: the handler's first instruction pays
        _last = now;
        _current = e;
    }

    public override void OnRetire(Cpu cpu, ulong pc, uint encoding)
    {
        if (_current is not { } e) return;
        ulong now = cpu.Cycles;
        e.Cycles += now - _last;
        e.Instructions++;
        _last = now;
        _current = null;
    }

    /// <summary>The function an address belongs to: a user ELF's symbol, the image's, else its page.</summary>
    public string FunctionAt(ulong pc, int el)
    {
        foreach (var u in _users)
            if (u.Contains(pc))
            {
                if (u.Symbols.Describe(pc) is { } d) return $"{u.Name}:{StripOffset(d)}";
                break;
            }
        if (_symbols?.Describe(pc) is { } k) return StripOffset(k);
        return $"[el{el}:0x{pc & ~0xFFFUL:x}]";
    }

    private static string StripOffset(string described)
    {
        int plus = described.LastIndexOf("+0x", StringComparison.Ordinal);
        return plus > 0 ? described[..plus] : described;
    }

    private Entry EntryFor(string function, int task)
    {
        if (!_entries.TryGetValue((function, task), out var e))
            _entries[(function, task)] = e = new Entry(function, task);
        return e;
    }

    /// <summary>
    /// All entries, most cycles first (then by function and task). Cycles the clock advanced after the last
    /// retired instruction (an exception entered at the very end) are charged to <see cref="ExceptionEntry"/> here.
    /// </summary>
    public IReadOnlyList<Entry> Entries()
    {
        ulong now = _cpu.Cycles;
        if (now > _last)
        {
            EntryFor(ExceptionEntry, _tasks.Current).Cycles += now - _last;
            _last = now;
        }
        return [.. _entries.Values.Where(e => e.Cycles != 0 || e.Instructions != 0)
            .OrderByDescending(e => e.Cycles).ThenBy(e => e.Function, StringComparer.Ordinal).ThenBy(e => e.Task)];
    }

    public ulong TotalCycles => _cpu.Cycles - StartCycles;
    public ulong TotalInstructions => _cpu.Retired - StartRetired;

    /// <summary>The top <paramref name="count"/> entries as the end-of-run table (stderr).</summary>
    public void WriteTop(TextWriter w, int count = 15)
    {
        var all = Entries();
        w.WriteLine($"[aegis-emu] profile: {TotalCycles} cycles, {TotalInstructions} instructions; top {Math.Min(count, all.Count)} of {all.Count} functions");
        WriteRows(w, all.Take(count), TotalCycles);
    }

    /// <summary>The FILE of `--profile FILE`: a header line with the totals and every entry.</summary>
    public void WriteTable(TextWriter w, string timing)
    {
        var all = Entries();
        w.WriteLine($"# aegis-emu profile: {TotalCycles} cycles, {TotalInstructions} instructions, timing {timing}; " +
            "exception entries between instructions are charged to the handler's first instruction");
        WriteRows(w, all, TotalCycles);
    }

    private static void WriteRows(TextWriter w, IEnumerable<Entry> rows, ulong total)
    {
        var list = rows.ToList();
        int width = Math.Max(8, list.Count == 0 ? 0 : list.Max(e => e.Function.Length));
        w.WriteLine($"{"function".PadRight(width)} {"task",-4} {"cycles",14} {"%cycles",7} {"instructions",14} {"IPC",6}");
        foreach (var e in list)
        {
            double pct = total == 0 ? 0 : 100.0 * e.Cycles / total;
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{e.Function.PadRight(width)} {e.TaskLabel,-4} {e.Cycles,14} {pct,7:F2} {e.Instructions,14} {e.Ipc,6:F3}"));
        }
    }

    /// <summary>
    /// The folded-stack format flame-graph tools read (flamegraph.pl, inferno, speedscope): one line per entry with
    /// cycles, <c>task;function cycles</c>, one frame deep (no unwinding). ';' and white space in names become '_'.
    /// </summary>
    public void WriteFolded(TextWriter w)
    {
        foreach (var e in Entries())
            if (e.Cycles != 0) w.WriteLine($"{Frame(e.TaskLabel)};{Frame(e.Function)} {e.Cycles}");
    }

    private static string Frame(string name)
    {
        if (name.AsSpan().IndexOfAny(";\t\r\n ") < 0) return name;
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
            if (chars[i] is ';' or ' ' or '\t' or '\r' or '\n') chars[i] = '_';
        return new string(chars);
    }
}
