using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;
using BenchmarkDotNet.Attributes;

namespace Aegis.Benchmarks;

/// <summary>
/// What a hook limited to an address range costs (docs/API.md, docs/PERFORMANCE.md "Hooks by range"): compute-O2
/// booted and run to its exit with no hook, with a hook of every per-instruction and memory kind on one 4 KiB page the
/// guest never touches (the last page of RAM), and with the same hook on everything. The page hook must stay within
/// 5 % of no hook: the run loop and the data fast path stay fast everywhere outside its page.
/// Run: dotnet run -c Release --project Benchmarks -- --filter '*HookRange*'
/// </summary>
public class HookRangeBenchmark
{
    public enum Attached { None, OnePageOutside, Everything }

    /// <summary>The last 4 KiB of the default 128 MiB RAM: above compute-O2's image, data and stack.</summary>
    public const ulong UntouchedPage = 0x4000_0000 + (128UL << 20) - 0x1000;

    [Params(Attached.None, Attached.OnePageOutside, Attached.Everything)]
    public Attached Hook { get; set; }

    private byte[] _image = [];

    [GlobalSetup]
    public void Setup()
    {
        _image = File.ReadAllBytes(GuestProgram.Resolve(GuestProgram.DefaultImage));
        var counter = new CountingHook();
        var r = Run(counter);
        Console.WriteLine($"// guest: {r.Stop}, exit code {r.ExitCode}, {r.Instructions} instructions, {r.Cycles} cycles; " +
            $"hook saw {counter.Fetches} fetches, {counter.Accesses} accesses");
    }

    [Benchmark(Description = "compute-O2: boot + run to exit")]
    public ulong ComputeO2() => Run(new CountingHook()).Instructions;

    private GuestProgram.Result Run(CountingHook hook) => Hook switch
    {
        Attached.None => GuestProgram.Run(_image),
        Attached.OnePageOutside => GuestProgram.Run(_image, hook: hook, hookRange: (UntouchedPage, UntouchedPage + 0xFFF)),
        _ => GuestProgram.Run(_image, hook: hook),
    };

    private sealed class CountingHook : CpuHook
    {
        public ulong Fetches, Accesses;
        public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding) => Fetches++;
        public override void OnMemoryAccess(Cpu cpu, in MemoryAccess access) => Accesses++;
    }
}
