using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Kernel.Image;
using Aegis.Kernel.Image.Abi;

namespace Aegis.Emu.Tracing.Checkers;

/// <summary>
/// A task resumes with the state it left EL0 with. At every exception taken from EL0 the task's X0-X30, SP_EL0, the
/// preferred return address, the SPSR image of PSTATE, TPIDR_EL0 and TPIDRRO_EL0 are kept; at the next return to
/// EL0 of that task they must be found again, whatever ran in between. An SVC may change X0-X3 only (AegisOS
/// returns results and IPC messages there, REFERENCE §5); an interrupt or any other exception changes nothing.
/// A restart (AegisOS <c>restart_task</c> entered for a Faulted task) and an exit end the task's saved state.
/// The task is the kernel's <c>current_task</c>, else the ASID (see <see cref="TaskResolver"/>).
/// </summary>
public sealed class ContextChecker : Checker
{
    private sealed record Saved(ulong[] X, ulong Sp, ulong Pc, ulong Spsr, ulong Tpidr, ulong TpidrRo, bool Svc, ulong Cycle, int Switches);

    private readonly Dictionary<int, Saved> _saved = [];
    private readonly ulong _restartTask = ulong.MaxValue;
    private int _switches;
    private int _lastTask = -1;

    public override string Name => "context";

    /// <summary>Returns to EL0 compared with a saved state; those after another task ran in between.</summary>
    public ulong Resumes { get; private set; }
    public ulong ResumesAfterSwitch { get; private set; }
    /// <summary>Returns compared whose state was saved at an interrupt or another exception that is not an SVC.</summary>
    public ulong ResumesAfterInterrupt { get; private set; }

    protected override string? Checked => 
        $"{Resumes} returns to EL0 compared ({ResumesAfterInterrupt} after an interrupt or fault), {ResumesAfterSwitch} after another task ran";

    public ContextChecker(Cpu cpu, KernelSymbols? symbols, TaskResolver tasks) : base(cpu, symbols, tasks)
    {
        if (symbols?.TryGet("restart_task", out var s) == true) _restartTask = s.Address;
    }

    public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding)
    {
        NoteFetch(pc, encoding);
        if (pc == _restartTask && ReadKernel(TcbLayout.TableSymbol, (int)cpu.X[0] * TcbLayout.Size + TcbLayout.StateOffset, 1)
                is { } state && state == (ulong)TaskState.Faulted)
            _saved.Remove((int)cpu.X[0]);
    }

    public override void OnExceptionEntry(Cpu cpu, int targetEl, ExceptionVector vector, uint esr, ulong preferredReturn)
    {
        if (cpu.EL != 0) return;
        int task = Tasks.Current;
        if (task < 0) return;
        bool svc = vector == ExceptionVector.Synchronous && (esr >> 26) == (uint)ExceptionClass.Svc64;
        _saved[task] = new Saved((ulong[])cpu.X.Clone(), cpu.SP, preferredReturn, cpu.PstateToSpsr(), cpu.Sys.TPIDR_EL0,
            cpu.Sys.TPIDRRO_EL0, svc, cpu.Cycles, _switches);
    }

    public override void OnExceptionReturn(Cpu cpu)
    {
        if (cpu.EL != 0) return;
        int task = Tasks.Current;
        if (task != _lastTask) _switches++;
        _lastTask = task;
        if (task < 0 || !_saved.Remove(task, out var s)) return;
        Resumes++;
        if (_switches > s.Switches) ResumesAfterSwitch++;
        if (!s.Svc) ResumesAfterInterrupt++;
        string why = s.Svc ? "SVC" : "exception";
        for (int r = s.Svc ? 4 : 0; r < 31; r++)
            if (cpu.X[r] != s.X[r]) { Mismatch(task, $"X{r}", cpu.X[r], s.X[r], why, s.Cycle); return; }
        if (cpu.SP != s.Sp) Mismatch(task, "SP_EL0", cpu.SP, s.Sp, why, s.Cycle);
        else if (cpu.NextPc != s.Pc) Mismatch(task, "PC", cpu.NextPc, s.Pc, why, s.Cycle);
        else if (cpu.PstateToSpsr() != s.Spsr) Mismatch(task, "PSTATE", cpu.PstateToSpsr(), s.Spsr, why, s.Cycle);
        else if (cpu.Sys.TPIDR_EL0 != s.Tpidr) Mismatch(task, "TPIDR_EL0", cpu.Sys.TPIDR_EL0, s.Tpidr, why, s.Cycle);
        else if (cpu.Sys.TPIDRRO_EL0 != s.TpidrRo) Mismatch(task, "TPIDRRO_EL0", cpu.Sys.TPIDRRO_EL0, s.TpidrRo, why, s.Cycle);
    }

    private void Mismatch(int task, string register, ulong now, ulong then, string why, ulong cycle) =>
        Report($"task {task} resumes with {register} = 0x{now:x}, but it left EL0 with 0x{then:x} (an {why} at cycle {cycle})");
}
