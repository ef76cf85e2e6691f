using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aegis.Benchmarks;

/// <summary>
/// Guest MIPS (guest instructions retired per host second / 10^6, from the benchmark's mean time) and the
/// guest's instruction and cycle counts. The counts come from one run of the image in the host process:
/// the machine is deterministic, so every measured run retires exactly as many.
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
        Kind.Instructions => "Guest instructions retired from reset to the guest's exit",
        _ => "Guest cycles (the machine's clock, from the timing model) from reset to exit",
    };

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (benchmarkCase.Parameters["Elf"] is not string elf) return "-";
        if (benchmarkCase.Descriptor.WorkloadMethod.Name != nameof(GuestMipsBenchmark.BootAndRunToExit)) return "-";
        var counts = GuestProgram.Counts(elf);
        if (kind == Kind.Instructions) return counts.Instructions.ToString("N0");
        if (kind == Kind.Cycles) return counts.Cycles.ToString("N0");
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is > 0 ? (counts.Instructions / mean.Value * 1e9 / 1e6).ToString("F1") : "-";
    }

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
