using Aegis.Emulator.Devices;

namespace Aegis.Emu;

/// <summary>
/// What `aegis-emu demo` runs: the ELF embedded in this assembly as the resource "demo.elf".
/// Aegis.Emu.csproj embeds the committed samples/bin/hello-O2.elf (rebuilt by samples/build.sh).
/// </summary>
public static class DemoGuest
{
    public const string ResourceName = "demo.elf";

    /// <summary>The bundled image, or null when this build has none.</summary>
    public static byte[]? Load()
    {
        using var stream = typeof(DemoGuest).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null) return null;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    public static int Run(Stream stdout, TextWriter stderr)
    {
        var image = Load();
        if (image is null)
        {
            stderr.WriteLine("aegis-emu: this build bundles no demo guest (embedded resource \"demo.elf\").");
            stderr.WriteLine("  Run an image with: aegis-emu run FILE.elf [--el2] [--max-instructions N] [--ram-mib N]");
            stderr.WriteLine("  The demo is samples/bin/hello-O2.elf, embedded at build time. See aegis-emu --help.");
            return Cli.ExitUsage;
        }
        return RunCommand.Boot(image, ResourceName, new VirtBoardOptions(), null, stdout, stderr);
    }
}
