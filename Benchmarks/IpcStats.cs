using System.Diagnostics;

namespace Aegis.Benchmarks;

/// <summary>`ipc-stats [ROUND_TRIPS]`: guest instructions and cycles per IPC round trip in steady state, and host time.</summary>
public static class IpcStats
{
    public static int Run(string[] args)
    {
        ulong n = args.Length > 0 ? ulong.Parse(args[0]) : 100_000;
        // Which build runs: bin/ReleaseNoHooks/.../Benchmarks.dll ipc-stats gives the same figures with the hooks compiled out.
        Console.WriteLine($"Emulator.Cpu built {(Aegis.Emulator.Cpu.Cpu.HooksBuilt ? "with" : "without")} hooks (none attached)");
        foreach (bool el2 in new[] { false, true })
        {
            var ipc = new IpcRoundTrip(el2);
            ipc.Run(2000); // boot and warm-up
            var cpu = ipc.Machine.Cpu;
            ulong r0 = cpu.Retired, c0 = cpu.Cycles;
            ulong u0 = ipc.Machine.Accounting.Instructions(0) + ipc.Machine.Accounting.Instructions(1);
            var watch = Stopwatch.StartNew();
            ipc.Run(n);
            watch.Stop();
            ulong instr = cpu.Retired - r0, cycles = cpu.Cycles - c0;
            ulong user = ipc.Machine.Accounting.Instructions(0) + ipc.Machine.Accounting.Instructions(1) - u0;
            double hostNs = watch.Elapsed.TotalNanoseconds / n;
            Console.WriteLine($"{(el2 ? "EL2" : "EL1")} entry, {n} round trips after 2000 of warm-up:");
            Console.WriteLine($"  mean: {(double)instr / n:F1} instructions ({(double)user / n:F1} at EL0 in tasks 0+1), " +
                $"{(double)cycles / n:F1} cycles per round trip");
            Console.WriteLine($"  shortest (no tick in it): {ipc.MinInstructions} instructions, {ipc.MinCycles} cycles");
            Console.WriteLine($"  host: {hostNs:F0} ns per round trip, {instr / watch.Elapsed.TotalSeconds / 1e6:F1} guest MIPS, " +
                $"{n / watch.Elapsed.TotalSeconds:F0} round trips per host second");
            Console.WriteLine($"  guest time: {cycles / 1e9:F3} s for {n} round trips ({(double)n / (cycles / 1e9):F0} round trips per guest second)");
        }
        return 0;
    }
}
