using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;

namespace Aegis.Benchmarks;

/// <summary>
/// What the CPU hooks cost (docs/PERFORMANCE.md "Cost of the tracing hooks"): guest MIPS of the same guests built
/// two ways, as two BenchmarkDotNet jobs (<see cref="HookBuildConfig"/>): <c>NoHooks</c> builds everything in the
/// ReleaseNoHooks configuration (Directory.Build.props: the hooks compiled out, <see cref="Cpu.HooksBuilt"/> false),
/// <c>Hooks</c> in Release as shipped. The guests: samples/bin/compute-O2.elf booted and run to its exit (as
/// <see cref="GuestMipsBenchmark"/>) and the AegisOS IPC ping-pong (as <see cref="IpcRoundTripBenchmark"/>).
/// <see cref="NopHook"/> = true attaches a hook that does nothing, for the record of what an attached hook
/// costs (Hooks job only: the other build cannot attach one).
/// Run: dotnet run -c Release --project Benchmarks -- --filter '*HookBuild*'
/// (3 warm-ups and 5 iterations per case; e.g. --iterationCount 15 for more. A --job option does not apply here).
/// </summary>
[Config(typeof(HookBuildConfig))]
public class HookBuildBenchmark
{
    public const int RoundTrips = 1000;

    [Params(false, true)]
    public bool NopHook { get; set; }

    private byte[] _image = [];
    private IpcRoundTrip _ipc = null!;

    [GlobalSetup(Target = nameof(ComputeO2))]
    public void SetupCompute()
    {
        ShowBuild();
        _image = File.ReadAllBytes(GuestProgram.Resolve(GuestProgram.DefaultImage));
        // One run first, to show in the log that the guest does the same work with or without a hook attached.
        var r = GuestProgram.Run(_image, hook: NopHook ? new DoNothingHook() : null);
        Console.WriteLine($"// guest: {r.Stop}, exit code {r.ExitCode}, {r.Instructions} instructions, {r.Cycles} cycles");
    }

    [GlobalSetup(Target = nameof(IpcPingPong))]
    public void SetupIpc()
    {
        ShowBuild();
        _ipc = new IpcRoundTrip(timing: Aegis.Emulator.Cpu.TimingModels.Simple);
        if (NopHook) _ipc.Machine.Cpu.AddHook(new DoNothingHook());
        _ipc.Run(2000); // boot and warm-up, as IpcRoundTripBenchmark
        Console.WriteLine($"// guest: {_ipc.Machine.Cpu.Retired} instructions, {_ipc.Machine.Cpu.Cycles} cycles in boot and 2,000 round trips");
    }

    [Benchmark(Description = "compute-O2: boot + run to exit")]
    public ulong ComputeO2() => GuestProgram.Run(_image, hook: NopHook ? new DoNothingHook() : null).Instructions;

    [Benchmark(Description = "IPC round trip", OperationsPerInvoke = RoundTrips)]
    public void IpcPingPong() => _ipc.Run(RoundTrips);

    /// <summary>
    /// Prints which Emulator.Cpu the benchmark process loaded, read from that assembly (not the constant compiled
    /// into this one), so the log shows that each job really ran its build.
    /// </summary>
    private static void ShowBuild()
    {
        var built = typeof(Cpu).GetField(nameof(Cpu.HooksBuilt))!.GetRawConstantValue();
        Console.WriteLine($"// Emulator.Cpu: HooksBuilt = {built} ({typeof(Cpu).Assembly.Location})");
    }

    /// <summary>Overrides every per-instruction and per-access hook method with an empty body, so the virtual calls are really made.</summary>
    public sealed class DoNothingHook : CpuHook
    {
        public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding) { }
        public override void OnRetire(Cpu cpu, ulong pc, uint encoding) { }
        public override void OnMemoryAccess(Cpu cpu, in MemoryAccess access) { }
    }
}

/// <summary>
/// The two builds as two jobs (the build without hooks is the baseline, so Ratio = hooks build / no-hooks build)
/// and the guest MIPS columns. Both jobs: one launch, 3 warm-ups, 5 iterations. The NoHooks job skips
/// <see cref="HookBuildBenchmark.NopHook"/> = true.
/// </summary>
public sealed class HookBuildConfig : ManualConfig
{
    public const string NoHooksConfiguration = "ReleaseNoHooks";

    public HookBuildConfig()
    {
        var run = Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5);
        AddJob(run.WithCustomBuildConfiguration(NoHooksConfiguration).WithId("NoHooks").AsBaseline());
        AddJob(run.WithCustomBuildConfiguration("Release").WithId("Hooks"));
        // Only these two jobs (a --job from the command line adds another, of no use here); no hook in the NoHooks build.
        AddFilter(new SimpleFilter(c => c.Job.HasValue(InfrastructureMode.BuildConfigurationCharacteristic)
            && !(c.Job.Infrastructure.BuildConfiguration == NoHooksConfiguration && c.Parameters[nameof(HookBuildBenchmark.NopHook)] is true)));
        // Median and Min next to the Mean: on a shared host other jobs only ever slow an iteration down.
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        AddColumn(new GuestMipsColumn(GuestMipsColumn.Kind.Mips), new GuestMipsColumn(GuestMipsColumn.Kind.Instructions));
    }
}
