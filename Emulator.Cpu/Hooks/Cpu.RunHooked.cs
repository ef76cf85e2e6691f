using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu;

public sealed unsafe partial class Cpu
{
    /// <summary>
    /// <see cref="Run"/> with the per-instruction hooks: the same steps as the fast loop plus
    /// <see cref="Hooks.CpuHook.OnFetch"/> before and <see cref="Hooks.CpuHook.OnRetire"/> after each instruction.
    /// A separate loop so that the unhooked one carries no test per instruction.
    /// </summary>
    private StopReason RunHooked(ulong maxSteps, ulong maxCycles)
    {
        for (ulong steps = 0; ; steps++)
        {
            if (StopRequest is { } stop) return stop;
            if (steps >= maxSteps) return StopReason.InstructionLimit;
            if (Cycles >= maxCycles) return StopReason.CycleLimit;
            if (Cycles >= Events.NextCycle) Events.RunDue(Cycles);
            if (InterruptPending && TryTakeInterrupt()) { Cycles += _timing.ExceptionBetweenInstructions(this); continue; }

            ulong pc = PC;
            if (((pc ^ _fetchVaPage) & ~0xFFCUL) != 0 || _fetchEpoch != TranslationEpoch)
            {
                if (!RefillFetch(pc)) { Cycles += _timing.ExceptionBetweenInstructions(this); continue; }
            }
            ref DecodedInst inst = ref _fetchInsts[(pc >> 2) & 0x3FF];
            if (inst.Execute == null)
                Decoder.Decode(Bus.FetchWord(_fetchRamBase + (long)(pc & 0xFFF)), ref inst);
            var hooks = _hooks;
            uint raw = inst.Raw;
            if (hooks != null)
            {
                ulong pa = _fetchPaPage | (pc & 0xFFF);
                foreach (var h in hooks) h.OnFetch(this, pc, pa, raw);
                // A hook may have asked to stop before this instruction runs (a checker's violation).
                if (StopRequest is { } early) return early;
            }
            NextPc = pc + 4;
            inst.Execute(this, ref inst);
            PC = NextPc;
            Retired++;
            Cycles += _timing.Retire(this, ref inst, pc);
            if (hooks != null)
                foreach (var h in hooks) h.OnRetire(this, pc, raw);
        }
    }
}
