using System.Diagnostics;
using Aegis.Emulator.Cpu;

namespace Aegis.Emu;

/// <summary>
/// The progress line of a long `run` or `boot` on a terminal (issue 13): on stderr, rewritten in place with '\r'
/// every <see cref="Interval"/> of host time once the run has lasted <see cref="Delay"/>:
/// <c>[aegis-emu] 1.250 s guest, 1011234567 instructions, 20.4 guest MIPS</c>. Only when stderr is a terminal
/// (<see cref="Console.IsErrorRedirected"/> false) and the command writes to it (<see cref="Console.Error"/>, not a
/// test's writer): a log or a test's captured stderr never sees it.
/// <para>Host time drives the display only. A timer thread reads <see cref="Cpu.Cycles"/> and <see cref="Cpu.Retired"/>
/// (a display may show a value a few instructions old) and writes nothing into the machine, so the guest runs exactly
/// as without it. The console's lines go to the same terminal: <see cref="Flush"/> takes the line off the screen before
/// the console writes and lets the next update draw it again; <see cref="Dispose"/> clears it before the summary.</para>
/// </summary>
internal sealed class ProgressLine : IDisposable
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(0.5);

    private readonly Cpu _cpu;
    private readonly TextWriter _stderr;
    private readonly double _cyclesPerSecond;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly ulong _retired0;
    private readonly Timer? _timer;
    private readonly object _lock = new();
    private int _shown; // characters of the line on the screen now (0: none)
    private bool _done;

    /// <param name="enabled">Whether to draw at all (default: <paramref name="stderr"/> is the process's stderr and that
    /// is a terminal); false makes every call a no-op.</param>
    /// <param name="delay">When the first update comes (default <see cref="Delay"/>), <paramref name="interval"/> the
    /// time between updates (default <see cref="Interval"/>).</param>
    public ProgressLine(Cpu cpu, TextWriter stderr, double cyclesPerSecond, bool? enabled = null, TimeSpan? delay = null, TimeSpan? interval = null)
    {
        _cpu = cpu;
        _stderr = stderr;
        _cyclesPerSecond = cyclesPerSecond;
        _retired0 = cpu.Retired;
        if (enabled ?? (ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected))
            _timer = new Timer(_ => Update(), null, delay ?? Delay, interval ?? Interval);
    }

    /// <summary>The text of the line for a run that has retired <paramref name="instructions"/> in
    /// <paramref name="hostSeconds"/> and reached <paramref name="cycles"/>.</summary>
    public static string Format(ulong cycles, ulong instructions, double hostSeconds, double cyclesPerSecond) =>
        $"[aegis-emu] {cycles / cyclesPerSecond:F3} s guest, {instructions} instructions, " +
        $"{instructions / Math.Max(hostSeconds, 1e-9) / 1e6:F1} guest MIPS";

    private void Update()
    {
        lock (_lock)
        {
            if (_done) return;
            string text = Format(_cpu.Cycles, _cpu.Retired - _retired0, _watch.Elapsed.TotalSeconds, _cyclesPerSecond);
            // '\r', the text, and blanks over what is left of a longer previous line; the cursor stays at its end.
            _stderr.Write("\r" + text + new string(' ', Math.Max(0, _shown - text.Length)));
            _stderr.Flush();
            _shown = Math.Max(text.Length, _shown);
        }
    }

    /// <summary>Runs <paramref name="write"/> (the console's flush) with the line off the screen; it is drawn again at
    /// the next update. Without a line shown, just runs it.</summary>
    public void Flush(Action write)
    {
        if (_timer is null) { write(); return; }
        lock (_lock)
        {
            Clear();
            write();
        }
    }

    private void Clear()
    {
        if (_shown == 0) return;
        _stderr.Write("\r" + new string(' ', _shown) + "\r");
        _stderr.Flush();
        _shown = 0;
    }

    /// <summary>Stops the updates and clears the line (before the run's summary).</summary>
    public void Dispose()
    {
        if (_timer is null) return;
        lock (_lock)
        {
            _done = true;
            Clear();
        }
        _timer.Dispose();
    }
}
