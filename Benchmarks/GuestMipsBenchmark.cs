using BenchmarkDotNet.Attributes;
using Aegis.Emulator.Cpu;

namespace Aegis.Benchmarks;

/// <summary>
/// Guest speed: boot the virt board with a compiled compute-bound guest and run it to its exit.
/// The MIPS and guest-cycle columns turn the mean time into guest instructions per second.
/// </summary>
[Config(typeof(GuestMipsConfig))]
public class GuestMipsBenchmark
{
    /// <summary>The guest image; AEGIS_BENCH_ELF overrides the default samples/bin/compute-O2.elf.</summary>
    [ParamsSource(nameof(Images))]
    public string Elf { get; set; } = "";

    public static IEnumerable<string> Images() => [GuestProgram.DefaultImage];

    /// <summary>The timing model: "simple" (one cycle per instruction) or "a53" (the Cortex-A53 cycle model).</summary>
    [Params(TimingModels.Simple, TimingModels.A53)]
    public string Timing { get; set; } = TimingModels.Simple;

    /// <summary>The interpreter (the reference) or the block translator (issue 14).</summary>
    [Params(ExecutionEngine.Interpreter, ExecutionEngine.Translator)]
    public ExecutionEngine Engine { get; set; }

    private byte[] _image = [];

    [GlobalSetup]
    public void Setup()
    {
        _image = File.ReadAllBytes(GuestProgram.Resolve(Elf));
        // One checked run first: the guest must reach its exit, and its console shows what it computed.
        var console = new List<byte>();
        var r = GuestProgram.Run(_image, console.Add, timing: Timing, engine: Engine);
        if (r.Stop != StopReason.GuestExit)
            throw new InvalidOperationException($"{Elf} did not exit (stopped by {r.Stop} after {r.Instructions} instructions)");
        foreach (var line in System.Text.Encoding.ASCII.GetString(console.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Console.WriteLine($"// guest: {line}");
        Console.WriteLine($"// guest {Path.GetFileName(Elf)}: exit code {r.ExitCode}, {r.Instructions} instructions, {r.Cycles} cycles");
    }

    [Benchmark(Description = "boot + run to exit", Baseline = true)]
    public ulong BootAndRunToExit() => GuestProgram.Run(_image, timing: Timing, engine: Engine).Instructions;

    /// <summary>The fixed part of the above: a fresh board (128 MiB of RAM) and the ELF loaded, nothing run.</summary>
    [Benchmark(Description = "boot only")]
    public ulong BootOnly() => GuestProgram.Boot(_image, timing: Timing, engine: Engine).Cpu.PC;
}
