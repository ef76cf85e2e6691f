using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// Charges cycles for each retired instruction. Timing never changes a functional result:
/// a model only reads the instruction and returns how many cycles it took.
/// </summary>
public interface ITimingModel
{
    /// <summary>Cycles for the instruction that just retired at <paramref name="pc"/>.</summary>
    ulong Retire(ref DecodedInst inst, ulong pc);
}

/// <summary>The first model: one cycle per instruction.</summary>
public sealed class OneCyclePerInstruction : ITimingModel
{
    public ulong Retire(ref DecodedInst inst, ulong pc) => 1;
}
