namespace Aegis.Emulator.Cpu;

public sealed partial class Cpu
{
    /// <summary>
    /// Whether this build carries the <see cref="Hooks.CpuHook"/> calls. False only in the ReleaseNoHooks
    /// configuration (AEGIS_NO_HOOKS, see Directory.Build.props), which exists to measure what the hooks cost
    /// when none is attached (Benchmarks/HookBuildBenchmark.cs). Every hook site tests it through
    /// <see cref="HasHooks"/>; being a constant, the JIT removes those sites entirely when it is false.
    /// This is the only #if of the hooks.
    /// </summary>
#if AEGIS_NO_HOOKS
    public const bool HooksBuilt = false;
#else
    public const bool HooksBuilt = true;
#endif
}
