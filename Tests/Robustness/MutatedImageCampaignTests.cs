using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Aegis.Emu;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Guests;
using NUnit.Framework;

namespace Aegis.Tests.Robustness;

/// <summary>
/// Issue 10: seeded campaigns of malformed inputs through the `boot` and `run` commands' own code
/// (<see cref="BootCommand.Boot"/>, <see cref="RunCommand.Boot"/>, in-process). For every input: no exception
/// escapes and no internal error; a refused input gets exactly one error line and status 2; a run that starts stops
/// at its limit (under `simple`, where each instruction costs one cycle, no instruction retires after the cycle
/// limit is reached). Inputs are independent, so the campaign uses every core; each one's result depends only on
/// its seed. A failure names its iteration, whose input <see cref="BootInput"/> / <see cref="RunInput"/> rebuild.
/// </summary>
[TestFixture]
public sealed class MutatedImageCampaignTests
{
    public const ulong Seed = 0xA5E6_1510;
    public const int Iterations = 10_000;
    /// <summary>`boot` limit: past the bundle's loading (the boot reaches bootstrap at about 650,000 cycles) and into the tasks.</summary>
    public const ulong BootCycles = 1_000_000;
    public const ulong RunInstructions = 200_000;

    private static readonly Lazy<(byte[] Kernel, byte[] Bundle, List<(int, int)> KernelFields, List<(int, int)> BundleFields)> Base = new(() =>
    {
        var kernel = KernelGuest.Load()!;
        var bundle = KernelGuest.LoadBundle()!;
        return (kernel, bundle, Mutator.ElfFields(kernel), Mutator.BundleFields(bundle));
    });

    private static readonly Lazy<(string Name, byte[] Bytes, List<(int, int)> Fields)[]> RunBases = new(() =>
        GuestPrograms.Images().Select(n => Path.Combine(GuestPrograms.BinDir, n))
            .Concat(Directory.GetFiles(Path.Combine(GuestPrograms.RepoRoot, "UserImages", "bin"), "*.elf"))
            .Append(Path.Combine(GuestPrograms.RepoRoot, "Kernel.Image", "bin", "aegis.elf"))
            .Select(p => File.ReadAllBytes(p) is var b ? (Path.GetFileName(p), b, Mutator.ElfFields(b)) : default)
            .ToArray());

    private static SplitMix64 Rng(int iteration) => new(Seed ^ (ulong)iteration * 0x9E37_79B9_7F4A_7C15);

    /// <summary>Input <paramref name="i"/> of the boot campaign: even ones mutate the kernel, odd ones the bundle
    /// (85 % of those with the checksum made right again, so the kernel's entry and ELF checks see them).</summary>
    public static (byte[] Kernel, byte[] Bundle, bool El2) BootInput(int i)
    {
        var (kernel, bundle, kf, bf) = Base.Value;
        var rng = Rng(i);
        bool el2 = rng.Chance(25);
        if (i % 2 == 0) return (Mutator.Mutate(kernel, rng, kf), bundle, el2);
        var b = Mutator.Mutate(bundle, rng, bf);
        if (rng.Chance(85)) Mutator.FixBundleChecksum(b);
        return (kernel, b.Length > Aegis.Kernel.Image.BootBundle.MaxSize ? b[..Aegis.Kernel.Image.BootBundle.MaxSize] : b, el2);
    }

    public static (string Name, byte[] Image, bool El2) RunInput(int i)
    {
        var bases = RunBases.Value;
        var rng = Rng(i + Iterations);
        var (name, bytes, fields) = bases[rng.Below(bases.Length)];
        return (name, Mutator.Mutate(bytes, rng, fields), rng.Chance(25));
    }

    private static readonly Regex Counts = new(@"\] (?:\S.*?: )?(\d+) instructions, (\d+) cycles", RegexOptions.Compiled);

