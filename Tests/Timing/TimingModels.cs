using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Timing.A53;

namespace Aegis.Tests.Timing;

/// <summary>
/// Named timing models for the suite. "one-cycle" is the board's current model. "a53" is the
/// Cortex-A53 cycle model (Emulator.Cpu/Timing/A53).
/// </summary>
public static class TimingModels
{
    public static readonly string[] Names = ["one-cycle", "a53"];

    /// <summary>A factory for a fresh model per kernel (a model may keep per-run state: caches, predictors).</summary>
    public static Func<Cpu, ITimingModel> Factory(string name) => name switch
    {
        "one-cycle" => _ => new OneCyclePerInstruction(),
        "a53" => _ => new A53Model(),
        _ => throw new ArgumentException($"unknown timing model '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
    };

    public static ITimingModel Create(string name, Cpu cpu) => Factory(name)(cpu);
}
