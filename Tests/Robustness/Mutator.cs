using System.Buffers.Binary;

namespace Aegis.Tests.Robustness;

/// <summary>SplitMix64: a seeded generator whose sequence does not depend on the .NET runtime's Random.</summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E37_79B9_7F4A_7C15;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) (n &gt; 0).</summary>
    public int Below(int n) => (int)(Next() % (ulong)n);
    public bool Chance(int percent) => Below(100) < percent;
}

/// <summary>
/// Seeded mutations of an image: random bit flips and byte runs anywhere, and "field smashes" that set a 1/2/4/8-byte
/// field the loaders read (ELF header, program and section headers, symbol values, boot bundle header and entries)
/// to a boundary value (0, all ones, around RAM, around the file's size). Truncation and extension too. What a
/// field is comes from <see cref="ElfFields"/> and <see cref="BundleFields"/>.
/// </summary>
public static class Mutator
{
    /// <summary>Values that sit on the edges the loaders check.</summary>
    private static readonly ulong[] Boundaries =
    [
        0, 1, 2, 0x10, 0x3F, 0x40, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x1_0000, 0x4000, 0x3FFF, 0x7FFF_FFFF, 0x8000_0000,
        0xFFFF_FFFF, 0x1_0000_0000, 0x4000_0000, 0x3FFF_FFFF, 0x4008_0000, 0x4010_0000, 0x4011_8000, 0x4200_0000,
        0x47FF_FFFF, 0x4800_0000, 0x0900_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, ulong.MaxValue - 7,
    ];

    public static byte[] Mutate(byte[] original, SplitMix64 rng, IReadOnlyList<(int Offset, int Size)> fields)
    {
        var b = original.ToArray();
        int rounds = 1 + rng.Below(4);
        for (int r = 0; r < rounds; r++)
        {
            switch (rng.Below(10))
            {
                case 0: case 1: FlipBits(b, rng); break;
                case 2: OverwriteRun(b, rng); break;
                case 3: if (rng.Chance(50)) b = Truncate(b, rng); else b = Extend(b, rng); break;
                default: if (fields.Count > 0) Smash(b, fields[rng.Below(fields.Count)], rng); else FlipBits(b, rng); break;
            }
        }
        return b;
    }

    private static void FlipBits(byte[] b, SplitMix64 rng)
    {
        if (b.Length == 0) return;
        for (int n = 1 + rng.Below(16); n > 0; n--)
            b[rng.Below(b.Length)] ^= (byte)(1 << rng.Below(8));
    }

    private static void OverwriteRun(byte[] b, SplitMix64 rng)
    {
        if (b.Length == 0) return;
        int at = rng.Below(b.Length), len = Math.Min(b.Length - at, 1 + rng.Below(64));
        byte fill = (byte)rng.Below(256);
        bool random = rng.Chance(50);
        for (int i = 0; i < len; i++) b[at + i] = random ? (byte)rng.Next() : fill;
    }

    private static byte[] Truncate(byte[] b, SplitMix64 rng) => b.Length == 0 ? b : b[..rng.Below(b.Length)];

    private static byte[] Extend(byte[] b, SplitMix64 rng)
    {
        var tail = new byte[1 + rng.Below(4096)];
        foreach (ref byte x in tail.AsSpan()) x = (byte)rng.Next();
        return [.. b, .. tail];
    }

