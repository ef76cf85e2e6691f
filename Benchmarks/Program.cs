using BenchmarkDotNet.Running;

// dotnet run -c Release --project Benchmarks -- --filter '*'               full measurement (BenchmarkDotNet default job)
// dotnet run -c Release --project Benchmarks -- --filter '*' --job short   quick local figure (3 warm-ups, 3 iterations)
// AEGIS_BENCH_ELF=path/to/other.elf selects another guest image (default samples/bin/compute-O2.elf).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
