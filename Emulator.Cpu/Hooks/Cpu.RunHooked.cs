using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu;

public sealed unsafe partial class Cpu
{
    /// <summary>
    /// The checked loop of <see cref="Run"/>: the same steps as the fast loop plus the per-instruction hooks
    /// (<see cref="Hooks.CpuHook.OnFetch"/> before and <see cref="Hooks.CpuHook.OnRetire"/> after each instruction) and
    /// the self-hosted debug checks (software step, then breakpoints, before the instruction; the step advances after
    /// it). A separate loop so that the fast one carries no test per instruction.
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
            if (((pc ^ _fetchVaPage) & ~0xFFCUL) != 0 || _fetchEpoch != TranslationEpoch)
            {
                if (!RefillFetch(pc)) { Cycles += _timing.ExceptionBetweenInstructions(this); _stepsWithoutRetire++; continue; }
            }
            ref DecodedInst inst = ref _fetchInsts[(pc >> 2) & 0x3FF];
            if (inst.Execute == null)
                Decoder.Decode(Bus.FetchWord(_fetchCodeBase + (long)(pc & 0xFFF)), ref inst);
            var hooks = _hooks;
            uint raw = inst.Raw;
            if (hooks != null)
            {
                ulong pa = _fetchPaPage | (pc & 0xFFF);
                foreach (var h in hooks) h.OnFetch(this, pc, pa, raw);
                // A hook may have asked to stop before this instruction runs (a checker's violation).
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
            if (hooks != null)
                foreach (var h in hooks) h.OnRetire(this, pc, raw);
        }
    }
}
