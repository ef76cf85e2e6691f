using Aegis.Emulator.Cpu;
using BenchmarkDotNet.Attributes;

namespace Aegis.Benchmarks;

/// <summary>
/// Host time per AegisOS IPC round trip (see <see cref="IpcRoundTrip"/>), after 2,000 round trips of warm-up
/// (boot done, decoded pages and TLBs warm). Run: dotnet run -c Release --project Benchmarks -- --filter '*IpcRoundTrip*'.
/// Guest instructions and cycles per round trip: dotnet run -c Release --project Benchmarks -- ipc-stats.
/// </summary>
public class IpcRoundTripBenchmark
{
    private const int RoundTrips = 1000;
    private IpcRoundTrip _ipc = null!;

    [Params(TimingModels.A53, TimingModels.Simple)]
    public string Timing { get; set; } = TimingModels.A53;

    [GlobalSetup]
    public void Setup()
    {
        _ipc = new IpcRoundTrip(timing: Timing);
        _ipc.Run(2000);
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public void CallReplyRoundTrip() => _ipc.Run(RoundTrips);
}
