using System.Buffers.Binary;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>Builds synthetic ELF64 images (ELF spec: 64-byte header, 56-byte program headers) for the loader tests.</summary>
public sealed class ElfImageBuilder
{
    public const uint PtLoad = 1, PtNote = 4;
    public const uint PfX = 1, PfW = 2, PfR = 4;

    public record Segment(uint Type, uint Flags, ulong Offset, ulong Vaddr, ulong Filesz, ulong Memsz);

    public byte Class { get; set; } = 2;
    public byte DataEncoding { get; set; } = 1;
    public ushort Type { get; set; } = 2;
    public ushort Machine { get; set; } = 183;
    public uint Version { get; set; } = 1;
    public ulong Entry { get; set; } = 0x4010_0000;
    public ulong PhOff { get; set; } = 64;
    public ushort PhEntSize { get; set; } = 56;
    public ushort? PhNum { get; set; }
    public List<Segment> Segments { get; } = new();
    /// <summary>Total file size; default: everything the segments reference.</summary>
    public int? Size { get; set; }
    public byte[] Magic { get; set; } = [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>A hello-like image at slot 0: R+X code at the base, RW .bss one page up (REF §8 "expected" shape).</summary>
    public static ElfImageBuilder Standard()
    {
        var b = new ElfImageBuilder();
        b.Segments.Add(new(PtLoad, PfR | PfX, 0x200, 0x4010_0000, 0x40, 0x40));
        b.Segments.Add(new(PtLoad, PfR | PfW, 0x240, 0x4010_1000, 0x10, 0x100));
        return b;
    }

    public byte[] Build()
    {
        ulong end = PhOff + (ulong)Segments.Count * 56;
        foreach (var s in Segments)
            if (s.Offset + s.Filesz > end && s.Offset + s.Filesz < 0x10000) end = s.Offset + s.Filesz;
        var f = new byte[Size ?? (int)Math.Max(end, 64)];
        var full = new byte[Math.Max(f.Length, (int)Math.Min(end, 0x10000))];
        Magic.CopyTo(full, 0);
        full[4] = Class;
        full[5] = DataEncoding;
        full[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(full.AsSpan(16), Type);
        BinaryPrimitives.WriteUInt16LittleEndian(full.AsSpan(18), Machine);
        BinaryPrimitives.WriteUInt32LittleEndian(full.AsSpan(20), Version);
        BinaryPrimitives.WriteUInt64LittleEndian(full.AsSpan(24), Entry);
        BinaryPrimitives.WriteUInt64LittleEndian(full.AsSpan(32), PhOff);
        BinaryPrimitives.WriteUInt16LittleEndian(full.AsSpan(52), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(full.AsSpan(54), PhEntSize);
        BinaryPrimitives.WriteUInt16LittleEndian(full.AsSpan(56), PhNum ?? (ushort)Segments.Count);
        for (int i = 0; i < Segments.Count; i++)
        {
            ulong o = PhOff + (ulong)(i * 56);
            if (o + 56 > (ulong)full.Length) break;
            var p = full.AsSpan((int)o);
            var s = Segments[i];
            BinaryPrimitives.WriteUInt32LittleEndian(p, s.Type);
            BinaryPrimitives.WriteUInt32LittleEndian(p[4..], s.Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(p[8..], s.Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(p[16..], s.Vaddr);
            BinaryPrimitives.WriteUInt64LittleEndian(p[24..], s.Vaddr);
            BinaryPrimitives.WriteUInt64LittleEndian(p[32..], s.Filesz);
            BinaryPrimitives.WriteUInt64LittleEndian(p[40..], s.Memsz);
            BinaryPrimitives.WriteUInt64LittleEndian(p[48..], 0x1000);
            // Segment bytes: a recognisable pattern (offset-derived), inside the file only.
            for (ulong b = 0; b < s.Filesz && s.Offset + b < (ulong)full.Length; b++)
                if (s.Offset + b >= PhOff + (ulong)Segments.Count * 56)
                    full[s.Offset + b] = (byte)(0x80 | ((s.Offset + b) & 0x7F));
        }
        Array.Copy(full, f, Math.Min(f.Length, full.Length));
        return f;
    }
}
