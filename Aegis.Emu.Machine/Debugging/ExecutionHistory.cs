using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Devices;
using Aegis.Emulator.Devices.Snapshots;

namespace Aegis.Emu.Debugging;

/// <summary>
/// Reverse execution for the debuggers (docs/DEBUGGING.md), built on whole-machine snapshots and determinism: the
/// machine's position is <see cref="Cpu.Steps"/>; a checkpoint (an in-memory <see cref="MachineSnapshot"/>) is kept
/// every <see cref="Interval"/> steps of forward execution; going back to position p restores the last checkpoint at
/// or before p and runs forward to p. Finding the last breakpoint or watchpoint hit before a position replays the
/// checkpoint intervals backwards, one at a time, with hooks on the breakpoint addresses and watched ranges only.
/// Console input sent during the session (<see cref="SendInput"/>) is recorded with its position and delivered again
/// at the same position on every replay, so a replay is the run that happened.
/// </summary>
public sealed class ExecutionHistory
{
    public const ulong DefaultInterval = 1_000_000;
    /// <summary>When more are kept, every other one is dropped and the interval doubles: memory stays bounded.</summary>
    public const int MaxCheckpoints = 128;

    private readonly VirtBoard _board;
    private readonly Func<MachineSnapshot> _take;
    private readonly Action<MachineSnapshot> _restore;
    private readonly List<(ulong Position, MachineSnapshot Snapshot)> _checkpoints = [];
    private readonly List<(ulong Position, byte[] Bytes)> _inputs = [];

    /// <param name="take">How a checkpoint is taken (default: the board's snapshot; the AegisOS machine adds its task
    /// accounting); <paramref name="restore"/> its inverse.</param>
    public ExecutionHistory(VirtBoard board, ulong interval = DefaultInterval, Func<MachineSnapshot>? take = null,
        Action<MachineSnapshot>? restore = null)
    {
        _board = board;
        _take = take ?? board.TakeSnapshot;
        _restore = restore ?? board.RestoreSnapshot;
        Interval = interval;
        _checkpoints.Add((Position, _take()));
        Frontier = Position;
    }

    public ulong Interval { get; private set; }
    public ulong Position => _board.Cpu.Steps;
    /// <summary>The oldest position the history can return to (where the debugger attached).</summary>
    public ulong Start => _checkpoints[0].Position;
    /// <summary>The furthest position executed: below it, execution is a replay (its console output was already seen).</summary>
    public ulong Frontier { get; private set; }
    public int CheckpointCount => _checkpoints.Count;

    /// <summary>After forward execution: extends the frontier and keeps a checkpoint when an interval has passed.</summary>
    public void Advanced()
    {
        if (Position > Frontier) Frontier = Position;
        if (Position < _checkpoints[^1].Position + Interval) return;
        _checkpoints.Add((Position, _take()));
        if (_checkpoints.Count <= MaxCheckpoints) return;
        for (int i = _checkpoints.Count - 2; i > 0; i -= 2) _checkpoints.RemoveAt(i);
        Interval *= 2;
    }

    /// <summary>
    /// The state was changed from outside (a debugger wrote memory or a register): what comes after this position is
    /// no longer the recorded history, so its checkpoints and inputs are dropped and the frontier is here.
    /// </summary>
    public void Diverged()
    {
        _checkpoints.RemoveAll(c => c.Position > Position);
        _inputs.RemoveAll(i => i.Position >= Position);
        if (_checkpoints[^1].Position == Position) _checkpoints[^1] = (Position, _take());
        else _checkpoints.Add((Position, _take()));
        Frontier = Position;
    }

    /// <summary>Sends console input now and records it for replays.</summary>
    public void SendInput(ReadOnlySpan<byte> bytes)
    {
        if (Position < Frontier) Diverged(); // new input in the past: a different future
        _inputs.Add((Position, bytes.ToArray()));
        _board.Uart.Receive(bytes);
    }

    /// <summary>Moves the machine to <paramref name="target"/> (at least <see cref="Start"/>, at most <see cref="Frontier"/>).</summary>
    public void GoTo(ulong target)
    {
        target = Math.Clamp(target, Start, Frontier);
        var cp = _checkpoints.FindLast(c => c.Position <= target);
        if (target < Position || cp.Position > Position) _restore(cp.Snapshot);
        Replay(target);
    }

    /// <summary>Runs forward from the current position to <paramref name="target"/> (≤ <see cref="Frontier"/>), console muted, inputs delivered.</summary>
    private void Replay(ulong target)
    {
        RunMuted(target);
        DeliverInputsAt(Position);
    }

