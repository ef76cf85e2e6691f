using System.Buffers.Binary;
using System.Text;

namespace Aegis.Emu.Debugging;

/// <summary>Finds a section of an ELF64 little-endian file by name (for .debug_line); no other parsing.</summary>
internal static class ElfSections
{
    /// <summary>The section's bytes, or null when the file has no such section (or is not ELF64 LE).</summary>
    public static byte[]? Find(byte[] f, string name)
    {
        if (f.Length < 64 || f[0] != 0x7F || f[1] != (byte)'E' || f[2] != (byte)'L' || f[3] != (byte)'F' || f[4] != 2 || f[5] != 1)
            return null;
        var span = f.AsSpan();
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(span[40..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[58..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(span[60..]);
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(span[62..]);
        if (shentsize < 64 || shoff > (ulong)f.Length || (ulong)shnum * (ulong)shentsize > (ulong)f.Length - shoff || shstrndx >= shnum)
            return null;
        var names = Body(span, Header(span, shoff, shentsize, shstrndx));
        if (names is null) return null;
        for (int i = 0; i < shnum; i++)
        {
            var sh = Header(span, shoff, shentsize, i);
            uint nameOff = BinaryPrimitives.ReadUInt32LittleEndian(sh);
            if (nameOff >= names.Value.Length) continue;
            var rest = names.Value.Span[(int)nameOff..];
            int len = rest.IndexOf((byte)0);
            if (len < 0 || Encoding.ASCII.GetString(rest[..len]) != name) continue;
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) == 8) return []; // SHT_NOBITS
            return Body(span, sh)?.ToArray();
        }
        return null;
    }

    private static ReadOnlySpan<byte> Header(ReadOnlySpan<byte> f, ulong shoff, int shentsize, int index) =>
        f.Slice((int)shoff + index * shentsize, 64);

    private static ReadOnlyMemory<byte>? Body(ReadOnlySpan<byte> f, ReadOnlySpan<byte> sh)
    {
        ulong off = BinaryPrimitives.ReadUInt64LittleEndian(sh[24..]);
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(sh[32..]);
        if (off > (ulong)f.Length || size > (ulong)f.Length - off) return null;
        return f.Slice((int)off, (int)size).ToArray();
    }
}
