using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Emulator.Devices.Snapshots;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Aegis.Benchmarks;

/// <summary>
/// Whole-machine snapshots of a 128 MiB board (docs/SNAPSHOTS.md) after a short run of the compute guest: restoring in
/// memory with nothing written since (the component state only), taking a snapshot, writing the file, and reading it
/// into a fresh board. <see cref="SnapshotRestoreAfterRunBenchmark"/> measures a restore after the guest ran on.
/// </summary>
[ShortRunJob]
public class SnapshotBenchmark
{
    /// <summary>The guest runs this long before the snapshot, and again before each restore.</summary>
    public const ulong ShortRunCycles = 2_000_000, RunOnCycles = 200_000;

    [Params(TimingModels.Simple, TimingModels.A53)]
    public string Timing { get; set; } = TimingModels.Simple;

    private VirtBoard _board = null!;
    private MachineSnapshot _snapshot = null!;
    private byte[] _file = [];

    [GlobalSetup]
    public void Setup()
    {
        byte[] image = File.ReadAllBytes(GuestProgram.Resolve(GuestProgram.DefaultImage));
        _board = new VirtBoard(new VirtBoardOptions { Timing = Timing });
        _board.LoadElf(image);
        _board.Cpu.Run(ulong.MaxValue, ShortRunCycles);
        _snapshot = _board.TakeSnapshot();
        var s = new MemoryStream();
        _snapshot.WriteTo(s);
        _file = s.ToArray();
        _board.Cpu.Run(ulong.MaxValue, ShortRunCycles + RunOnCycles);
        Console.WriteLine($"// {Timing}: snapshot at cycle {_snapshot.Cycles}, {_snapshot.Memory.StoredPageCount} stored pages, " +
            $"file {_file.Length} bytes; {_board.Bus.DirtyPageCount} pages written in the next {RunOnCycles} cycles");
        _board.RestoreSnapshot(_snapshot);
    }

    [Benchmark(Description = "restore in memory (nothing run)", Baseline = true)]
    public ulong RestoreOnly()
    {
        _board.RestoreSnapshot(_snapshot);
        return _board.Cpu.Cycles;
    }

    [Benchmark(Description = "take snapshot (nothing run)")]
    public int TakeOnly() => _board.TakeSnapshot().Memory.StoredPageCount;

    [Benchmark(Description = "write file")]
    public long WriteFile()
    {
        var s = new MemoryStream(_file.Length);
        _snapshot.WriteTo(s);
        return s.Length;
    }

    [Benchmark(Description = "read file + restore into a fresh board")]
    public ulong LoadFile()
    {
        var b = new VirtBoard(new VirtBoardOptions { Timing = Timing });
        b.LoadSnapshot(new MemoryStream(_file, writable: false));
        return b.Cpu.Cycles;
    }
}

/// <summary>
/// The in-memory restore of a 128 MiB board after the guest ran on <see cref="SnapshotBenchmark.RunOnCycles"/> cycles
/// past the snapshot (the run is the iteration setup, outside the measured time): one restore per iteration, so the
/// Monitoring strategy (no pilot, no unrolling).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 30, invocationCount: 1)]
public class SnapshotRestoreAfterRunBenchmark
{
    [Params(TimingModels.Simple, TimingModels.A53)]
    public string Timing { get; set; } = TimingModels.Simple;

    private VirtBoard _board = null!;
    private MachineSnapshot _snapshot = null!;

    [GlobalSetup]
    public void Setup()
    {
        _board = new VirtBoard(new VirtBoardOptions { Timing = Timing });
        _board.LoadElf(File.ReadAllBytes(GuestProgram.Resolve(GuestProgram.DefaultImage)));
        _board.Cpu.Run(ulong.MaxValue, SnapshotBenchmark.ShortRunCycles);
        _snapshot = _board.TakeSnapshot();
    }

    [IterationSetup]
    public void RunOn()
    {
        _board.Cpu.Run(ulong.MaxValue, _snapshot.Cycles + SnapshotBenchmark.RunOnCycles);
    }

    [Benchmark(Description = "restore in memory after running on 200k cycles")]
    public ulong Restore()
    {
        _board.RestoreSnapshot(_snapshot);
        return _board.Cpu.Cycles;
    }
}
