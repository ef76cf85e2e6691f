using LibObjectFile.Elf;

namespace Aegis.Kernel.Image;

/// <summary>
/// The one way the tools read an ELF file's sections and symbols: LibObjectFile's <see cref="ElfFile"/>, for
/// ELF64 little-endian files. This is the boundary where the library's failures become one exception type: a file it
/// reports errors for, or throws on (it throws arbitrary exceptions on some malformed input), is an
/// <see cref="InvalidDataException"/> whose message is one line. The loader reads program headers on its own terms
/// (Emulator.Devices ElfImage, as QEMU's -kernel), so a file whose sections are damaged still loads.
/// </summary>
public static class ElfView
{
    public static ElfFile Read(byte[] file)
    {
        if (file.Length < 64 || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F' || file[4] != 2 || file[5] != 1)
            throw new InvalidDataException("not an ELF64 little-endian file");
        bool ok;
        ElfFile? elf;
        LibObjectFile.Diagnostics.DiagnosticBag? diagnostics;
        try { ok = ElfFile.TryRead(new MemoryStream(file, writable: false), out elf, out diagnostics); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"malformed ELF: {FirstLine(e.Message)}", e);
        }
        if (!ok || elf is null)
        {
            var error = diagnostics?.Messages.FirstOrDefault(m => m.Kind == LibObjectFile.Diagnostics.DiagnosticKind.Error);
            throw new InvalidDataException($"malformed ELF: {FirstLine(error?.Message ?? "unreadable")}");
        }
        return elf;
    }

    /// <summary>The bytes of a section with contents (empty for SHT_NOBITS and sections without data).</summary>
    public static byte[] Contents(ElfSection section)
    {
        if (section is not ElfStreamSection stream) return [];
        var bytes = new byte[stream.Stream.Length];
        stream.Stream.Position = 0;
        stream.Stream.ReadExactly(bytes);
        return bytes;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
