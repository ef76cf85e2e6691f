using Aegis.Emulator.Cpu.Timing.A53;

namespace Aegis.Emulator.Cpu;

/// <summary>The timing models by the names `--timing` takes.</summary>
public static class TimingModels
{
    public const string A53 = "a53", Simple = "simple";
    public static readonly string[] Names = [A53, Simple];

    /// <summary>A fresh model (each keeps its own caches, predictor and pipeline state).</summary>
    public static ITimingModel Create(string name, A53Config? a53 = null) => name switch
    {
        A53 => new A53Model(a53),
        Simple => new OneCyclePerInstruction(),
        _ => throw Unknown(name),
    };

    /// <summary><paramref name="name"/>, if it names a model; else the ArgumentException <see cref="Create"/> throws.</summary>
    public static string Known(string name) => Array.IndexOf(Names, name) >= 0 ? name : throw Unknown(name);

    private static ArgumentException Unknown(string name) =>
        new($"unknown timing model '{name}' (known: {string.Join(", ", Names)})", nameof(name));
}