    /// <summary>
    /// The replay loop of <see cref="Replay"/> and <see cref="ScanSegment"/>: runs to <paramref name="end"/> with the
    /// console muted, in runs split at the recorded inputs' positions (each delivered as its position is reached);
    /// <paramref name="afterRun"/> sees why each run stopped and may run on (returning the final reason). Ends early at a
    /// guest exit or a WFI nothing can wake.
    /// </summary>
    private void RunMuted(ulong end, Func<StopReason, StopReason>? afterRun = null)
    {
        var cpu = _board.Cpu;
        var console = _board.ConsoleOutput;
        _board.ConsoleOutput = _ => { };
        try
        {
            while (Position < end)
            {
                DeliverInputsAt(Position);
                ulong next = NextInputAfter(Position) is { } i && i < end ? i : end;
                var reason = cpu.Run(next - Position);
                if (afterRun is not null) reason = afterRun(reason);
                if (reason is StopReason.GuestExit or StopReason.WaitForever) break;
            }
        }
        finally { _board.ConsoleOutput = console; }
    }

    private void DeliverInputsAt(ulong position)
    {
        foreach (var (p, bytes) in _inputs)
            if (p == position) _board.Uart.Receive(bytes);
    }

    private ulong? NextInputAfter(ulong position)
    {
        foreach (var (p, _) in _inputs)
            if (p > position) return p;
        return null;
    }

    /// <summary>A hit found going backwards: the position of the breakpoint's instruction, or of the instruction that
    /// changed a watched range (with the watched bytes before and after it).</summary>
    public readonly record struct Hit(ulong Position, Watchpoint? Watch = null, byte[]? Old = null, byte[]? New = null);

    /// <summary>
    /// The last position before <paramref name="end"/> where execution met one of <paramref name="breakpoints"/> (PC there,
    /// before the instruction) or an instruction changed the bytes of one of <paramref name="watchpoints"/>; null when none
    /// since <see cref="Start"/>. Leaves the machine at an unspecified position: <see cref="GoTo"/> after it.
    /// </summary>
    public Hit? LastHitBefore(ulong end, IEnumerable<ulong> breakpoints, IReadOnlyList<Watchpoint> watchpoints)
    {
        var addresses = breakpoints.ToArray();
        if (addresses.Length == 0 && watchpoints.Count == 0) return null;
        for (int k = _checkpoints.FindLastIndex(c => c.Position < end); k >= 0; k--)
        {
            ulong segmentEnd = k + 1 < _checkpoints.Count ? Math.Min(end, _checkpoints[k + 1].Position) : end;
            _restore(_checkpoints[k].Snapshot);
            if (ScanSegment(segmentEnd, addresses, watchpoints) is { } hit) return hit;
        }
        return null;
    }

    /// <summary>Replays to <paramref name="end"/> with hooks on the breakpoints and watched ranges; the last hit on the way.</summary>
    private Hit? ScanSegment(ulong end, ulong[] breakpoints, IReadOnlyList<Watchpoint> watchpoints)
    {
        var cpu = _board.Cpu;
        Hit? last = null;
        Watchpoint? changed = null;
        byte[]? old = null, now = null;
        bool atBreakpoint = false;
        bool stepping = false;
        var shadows = watchpoints.Select(w => Bytes(w)).ToArray();
        var hooks = new List<HookHandle>();
        foreach (ulong a in breakpoints)
            hooks.Add(cpu.AddHook(Hook.Fetch((c, _, _, _) =>
            {
                if (stepping) return; // executing the breakpoint just recorded
                atBreakpoint = true;
                c.RequestStop();
            }), a, a));
        for (int i = 0; i < watchpoints.Count; i++)
        {
            var w = watchpoints[i];
            var shadow = shadows[i];
            hooks.Add(cpu.AddHook(Hook.MemoryAccess((Cpu c, in MemoryAccess a) =>
            {
                if (!a.IsWrite) return;
                var bytes = Bytes(w);
                if (bytes.AsSpan().SequenceEqual(shadow)) return;
                (old, now) = (shadow.ToArray(), bytes);
                bytes.CopyTo(shadow, 0);
                changed = w;
                c.RequestStop();
            }), w.Address, w.Address + (ulong)w.Length - 1));
        }
        try
        {
            RunMuted(end, reason =>
            {
                if (atBreakpoint)
                {
                    // Stopped before the instruction: its position is the current one.
                    atBreakpoint = false;
                    last = new Hit(Position);
                    // One step with the breakpoints quiet: the instruction (or an interrupt taken first, after which
                    // returning to it is a hit again, as going forward would stop there).
                    stepping = true;
                    try { reason = cpu.Run(1); }
                    finally { stepping = false; }
                }
                if (changed is not null)
                {
                    // Stopped after the writer: it was the step just made.
                    last = new Hit(Position - 1, changed, old, now);
                    changed = null;
                }
                return reason;
            });
        }
        finally
        {
            foreach (var h in hooks) h.Remove();
        }
        return last;
    }

    private byte[] Bytes(Watchpoint w) => _board.Bus.Ram.Slice((int)w.RamOffset, w.Length).ToArray();
}
