using System.Diagnostics;
using Aegis.Emulator.Cpu;

namespace Aegis.Benchmarks;

/// <summary>
/// `ipc-stats [ROUND_TRIPS]`: guest instructions and cycles per IPC round trip in steady state, under each timing
/// model and entry EL: the cycles split into EL0 (tasks 0 and 1) and the kernel, with the cache refills and branch
/// mispredictions the PMU counted; and host time.
/// </summary>
public static class IpcStats
{
    public static int Run(string[] args)
    {
        ulong n = args.Length > 0 ? ulong.Parse(args[0]) : 100_000;
        // Which build runs: bin/ReleaseNoHooks/.../Benchmarks.dll ipc-stats gives the same figures with the hooks compiled out.
        Console.WriteLine($"Emulator.Cpu built {(Cpu.HooksBuilt ? "with" : "without")} hooks (none attached)");
        foreach (string timing in new[] { TimingModels.A53, TimingModels.Simple })
            foreach (bool el2 in new[] { false, true })
                Report(n, timing, el2);
        return 0;
    }

    private static void Report(ulong n, string timing, bool el2)
    {
        var ipc = new IpcRoundTrip(el2, timing);
        ipc.Run(2000); // boot and warm-up
        var before = Sample(ipc);
        var watch = Stopwatch.StartNew();
        ipc.Run(n);
        watch.Stop();
        var d = Sample(ipc) - before;
        double per(ulong v) => (double)v / n;
        Console.WriteLine($"timing {timing}, {(el2 ? "EL2" : "EL1")} entry, {n} round trips after 2000 of warm-up:");
        Console.WriteLine($"  mean: {per(d.Instructions):F1} instructions ({per(d.UserInstructions):F1} at EL0 in tasks 0+1), " +
            $"{per(d.Cycles):F1} cycles per round trip ({per(d.UserCycles):F1} at EL0, {per(d.Cycles - d.UserCycles):F1} in the kernel), " +
            $"IPC {(double)d.Instructions / d.Cycles:F3}");
        Console.WriteLine($"  per round trip: L1I refills {per(d.L1IRefills):F2}, L1D refills {per(d.L1DRefills):F2}, L2 refills {per(d.L2Refills):F2}, " +
            $"micro-TLB refills {per(d.TlbRefills):F2}, mispredicted branches {per(d.Mispredicts):F2} of {per(d.Branches):F1}, exceptions {per(d.Exceptions):F1}");
        Console.WriteLine($"  shortest (no tick in it): {ipc.MinInstructions} instructions, {ipc.MinCycles} cycles");
        Console.WriteLine($"  host: {watch.Elapsed.TotalNanoseconds / n:F0} ns per round trip, {d.Instructions / watch.Elapsed.TotalSeconds / 1e6:F1} guest MIPS");
        Console.WriteLine($"  guest time: {d.Cycles / (double)Cpu.ClockHz:F3} s for {n} round trips ({n / (d.Cycles / (double)Cpu.ClockHz):F0} round trips per guest second)");
    }

    private readonly record struct Counts(ulong Instructions, ulong Cycles, ulong UserInstructions, ulong UserCycles,
        ulong L1IRefills, ulong L1DRefills, ulong L2Refills, ulong TlbRefills, ulong Branches, ulong Mispredicts, ulong Exceptions)
    {
        public static Counts operator -(Counts a, Counts b) => new(a.Instructions - b.Instructions, a.Cycles - b.Cycles,
            a.UserInstructions - b.UserInstructions, a.UserCycles - b.UserCycles, a.L1IRefills - b.L1IRefills,
            a.L1DRefills - b.L1DRefills, a.L2Refills - b.L2Refills, a.TlbRefills - b.TlbRefills, a.Branches - b.Branches,
            a.Mispredicts - b.Mispredicts, a.Exceptions - b.Exceptions);
    }

    private static Counts Sample(IpcRoundTrip ipc)
    {
        var cpu = ipc.Machine.Cpu;
        var acct = ipc.Machine.Accounting;
        var s = TimingSummary.Of(cpu);
        return new(cpu.Retired, cpu.Cycles, acct.Instructions(0) + acct.Instructions(1), acct.Cycles(0) + acct.Cycles(1),
            s.L1IRefills, s.L1DRefills, s.L2Refills, s.TlbRefills, s.Branches, s.Mispredicts, cpu.ExceptionsTaken);
    }
}
