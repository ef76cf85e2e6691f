namespace Aegis.Emu;

/// <summary>
/// The AegisOS kernel `aegis-emu` boots with no arguments: the committed Kernel.Image/bin/aegis.elf,
/// embedded in this assembly as the resource "aegis.elf" (Aegis.Emu.csproj).
/// </summary>
public static class KernelGuest
{
    public const string ResourceName = "aegis.elf";

    /// <summary>The default boot bundle (UserImages/bin/bundle.bin: hello, sensor, logger), embedded as "bundle.bin".</summary>
    public const string BundleResourceName = "bundle.bin";

    /// <summary>The bundled image, or null when this build has none.</summary>
    public static byte[]? Load() => LoadResource(ResourceName);

    /// <summary>The default boot bundle, or null when this build has none.</summary>
    public static byte[]? LoadBundle() => LoadResource(BundleResourceName);

    private static byte[]? LoadResource(string resource)
    {
        using var stream = typeof(KernelGuest).Assembly.GetManifestResourceStream(resource);
        if (stream is null) return null;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
