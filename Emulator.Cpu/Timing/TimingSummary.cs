using Aegis.Emulator.Cpu.Timing.A53;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// The figures a run summary gives (cycles, IPC, cache miss rates, TLB walks, mispredictions), read from the PMU's
/// event totals over all exception levels, so they say what the guest's own PMU would count.
/// </summary>
public readonly record struct TimingSummary(
    string Model, ulong Cycles, ulong Instructions,
    ulong L1IAccesses, ulong L1IRefills, ulong L1DAccesses, ulong L1DRefills, ulong L2Accesses, ulong L2Refills,
    ulong TlbRefills, ulong Walks, ulong Branches, ulong Mispredicts, ulong DualIssued)
{
    public static TimingSummary Of(Cpu cpu)
    {
        var e = cpu.PerfEvents;
        ulong Sum(PmuEvent ev) => e.Total(ev, 0) + e.Total(ev, 1) + e.Total(ev, 2);
        var a53 = (cpu.Timing as A53Model)?.Stats;
        return new(cpu.Timing.Name, cpu.Cycles, cpu.Retired,
            Sum(PmuEvent.L1I_CACHE), Sum(PmuEvent.L1I_CACHE_REFILL), Sum(PmuEvent.L1D_CACHE), Sum(PmuEvent.L1D_CACHE_REFILL),
            Sum(PmuEvent.L2D_CACHE), Sum(PmuEvent.L2D_CACHE_REFILL),
            Sum(PmuEvent.L1I_TLB_REFILL) + Sum(PmuEvent.L1D_TLB_REFILL), a53?.Walks ?? 0,
            Sum(PmuEvent.BR_PRED), Sum(PmuEvent.BR_MIS_PRED), a53?.DualIssued ?? 0);
    }

    public double Ipc => Cycles == 0 ? 0 : (double)Instructions / Cycles;

    private static string Rate(ulong part, ulong whole) => whole == 0 ? "-" : $"{100.0 * part / whole:0.00}%";

    /// <summary>One line for the run summary; the cache, TLB and branch figures only when the model counts them.</summary>
    public override string ToString()
    {
        string line = $"timing {Model}: {Cycles} cycles, {Instructions} instructions, IPC {Ipc:0.000}";
        if (Model == TimingModels.Simple) return line;
        return line + $"; L1I miss {Rate(L1IRefills, L1IAccesses)}, L1D miss {Rate(L1DRefills, L1DAccesses)}, " +
            $"L2 miss {Rate(L2Refills, L2Accesses)}, micro-TLB refills {TlbRefills}, walks {Walks}, " +
            // BR_MIS_PRED also counts branches not predicted at all (the MMU off), which BR_PRED leaves out: no ratio of the two.
            $"branches: {Branches} predictable (BR_PRED), {Mispredicts} mispredicted or not predicted (BR_MIS_PRED), " +
            $"dual-issued {Rate(DualIssued, Instructions)}";
    }
}
