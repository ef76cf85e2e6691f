using Aegis.Emulator.Cpu;

namespace Aegis.Emu.Debugging;

/// <summary>Going back in time (docs/DEBUGGING.md "Reverse execution"): stepping back and continuing backwards to the
/// last breakpoint or watchpoint hit, on the recorded <see cref="ExecutionHistory"/>.</summary>
public sealed partial class DebugTarget
{
    /// <summary>Checkpoints and recorded input of this session, from where the debugger attached.</summary>
    public ExecutionHistory History { get; private set; }

    /// <summary>Forgets the history and records anew from here, a checkpoint every <paramref name="interval"/> steps.</summary>
    public void RestartHistory(ulong interval = ExecutionHistory.DefaultInterval) =>
        History = Os is { } os ? new ExecutionHistory(Board, interval, os.TakeSnapshot, os.RestoreSnapshot) : new ExecutionHistory(Board, interval);

    /// <summary>
    /// Forward execution of up to <paramref name="steps"/> steps. Below the history's frontier it is a replay: the
    /// console output of those steps was already shown, so it is muted there, and a run never crosses the frontier
    /// muted (it stops at it; callers loop).
    /// </summary>
    private StopReason RunForward(ulong steps)
    {
        StopReason reason;
        if (History.Position < History.Frontier)
        {
            steps = Math.Min(steps, History.Frontier - History.Position);
            var console = Board.ConsoleOutput;
            Board.ConsoleOutput = _ => { };
            try { reason = Cpu.Run(steps); }
            finally { Board.ConsoleOutput = console; }
        }
        else reason = Cpu.Run(steps);
        History.Advanced();
        return reason;
    }

    /// <summary>Goes back <paramref name="steps"/> steps (instructions, or exceptions entered between them); stops at
    /// the start of the history (<see cref="StopKind.HistoryStart"/>) if it comes first.</summary>
    public StopInfo StepBack(ulong steps = 1)
    {
        ulong available = History.Position - History.Start;
        TravelTo(History.Position - Math.Min(steps, available));
        return new StopInfo(steps > available ? StopKind.HistoryStart : StopKind.Step, Cpu.PC);
    }

    /// <summary>
    /// Runs backwards to the last breakpoint (PC there, the instruction not yet executed) or watchpoint change (PC at
    /// the writer, the old value in memory) before the current position, or to the start of the history.
    /// </summary>
    public StopInfo ReverseContinue()
    {
        ulong from = History.Position;
        var hit = History.LastHitBefore(from, Breakpoints.Keys, Watchpoints);
        if (hit is not { } h)
        {
            TravelTo(History.Start);
            return new StopInfo(StopKind.HistoryStart, Cpu.PC);
        }
        TravelTo(h.Position);
        return h.Watch is { } w
            ? new StopInfo(StopKind.Watchpoint, Cpu.PC, w, Cpu.PC, h.Old, h.New)
            : new StopInfo(StopKind.Breakpoint, Cpu.PC);
    }

    /// <summary>Moves to a position of the history; the debugger's view (exit flag, watched bytes) follows.</summary>
    private void TravelTo(ulong position)
    {
        History.GoTo(position);
        Exited = false;
        RefreshWatchSnapshots();
    }

    /// <summary>A debugger changed registers: the future is no longer the recorded one.</summary>
    public void RegistersChanged() => History.Diverged();
}
