using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;

namespace Aegis.Emu;

/// <summary>Why <see cref="Machine.Run"/> returned.</summary>
public enum RunStop
{
    /// <summary>The PC reached the <c>until</c> address (that instruction has not executed).</summary>
    Address,
    /// <summary>The step limit: instructions retired plus exceptions entered between instructions.</summary>
    InstructionLimit,
    /// <summary>The clock reached the cycle limit (counted from reset).</summary>
    CycleLimit,
    /// <summary>The guest powered off or exited (PSCI SYSTEM_OFF, semihosting SYS_EXIT); see <see cref="RunResult.ExitCode"/>.</summary>
    GuestExit,
    /// <summary>A WFI that nothing can wake: no interrupt is pending or scheduled.</summary>
    WaitForever,
    /// <summary><see cref="Machine.RequestStop"/> or a hook asked to stop.</summary>
    Requested,
}

/// <summary>The end of one <see cref="Machine.Run"/>: why, and the machine's totals since reset.</summary>
public readonly record struct RunResult(RunStop Stop, ulong Pc, ulong Instructions, ulong Cycles, int ExitCode);

public sealed partial class Machine
{
    /// <summary>
    /// Runs from the current PC until the first of: the PC reaches <paramref name="until"/> (before that instruction
    /// executes, even the first one); <paramref name="maxSteps"/> more steps (a step is one retired instruction, or one
    /// exception entered between instructions, so a faulting vector cannot hold the run); the clock reaches
    /// <paramref name="maxCycles"/> (an absolute cycle count since reset, as the command line's limits); a guest exit;
    /// a WFI nothing can wake; <see cref="RequestStop"/>. May be called again to go on.
    /// </summary>
    public RunResult Run(ulong? until = null, ulong maxSteps = ulong.MaxValue, ulong maxCycles = ulong.MaxValue)
    {
        var cpu = Cpu;
        bool reached = false;
        HookHandle? stopAt = null;
        if (until is { } address)
        {
            stopAt = cpu.AddHook(Hook.Fetch((c, pc, _, _) =>
            {
                reached = true;
                c.RequestStop();
            }), address, address);
        }
        StopReason reason;
        try { reason = cpu.Run(maxSteps, maxCycles); }
        finally { stopAt?.Remove(); }
        var stop = reached ? RunStop.Address : reason switch
        {
            StopReason.InstructionLimit => RunStop.InstructionLimit,
            StopReason.CycleLimit => RunStop.CycleLimit,
            StopReason.GuestExit => RunStop.GuestExit,
            StopReason.WaitForever => RunStop.WaitForever,
            _ => RunStop.Requested,
        };
        return new RunResult(stop, cpu.PC, cpu.Retired, cpu.Cycles, cpu.ExitCode);
    }

    /// <summary>
    /// Calls a guest function with up to eight integer arguments (x0-x7, AAPCS64) at the current exception level: LR is
    /// set to <paramref name="returnAddress"/> and the run goes until the function returns there (the instruction there
    /// never executes) or a limit ends it. Returns the result; x0 is the function's return value when
    /// <see cref="RunResult.Stop"/> is <see cref="RunStop.Address"/>. The stack pointer must already be valid. The return
    /// address must be fetchable in the current regime (a stop is checked as the instruction is fetched, after its
    /// translation): the default, the last word of RAM, is while the MMU is off; with the MMU on, pass a mapped one.
    /// </summary>
    public RunResult Call(ulong function, ReadOnlySpan<ulong> arguments, ulong maxSteps = ulong.MaxValue, ulong? returnAddress = null)
    {
        if (arguments.Length > 8) throw new ArgumentException("AAPCS64 passes at most 8 integer arguments in registers");
        var cpu = Cpu;
        for (int i = 0; i < arguments.Length; i++) cpu.X[i] = arguments[i];
        ulong lr = returnAddress ?? Emulator.Devices.VirtBoard.RamBase + Board.Bus.RamSize - 4;
        cpu.X[30] = lr;
        cpu.PC = function;
        cpu.InvalidateFetch();
        return Run(until: lr, maxSteps: maxSteps);
    }

    /// <summary>Ends the current <see cref="Run"/> after the instruction in progress; safe from another thread.</summary>
    public void RequestStop() => Cpu.RequestStop();
}
