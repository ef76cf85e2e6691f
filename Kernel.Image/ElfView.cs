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
        CheckSectionTable(file);
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

    /// <summary>
    /// Every section's bytes lie inside the file, before LibObjectFile reads them: it allocates what a section header
    /// says (a buffer of sh_size bytes, a list of sh_size / sh_entsize symbols) before it reads, so a mutated size of
    /// gigabytes was an OutOfMemoryException out of the host (the boot campaign's mutated kernels found it).
    /// </summary>
    private static void CheckSectionTable(byte[] file)
    {
        var f = file.AsSpan();
        ulong shoff = BitConverter.ToUInt64(f[0x28..]);
        int shentsize = BitConverter.ToUInt16(f[0x3A..]), shnum = BitConverter.ToUInt16(f[0x3C..]);
        if (shnum == 0) return;
        if (shentsize < 64 || shoff > (ulong)file.Length || (ulong)shnum * (ulong)shentsize > (ulong)file.Length - shoff)
            throw new InvalidDataException("malformed ELF: the section header table lies outside the file");
        for (int i = 0; i < shnum; i++)
        {
            var h = f.Slice((int)shoff + i * shentsize, 64);
            uint type = BitConverter.ToUInt32(h[4..]);
            ulong offset = BitConverter.ToUInt64(h[0x18..]), size = BitConverter.ToUInt64(h[0x20..]);
            const uint Null = 0, NoBits = 8;
            if (type is Null or NoBits) continue;
            if (offset > (ulong)file.Length || size > (ulong)file.Length - offset)
                throw new InvalidDataException($"malformed ELF: section {i} lies outside the file (offset 0x{offset:X}, size 0x{size:X})");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
