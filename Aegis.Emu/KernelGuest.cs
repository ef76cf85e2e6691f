namespace Aegis.Emu;

/// <summary>
/// The AegisOS kernel `aegis-emu` boots with no arguments: the committed Kernel.Image/bin/aegis.elf,
/// embedded in this assembly as the resource "aegis.elf" (Aegis.Emu.csproj).
/// </summary>
public static class KernelGuest
{
    public const string ResourceName = "aegis.elf";

    /// <summary>The bundled image, or null when this build has none.</summary>
    public static byte[]? Load()
    {
        using var stream = typeof(KernelGuest).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null) return null;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
