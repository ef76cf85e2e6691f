using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu;

public sealed unsafe partial class Cpu
{
    /// <summary>
    /// The checked loop of <see cref="Run"/>: the same steps as the fast loop plus the per-instruction hooks
    /// (<see cref="Hooks.CpuHook.OnFetch"/> before and <see cref="Hooks.CpuHook.OnRetire"/> after each instruction) and
    /// the self-hosted debug checks (software step, then breakpoints, before the instruction; the step advances after
    /// it). A separate loop so that the fast one carries no test per instruction. It runs while the debug checks are
    /// armed, or while the code page being executed is covered by a fetch or retire hook's range; it hands back to the
    /// fast loop on the first instruction of a page that is not.
    /// </summary>
    private StopReason RunHooked(ulong steps, ulong maxSteps, ulong maxCycles)
    {
        for (; ; steps++)
        {
            if (StopRequest is { } stop) { _runSteps = steps; return stop; }
            if (steps >= maxSteps) return StopReason.InstructionLimit;
            if (Cycles >= maxCycles) return StopReason.CycleLimit;
            if (Cycles >= Events.NextCycle) Events.RunDue(Cycles);
            if (InterruptPending && TryTakeInterrupt()) { Cycles += _timing.ExceptionBetweenInstructions(this); _stepsWithoutRetire++; continue; }

            ulong pc = PC;
            // Arm ARM D1.13.2: a pending software step comes before everything the instruction could raise; a
            // breakpoint before its fetch abort.
            if (DebugArmed && (CheckSoftwareStep(pc) || CheckBreakpoint(pc))) { Cycles += _timing.ExceptionBetweenInstructions(this); _stepsWithoutRetire++; continue; }
            if (!FetchWindowHolds(pc))
            {
                if (!RefillFetch(pc)) { Cycles += _timing.ExceptionBetweenInstructions(this); _stepsWithoutRetire++; continue; }
            }
            if (!_fetchHooked && !DebugArmed) { _runSteps = steps; _redispatch = true; return StopReason.Requested; } // on to RunFast
            ref DecodedInst inst = ref FetchDecoded((int)((pc >> 2) & 0x3FF));
            uint raw = inst.Raw;
            if (_fetchHooks is { } fetchHooks)
            {
                HookFetch(fetchHooks, pc, _fetchPaPage | (pc & 0xFFF), raw);
                // A hook may have asked to stop before this instruction runs (a checker's violation, run-to-address).
                if (StopRequest is { } early) { _runSteps = steps; return early; }
            }
            NextPc = pc + 4;
            bool stepping = SoftwareStepState;
            ulong taken = ExceptionsTaken;
            inst.Execute(this, ref inst);
            PC = NextPc;
            // SSAdvance: the stepped instruction completed (an exception it took has saved PSTATE.SS already).
            if (stepping && ExceptionsTaken == taken) SoftwareStepAdvance();
            Retired++;
            Cycles += _timing.Retire(this, ref inst, pc);
            if (_retireHooks is { } retireHooks) HookRetire(retireHooks, pc, raw);
        }
    }
}
