using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// A timing model owns the machine's clock: the CPU adds what it returns to <see cref="Cpu.Cycles"/> and nothing
/// else moves the clock. A model only reads: the retired instruction's static descriptors (<see cref="DecodedInst"/>),
/// the CPU's state after it (PC is the next PC), the data accesses it made (<see cref="Cpu.AccessLog"/>, when
/// <see cref="WantsAccessLog"/>), the table-walk reads (<see cref="Mmu.Mmu.WalkLog"/>) and the exception counters.
/// It never changes a functional result.
/// </summary>
public interface ITimingModel
{
    /// <summary>The name `--timing` selects it by.</summary>
    string Name { get; }

    /// <summary>
    /// The model now owns <paramref name="cpu"/>'s clock: it declares the PMU events it counts
    /// (<see cref="PerformanceEvents.Implemented"/>) and forgets any pipeline state of an earlier run.
    /// </summary>
    void Attach(Cpu cpu);

    /// <summary>When true the CPU records every data access (VA, PA, size, direction, memory type) for <see cref="Retire"/>.</summary>
    bool WantsAccessLog { get; }

    /// <summary>Cycles charged for the instruction that just retired (completed, or took a synchronous exception) at <paramref name="pc"/>.</summary>
    ulong Retire(Cpu cpu, ref DecodedInst inst, ulong pc);

    /// <summary>
    /// Cycles for an exception taken between instructions: an interrupt, or an abort on the fetch itself. At least 1:
    /// entering an exception takes time on any core, and a guest that takes exception after exception without
    /// retiring an instruction (a vector that itself faults) must still reach every cycle limit.
    /// </summary>
    ulong ExceptionBetweenInstructions(Cpu cpu);

    /// <summary>
    /// WFI/WFE with nothing to do: the core sleeps until the event at cycle <paramref name="until"/> (&gt; now).
    /// Returns the cycles slept, at least until - now.
    /// </summary>
    ulong Sleep(Cpu cpu, ulong until);
}

/// <summary>The `simple` model: one cycle per instruction, the fastest, and one per exception taken between instructions.</summary>
public sealed class OneCyclePerInstruction : ITimingModel, Mmu.Snapshots.ISnapshotState
{
    public string Name => "simple";
    public bool WantsAccessLog => false;
    public void Attach(Cpu cpu) { }
    public ulong Retire(Cpu cpu, ref DecodedInst inst, ulong pc) => 1;
    public ulong ExceptionBetweenInstructions(Cpu cpu) => 1;
    public ulong Sleep(Cpu cpu, ulong until) => until - cpu.Cycles;
    /// <summary>Stateless: the section only marks the model.</summary>
    public void SaveState(Mmu.Snapshots.SnapshotWriter w) => w.Section("timing.simple");
    public void RestoreState(Mmu.Snapshots.SnapshotReader r) => r.Section("timing.simple");
}
