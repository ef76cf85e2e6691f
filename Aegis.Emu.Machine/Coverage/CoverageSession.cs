using Aegis.Emulator.Cpu;
using Aegis.Kernel.Image;

namespace Aegis.Emu.Coverage;

/// <summary>
/// `--coverage FILE` of `run`, `boot` and `debug`: a <see cref="CoverageRecorder"/> on the CPU for the whole run, and
/// at its end the lcov tracefile FILE and the plain-text summary FILE.txt, for the image and (AegisOS) the boot
/// bundle's ELFs.
/// </summary>
public sealed class CoverageSession
{
    public string Path { get; }
    public CoverageRecorder Recorder { get; } = new();
    public IReadOnlyList<CodeImage> Images { get; }
    private string? _headline;

    /// <param name="imagePath">Where the image came from (its sources are looked up next to it), null when unknown.</param>
    /// <param name="bundlePath">Where the bundle came from, likewise.</param>
    public CoverageSession(Cpu cpu, string path, byte[] image, string? imagePath, byte[]? bundle = null, string? bundlePath = null)
    {
        Path = path;
        var images = new List<CodeImage> { new(imagePath is null ? "image" : System.IO.Path.GetFileName(imagePath), image, imagePath is null ? null : CodeImage.RootsOf(imagePath)) };
        if (bundle is not null)
        {
            try
            {
                foreach (var e in BootBundle.Read(bundle))
                {
                    try { images.Add(new CodeImage(e.Name, e.Image, bundlePath is null ? null : CodeImage.RootsOf(bundlePath))); }
                    catch (InvalidDataException) { } // an entry that is not an ELF the kernel would load has no code to cover
                }
            }
            catch (InvalidDataException) { } // a bundle the kernel refuses: its ELFs never run
        }
        Images = images;
        cpu.AddHook(Recorder);
    }

    /// <summary>Creates FILE now, so that a path that cannot be written is a usage error before the run.</summary>
    public static string? CheckWritable(string path)
    {
        try { File.WriteAllText(path, ""); return null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"cannot create {path}: {e.Message}"; }
    }

    /// <summary>Writes FILE and FILE.txt at the first call; returns the totals line (the first call's, every time).</summary>
    public string Write()
    {
        if (_headline is not null) return _headline;
        var coverage = Images.Select(i => { var c = new ImageCoverage(i); c.Add(Recorder); return c; }).ToList();
        var trace = new Tracefile();
        foreach (var c in coverage) c.AddTo(trace);
        using (var w = new StreamWriter(Path)) trace.Write(w);
        using (var w = new StreamWriter(Path + ".txt")) CoverageSummary.Write(w, trace, coverage);
        return _headline = $"coverage: {CoverageSummary.Headline(trace)}; {Path}, {Path}.txt";
    }
}
