using System.Security.Cryptography;
using Aegis.Emu.Coverage;
using Aegis.Emulator.Cpu;
using Aegis.Tests.Guests;
using NUnit.Framework;

namespace Aegis.Tests.Support;

/// <summary>
/// The kernel's coverage, measured by the test suite on the committed binaries (issue 11): when
/// <see cref="Variable"/> names a directory, every run of a committed kernel image (Kernel.Image/bin/aegis.elf and
/// bin/scenarios/*.elf) that a kernel test starts through <see cref="Attach"/> gets a <see cref="CoverageRecorder"/>,
/// and at the end of the test run <see cref="KernelCoverageReport"/> writes DIR/kernel.info (lcov) and
/// DIR/kernel.info.txt (summary, with the production image's never-executed object code). Images the tests build or
/// mutate are not the committed kernel and are not counted. scripts/kernel-coverage.sh merges and guards the figures.
/// </summary>
public static class KernelCoverage
{
    public const string Variable = "AEGIS_COVERAGE_DIR";
    public static string? Directory { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } d ? d : null;

    private static readonly object Lock = new();
    private static readonly List<(CoverageRecorder Recorder, string Image)> Runs = [];
    /// <summary>The production image: listed first in the report.</summary>
    private static readonly string Production = Path.Combine(GuestPrograms.RepoRoot, "Kernel.Image", "bin", "aegis.elf");
    private static readonly Lazy<Dictionary<string, string>> Committed = new(() =>
    {
        string scenarios = Path.Combine(GuestPrograms.RepoRoot, "Kernel.Image", "bin", "scenarios");
        var files = new[] { Production }.Concat(System.IO.Directory.GetFiles(scenarios, "*.elf"));
        return files.ToDictionary(f => Hash(File.ReadAllBytes(f)), f => f);
    });

    /// <summary>Records the coverage of <paramref name="image"/> on <paramref name="cpu"/> when collection is on and
    /// the image is a committed kernel; otherwise does nothing.</summary>
    public static void Attach(Cpu cpu, byte[] image)
    {
        if (Directory is null || !Committed.Value.TryGetValue(Hash(image), out var path)) return;
        var recorder = new CoverageRecorder();
        cpu.AddHook(recorder);
        lock (Lock) Runs.Add((recorder, path));
    }

    /// <summary>Writes DIR/kernel.info and DIR/kernel.info.txt for every run recorded.</summary>
    public static void Write()
    {
        if (Directory is null) return;
        List<ImageCoverage> images;
        lock (Lock)
            images = [.. Runs.GroupBy(r => r.Image).OrderBy(g => g.Key == Production ? 0 : 1).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g =>
                {
                    var c = new ImageCoverage(CodeImage.FromFile(g.Key));
                    foreach (var (recorder, _) in g) c.Add(recorder);
                    return c;
                })];
        var trace = new Tracefile();
        foreach (var c in images) c.AddTo(trace);
        System.IO.Directory.CreateDirectory(Directory);
        string info = Path.Combine(Directory, "kernel.info");
        using (var w = new StreamWriter(info)) trace.Write(w);
        using (var w = new StreamWriter(info + ".txt")) CoverageSummary.Write(w, trace, images);
        TestContext.Progress.WriteLine($"kernel coverage of {Runs.Count} runs: {CoverageSummary.Headline(trace)}; {info}");
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));
}
