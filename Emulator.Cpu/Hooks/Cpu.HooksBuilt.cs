namespace Aegis.Emulator.Cpu;

public sealed partial class Cpu
{
    /// <summary>
    /// Whether this build carries the fetch, retire and memory-access <see cref="Hooks.CpuHook"/> calls (the kinds near
    /// the hot paths). False only in the ReleaseNoHooks configuration (AEGIS_NO_HOOKS, see Directory.Build.props), which
    /// exists to measure what the hooks cost when none is attached (Benchmarks/HookBuildBenchmark.cs). Those hook sites
    /// test it; being a constant, the JIT removes them entirely when it is false. This is the only #if of the hooks.
    /// </summary>
#if AEGIS_NO_HOOKS
    public const bool HooksBuilt = false;
#else
    public const bool HooksBuilt = true;
#endif
}
