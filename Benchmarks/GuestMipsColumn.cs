using Aegis.Emulator.Cpu;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aegis.Benchmarks;

/// <summary>
/// Guest MIPS (guest instructions retired per host second / 10^6, from the benchmark's mean time) and the
/// guest's instruction and cycle counts per operation (<see cref="WorkPerOperation"/>). The counts come from
/// runs in the host process: the machine is deterministic, so every measured run retires as many.
/// </summary>
public sealed class GuestMipsColumn(GuestMipsColumn.Kind kind) : IColumn
{
    public enum Kind { Mips, Instructions, Cycles }

    public string Id => $"{nameof(GuestMipsColumn)}.{kind}";
    public string ColumnName => kind switch { Kind.Mips => "Guest MIPS", Kind.Instructions => "Guest instructions", _ => "Guest cycles" };
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => (int)kind;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => kind switch
    {
        Kind.Mips => "Guest instructions retired per second of host time, in millions (instructions / Mean)",
        Kind.Instructions => "Guest instructions retired per operation: from reset to the guest's exit, or the mean per IPC round trip",
        _ => "Guest cycles (the machine's clock, from the timing model) per operation, as Guest instructions",
    };

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (WorkPerOperation(benchmarkCase) is not { } work) return "-";
        if (kind == Kind.Instructions) return Format(work.Instructions);
        if (kind == Kind.Cycles) return Format(work.Cycles);
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean; // ns per operation
        return mean is > 0 ? (work.Instructions / mean.Value * 1e9 / 1e6).ToString("F1") : "-";
    }

    private static string Format(double count) => count == Math.Floor(count) ? count.ToString("N0") : count.ToString("N1");

    /// <summary>Guest instructions and cycles one operation of a benchmark retires; null where no guest work is measured.</summary>
    private static (double Instructions, double Cycles)? WorkPerOperation(BenchmarkCase c)
    {
        string method = c.Descriptor.WorkloadMethod.Name;
        if (c.Descriptor.Type == typeof(GuestMipsBenchmark))
            return method == nameof(GuestMipsBenchmark.BootAndRunToExit) && c.Parameters["Elf"] is string elf
                ? Whole(GuestProgram.Counts(elf, c.Parameters["Timing"] as string ?? TimingModels.Simple)) : null;
        if (c.Descriptor.Type == typeof(HookBuildBenchmark))
            return method switch
            {
                nameof(HookBuildBenchmark.ComputeO2) => Whole(GuestProgram.Counts(GuestProgram.DefaultImage)),
                nameof(HookBuildBenchmark.IpcPingPong) => IpcRoundTrip.SteadyStateMean(TimingModels.Simple),
                _ => null,
            };
        return null;
    }

    private static (double, double) Whole(GuestProgram.Result r) => (r.Instructions, r.Cycles);

    public override string ToString() => ColumnName;
}

/// <summary>The benchmark's config: the default job plus the guest columns.</summary>
public sealed class GuestMipsConfig : ManualConfig
{
    public GuestMipsConfig()
    {
        AddColumn(new GuestMipsColumn(GuestMipsColumn.Kind.Mips), new GuestMipsColumn(GuestMipsColumn.Kind.Instructions),
            new GuestMipsColumn(GuestMipsColumn.Kind.Cycles));
    }
}