    /// <summary>What is wrong with one command's outcome, or null.</summary>
    private static string? Judge(int status, string stderr, ulong limit)
    {
        if (stderr.Contains("internal error", StringComparison.Ordinal)) return $"internal error: {stderr.Trim()}";
        // Status 2 is also a guest's own exit status (README: the exit status is the guest's); its summary tells.
        if (status == Emu.Cli.ExitUsage && !stderr.StartsWith("[aegis-emu] guest exit, status 2:", StringComparison.Ordinal))
        {
            var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return lines.Length == 1 && lines[0].StartsWith("aegis-emu: error: ", StringComparison.Ordinal) ? null : $"status 2 without one error line: {stderr}";
        }
        var m = Counts.Match(stderr);
        if (!m.Success) return $"status {status}, no summary: {stderr}";
        ulong retired = ulong.Parse(m.Groups[1].Value);
        return retired > limit ? $"ran past its limit: {retired} instructions > {limit}" : null;
    }

    private static (int Failures, string Report) Campaign(string what, Func<int, (int Status, string Stderr, ulong Limit)> one)
    {
        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var watch = Stopwatch.StartNew();
        Parallel.For(0, Iterations, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            string? problem;
            try
            {
                var (status, stderr, limit) = one(i);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                problem = Judge(status, stderr, limit);
            }
            catch (Exception e) { problem = $"unhandled {e.GetType().Name}: {e.Message}\n{e.StackTrace}"; }
            if (problem is not null) failures.Add($"{what} iteration {i}: {problem}");
        });
        string report = $"{what}: {Iterations} inputs in {watch.Elapsed.TotalSeconds:F1} s; statuses " +
            string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"));
        TestContext.Progress.WriteLine(report);
        return (failures.Count, report + "\n" + string.Join("\n", failures.OrderBy(f => f).Take(10)));
    }

    /// <summary>What the kernel said of a mutated bundle (docs/BOOT-BUNDLE.md): the campaign must reach every stage.</summary>
    private static readonly (string Stage, string Text)[] BundleStages =
    [
        ("header refused", "!!! boot bundle at"), ("entry refused", "!!! boot bundle entry"),
        ("ELF refused", "!!! ELF load failed"), ("ELF loaded", ") loaded from ELF"),
    ];

    [Test]
    public void TenThousandMutatedKernelsAndBundlesThroughBoot()
    {
        var stages = new ConcurrentDictionary<string, int>();
        var (failures, report) = Campaign("boot", i =>
        {
            var (kernel, bundle, el2) = BootInput(i);
            var stdout = new MemoryStream();
            var stderr = new StringWriter();
            int status = BootCommand.Boot(kernel, $"mutant-{i}.elf", el2, bundle, BootCycles, TimingModels.Simple, stdout, stderr);
            if (i % 2 == 1)
            {
                string said = System.Text.Encoding.Latin1.GetString(stdout.ToArray());
                foreach (var (stage, text) in BundleStages)
                    if (said.Contains(text, StringComparison.Ordinal)) stages.AddOrUpdate(stage, 1, (_, n) => n + 1);
            }
            return (status, stderr.ToString(), BootCycles);
        });
        string reached = string.Join(", ", BundleStages.Select(s => $"{s.Stage}: {stages.GetValueOrDefault(s.Stage)}"));
        TestContext.Progress.WriteLine($"mutated bundles: {reached}");
        Assert.That(failures, Is.Zero, report);
        foreach (var (stage, _) in BundleStages)
            Assert.That(stages.GetValueOrDefault(stage), Is.GreaterThanOrEqualTo(100), $"the mutated bundles reach \"{stage}\" ({reached})");
    }

    [Test]
    public void TenThousandMutatedElfsThroughRun()
    {
        var (failures, report) = Campaign("run", i =>
        {
            var (name, image, el2) = RunInput(i);
            var stderr = new StringWriter();
            var options = new VirtBoardOptions { El2 = el2, Timing = TimingModels.Simple };
            int status = RunCommand.Boot(image, $"mutant-{i}-{name}", options, RunInstructions, Stream.Null, stderr);
            return (status, stderr.ToString(), RunInstructions);
        });
        Assert.That(failures, Is.Zero, report);
    }
}
