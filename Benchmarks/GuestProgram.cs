using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Devices;

namespace Aegis.Benchmarks;

/// <summary>
/// The guest program a benchmark runs: an ELF booted on the virt board (as QEMU's -kernel) and run to its exit.
/// The default is samples/bin/compute-O2.elf (an integer CRC/sieve/matrix kernel built by samples/build.sh);
/// the environment variable AEGIS_BENCH_ELF names another one.
/// </summary>
public static class GuestProgram
{
    public const string SamplesFolder = "samples/bin";
    public const string DefaultImageName = "compute-O2.elf";
    /// <summary>A guest that has not exited after this many instructions is broken, not slow.</summary>
    public const ulong InstructionLimit = 2_000_000_000;

    /// <summary>The image to measure as given (shown in the results): AEGIS_BENCH_ELF, or the default relative to the repository.</summary>
    public static string DefaultImage =>
        Environment.GetEnvironmentVariable("AEGIS_BENCH_ELF") is { Length: > 0 } p ? Path.GetFullPath(p) : DefaultImageName;

    /// <summary>An image as a file: an absolute path as is, a bare name from samples/bin (kept short for the results table).</summary>
    public static string Resolve(string image) => Path.IsPathRooted(image) ? image : Path.Combine(RepositoryRoot(), SamplesFolder, image);

    /// <summary>The folder holding Aegis.Emu.sln, found upwards from the working directory or this assembly.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Aegis.Emu.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Aegis.Emu.sln not found above the working directory: run from the repository");
    }

    /// <summary>The outcome of one complete run.</summary>
    public readonly record struct Result(StopReason Stop, int ExitCode, ulong Instructions, ulong Cycles);

    /// <summary>Boots a fresh board with the image (and <paramref name="hook"/> attached) and runs it until the guest exits.</summary>
    /// <param name="hookRange">The inclusive address range the hook is attached for (default: everything).</param>
    public static Result Run(byte[] elf, Action<byte>? console = null, CpuHook? hook = null, string timing = TimingModels.Simple,
        (ulong Lo, ulong Hi)? hookRange = null, ExecutionEngine engine = ExecutionEngine.Interpreter)
    {
        var board = Boot(elf, console, timing, engine);
        var cpu = board.Cpu;
        if (hook is not null) cpu.AddHook(hook, hookRange?.Lo ?? 0, hookRange?.Hi ?? ulong.MaxValue);
        var stop = cpu.Run(InstructionLimit);
        return new Result(stop, cpu.ExitCode, cpu.Retired, cpu.Cycles);
    }

    /// <summary>A fresh virt board (QEMU's defaults) with the image loaded and the CPU at its entry.</summary>
    public static VirtBoard Boot(byte[] elf, Action<byte>? console = null, string timing = TimingModels.Simple,
        ExecutionEngine engine = ExecutionEngine.Interpreter)
    {
        var board = new VirtBoard(new VirtBoardOptions { Timing = timing, Engine = engine });
        if (console is not null) board.ConsoleOutput = console;
        board.LoadElf(elf);
        return board;
    }

    private static readonly Dictionary<(string, string), Result> Measured = [];

    /// <summary>Instruction and cycle counts of an image under a timing model (the machine is deterministic, so one run tells them).</summary>
    public static Result Counts(string path, string timing = TimingModels.Simple)
    {
        lock (Measured)
        {
            if (!Measured.TryGetValue((path, timing), out var r))
                Measured[(path, timing)] = r = Run(File.ReadAllBytes(Resolve(path)), timing: timing);
            return r;
        }
    }
}