    private static void Smash(byte[] b, (int Offset, int Size) field, SplitMix64 rng)
    {
        var (offset, size) = field;
        if (offset < 0 || offset + size > b.Length) return;
        ulong v = rng.Below(4) switch
        {
            0 => rng.Next(),
            1 => (ulong)b.Length + (ulong)rng.Below(64) - 32,
            2 => Read(b, offset, size) + (ulong)rng.Below(17) - 8,
            _ => Boundaries[rng.Below(Boundaries.Length)],
        };
        var span = b.AsSpan(offset, size);
        switch (size)
        {
            case 1: span[0] = (byte)v; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)v); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)v); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(span, v); break;
        }
    }

    private static ulong Read(byte[] b, int offset, int size) => size switch
    {
        1 => b[offset],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(offset)),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(offset)),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(offset)),
    };

    /// <summary>
    /// The fields of an ELF64 file that loaders read: the header, every program header, every section header, and the
    /// value and size of every symbol (the kernel's current_task and tcbs among them), each as (offset, size),
    /// shifted by <paramref name="at"/> (an image inside a bundle). Reads only what lies inside the file.
    /// </summary>
    public static List<(int Offset, int Size)> ElfFields(ReadOnlySpan<byte> f, int at = 0)
    {
        var list = new List<(int, int)>();
        if (f.Length < 64) return list;
        int[] header = [4, 5, 6, 7, 16, 18, 20, 24, 32, 40, 48, 52, 54, 56, 58, 60, 62];
        int[] sizes = [1, 1, 1, 1, 2, 2, 4, 8, 8, 8, 4, 2, 2, 2, 2, 2, 2];
        for (int i = 0; i < header.Length; i++) list.Add((at + header[i], sizes[i]));
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(f[32..]);
        int phnum = BinaryPrimitives.ReadUInt16LittleEndian(f[56..]);
        for (int p = 0; p < phnum && phoff + (ulong)(p + 1) * 56 <= (ulong)f.Length; p++)
            foreach (var (o, s) in new[] { (0, 4), (4, 4), (8, 8), (16, 8), (24, 8), (32, 8), (40, 8), (48, 8) })
                list.Add((at + (int)phoff + p * 56 + o, s));
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(f[40..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(f[60..]);
        for (int s = 0; s < shnum && shoff + (ulong)(s + 1) * 64 <= (ulong)f.Length; s++)
        {
            int sh = (int)shoff + s * 64;
            foreach (var (o, n) in new[] { (4, 4), (24, 8), (32, 8), (40, 4), (56, 8) }) list.Add((at + sh + o, n));
            if (BinaryPrimitives.ReadUInt32LittleEndian(f[(sh + 4)..]) != 2) continue; // SHT_SYMTAB: every symbol's value and size
            ulong off = BinaryPrimitives.ReadUInt64LittleEndian(f[(sh + 24)..]), size = BinaryPrimitives.ReadUInt64LittleEndian(f[(sh + 32)..]);
            for (ulong e = off; e + 24 <= off + size && e + 24 <= (ulong)f.Length; e += 24)
            {
                list.Add((at + (int)e + 8, 8));
                list.Add((at + (int)e + 16, 8));
            }
        }
        return list;
    }

    /// <summary>A boot bundle's header and entry fields (docs/BOOT-BUNDLE.md) and the ELF fields of each image in it.</summary>
    public static List<(int Offset, int Size)> BundleFields(ReadOnlySpan<byte> b)
    {
        var list = new List<(int, int)> { (0, 4), (4, 2), (6, 2), (8, 4), (12, 4) };
        if (b.Length < 16) return list;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]);
        for (int i = 0; i < count && 16 + (i + 1) * 32 <= b.Length; i++)
        {
            int e = 16 + i * 32;
            list.AddRange([(e, 1), (e + 1, 1), (e + 2, 2), (e + 4, 4), (e + 8, 4), (e + 12, 4), (e + 16, 1), (e + 31, 1)]);
            uint off = BinaryPrimitives.ReadUInt32LittleEndian(b[(e + 4)..]), size = BinaryPrimitives.ReadUInt32LittleEndian(b[(e + 8)..]);
            if (off < b.Length && size <= b.Length - off) list.AddRange(ElfFields(b.Slice((int)off, (int)size), (int)off));
        }
        return list;
    }

    /// <summary>Recomputes a bundle's FNV-1a checksum over [16, total size), so the kernel's deeper checks see the mutation.</summary>
    public static void FixBundleChecksum(byte[] b)
    {
        if (b.Length < 16) return;
        uint total = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(8));
        if (total < 16 || total > b.Length) return;
        uint h = 0x811C_9DC5;
        for (int i = 16; i < total; i++) h = (h ^ b[i]) * 0x0100_0193;
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), h);
    }
}
