using System.Buffers.Binary;
using System.Text;

namespace Aegis.Emu.Debugging;

/// <summary>A section's index, load address and contents.</summary>
internal readonly record struct ElfSection(int Index, ulong Address, byte[] Bytes);

/// <summary>Finds sections of an ELF64 little-endian file: one by name (for .debug_line), the code ones (coverage), and the
/// writable load segments (the kernel-write checker).</summary>
internal static class ElfSections
{
    private const uint ShtProgbits = 1, ShfAlloc = 2, ShfExecinstr = 4, PtLoad = 1, PfW = 2;

    /// <summary>The allocated SHT_PROGBITS sections with SHF_EXECINSTR; empty when the file is not ELF64 LE.</summary>
    public static List<ElfSection> Executable(byte[] f)
    {
        var list = new List<ElfSection>();
        if (!Headers(f, out ulong shoff, out int shentsize, out int shnum, out _)) return list;
        var span = f.AsSpan();
        for (int i = 0; i < shnum; i++)
        {
            var sh = Header(span, shoff, shentsize, i);
            ulong flags = BinaryPrimitives.ReadUInt64LittleEndian(sh[8..]);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != ShtProgbits || (flags & (ShfAlloc | ShfExecinstr)) != (ShfAlloc | ShfExecinstr))
                continue;
            if (Body(span, sh) is { } body)
                list.Add(new ElfSection(i, BinaryPrimitives.ReadUInt64LittleEndian(sh[16..]), body.ToArray()));
        }
        return list;
    }

    /// <summary>The [start, end) physical of every PT_LOAD segment with PF_W (its memory size: .bss and padding too).</summary>
    public static List<(ulong Lo, ulong Hi)> WritableSegments(byte[] f)
    {
        var list = new List<(ulong, ulong)>();
        if (f.Length < 64 || f[0] != 0x7F || f[1] != (byte)'E' || f[2] != (byte)'L' || f[3] != (byte)'F' || f[4] != 2 || f[5] != 1)
            return list;
        var span = f.AsSpan();
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(span[32..]);
        int phentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[54..]), phnum = BinaryPrimitives.ReadUInt16LittleEndian(span[56..]);
        if (phentsize < 56 || phoff > (ulong)f.Length || (ulong)phnum * (ulong)phentsize > (ulong)f.Length - phoff) return list;
        for (int i = 0; i < phnum; i++)
        {
            var ph = span.Slice((int)phoff + i * phentsize, 56);
            if (BinaryPrimitives.ReadUInt32LittleEndian(ph) != PtLoad || (BinaryPrimitives.ReadUInt32LittleEndian(ph[4..]) & PfW) == 0) continue;
            ulong pa = BinaryPrimitives.ReadUInt64LittleEndian(ph[24..]), size = BinaryPrimitives.ReadUInt64LittleEndian(ph[40..]);
            if (size > 0 && pa + size > pa) list.Add((pa, pa + size));
        }
        return list;
    }

    private static bool Headers(byte[] f, out ulong shoff, out int shentsize, out int shnum, out int shstrndx)
    {
        shoff = 0; shentsize = shnum = shstrndx = 0;
        if (f.Length < 64 || f[0] != 0x7F || f[1] != (byte)'E' || f[2] != (byte)'L' || f[3] != (byte)'F' || f[4] != 2 || f[5] != 1)
            return false;
        var span = f.AsSpan();
        shoff = BinaryPrimitives.ReadUInt64LittleEndian(span[40..]);
        shentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[58..]);
        shnum = BinaryPrimitives.ReadUInt16LittleEndian(span[60..]);
        shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(span[62..]);
        return shentsize >= 64 && shoff <= (ulong)f.Length && (ulong)shnum * (ulong)shentsize <= (ulong)f.Length - shoff;
    }

    /// <summary>The section's bytes, or null when the file has no such section (or is not ELF64 LE).</summary>
    public static byte[]? Find(byte[] f, string name)
    {
        if (!Headers(f, out ulong shoff, out int shentsize, out int shnum, out int shstrndx) || shstrndx >= shnum)
            return null;
        var span = f.AsSpan();
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
