using Aegis.Emulator.Cpu;

namespace Aegis.Tests.Timing;

/// <summary>
/// Named timing models for the suite. "one-cycle" is the board's current model. "a53" is the
/// Cortex-A53 cycle model under construction: its integration replaces the throw below with the model.
/// </summary>
public static class TimingModels
{
    public static readonly string[] Names = ["one-cycle", "a53"];

    /// <summary>A factory for a fresh model per kernel (a model may keep per-run state: caches, predictors).</summary>
    public static Func<Cpu, ITimingModel> Factory(string name) => name switch
    {
        "one-cycle" => _ => new OneCyclePerInstruction(),
        "a53" => _ => throw new NotImplementedException("the Cortex-A53 timing model does not exist yet; its integration plugs it in here"),
        _ => throw new ArgumentException($"unknown timing model '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
    };

    public static ITimingModel Create(string name, Cpu cpu) => Factory(name)(cpu);
}
