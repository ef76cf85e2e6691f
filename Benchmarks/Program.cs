using Aegis.Benchmarks;
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "ipc-stats")
    return IpcStats.Run(args[1..]);
if (args.Length > 0 && args[0] == "hook-stats")
    return HookStats.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
