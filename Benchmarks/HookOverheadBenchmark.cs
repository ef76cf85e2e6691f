using Aegis.Emulator.Cpu.Hooks;
using BenchmarkDotNet.Attributes;

namespace Aegis.Benchmarks;

/// <summary>
/// What the CPU hooks cost: the AegisOS IPC ping-pong (<see cref="IpcRoundTrip"/>) with no hook attached (the
/// fast run loop and the data fast path) against the same with one hook attached that does nothing (the hooked
/// loop, every data access through the slow path). Run:
/// dotnet run -c Release --project Benchmarks -- --filter '*HookOverhead*' --job short
/// (or, quicker: `hook-stats [ROUND_TRIPS]`, guest MIPS of both, alternated three times).
/// </summary>
public class HookOverheadBenchmark
{
    private const int RoundTrips = 1000;
    private IpcRoundTrip _ipc = null!;

    [Params(false, true)]
    public bool NopHookAttached { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ipc = new IpcRoundTrip();
        if (NopHookAttached) _ipc.Machine.Cpu.AttachHook(new NopHook());
        _ipc.Run(2000);
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public void CallReplyRoundTrip() => _ipc.Run(RoundTrips);

    /// <summary>Overrides every hook method with an empty body, so the virtual calls are really made.</summary>
    internal sealed class NopHook : CpuHook
    {
        public override void OnFetch(Aegis.Emulator.Cpu.Cpu cpu, ulong pc, ulong pa, uint encoding) { }
        public override void OnRetire(Aegis.Emulator.Cpu.Cpu cpu, ulong pc, uint encoding) { }
        public override void OnMemoryAccess(Aegis.Emulator.Cpu.Cpu cpu, in MemoryAccess access) { }
    }
}

/// <summary>`hook-stats [ROUND_TRIPS]`: guest MIPS of the IPC ping-pong without hooks and with a do-nothing hook.</summary>
public static class HookStats
{
    public static int Run(string[] args)
    {
        ulong n = args.Length > 0 ? ulong.Parse(args[0]) : 50_000;
        for (int round = 0; round < 3; round++)
        {
            foreach (bool hooked in new[] { false, true })
            {
                var ipc = new IpcRoundTrip();
                if (hooked) ipc.Machine.Cpu.AttachHook(new HookOverheadBenchmark.NopHook());
                ipc.Run(2000);
                var cpu = ipc.Machine.Cpu;
                ulong r0 = cpu.Retired;
                var watch = System.Diagnostics.Stopwatch.StartNew();
                ipc.Run(n);
                watch.Stop();
                Console.WriteLine($"{(hooked ? "nop hook attached" : "no hooks        ")}: {(cpu.Retired - r0) / watch.Elapsed.TotalSeconds / 1e6:F1} guest MIPS " +
                    $"({watch.Elapsed.TotalNanoseconds / n:F0} ns per round trip)");
            }
        }
        return 0;
    }
}
