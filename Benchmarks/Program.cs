using Aegis.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project Benchmarks -- --filter '*'               full measurement (BenchmarkDotNet default job)
// dotnet run -c Release --project Benchmarks -- --filter '*' --job short   quick local figure (3 warm-ups, 3 iterations)
// dotnet run -c Release --project Benchmarks -- ipc-stats [ROUND_TRIPS]    IPC round-trip figures (docs/PERFORMANCE.md)
// dotnet run -c Release --project Benchmarks -- --filter '*HookBuild*'     hooks built in vs compiled out (its own two jobs)
// AEGIS_BENCH_ELF=path/to/other.elf selects another guest image (default samples/bin/compute-O2.elf).
if (args.Length > 0 && args[0] == "ipc-stats")
    return IpcStats.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
