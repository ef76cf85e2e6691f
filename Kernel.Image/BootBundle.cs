using System.Buffers.Binary;
using System.Text;
using Aegis.Kernel.Image.Abi;

namespace Aegis.Kernel.Image;

/// <summary>One row of a boot bundle: an ELF image for task <see cref="Task"/> in ELF slot <see cref="Slot"/>.</summary>
public sealed record BootBundleEntry(byte Slot, byte Task, string Name, byte[] Image);

/// <summary>
/// The AegisOS boot bundle (docs/BOOT-BUNDLE.md): the user ELF images the kernel loads at boot from
/// <see cref="Address"/>, so that a user program never changes the kernel's bytes. Little-endian:
/// header (16 bytes) magic "AGBN", u16 version 1, u16 entry count, u32 total size, u32 FNV-1a-32 of bytes
/// [16, total size); then count entries of 32 bytes: u8 slot, u8 task, u16 flags 0, u32 offset, u32 size,
/// u32 reserved 0, char name[16] (NUL-padded, at most 15 characters); then the images, each at a
/// 16-byte aligned offset. Mirrors Kernel.Image/src/bundle.c.
/// </summary>
public static class BootBundle
{
    /// <summary>Where the kernel looks for the bundle (QEMU: <c>-device loader,file=bundle.bin,addr=0x42000000</c>).</summary>
    public const ulong Address = 0x4200_0000;
    public const uint Magic = 0x4E42_4741; // bytes 'A' 'G' 'B' 'N'
    public const ushort Version = 1;
    public const int HeaderSize = 16;
    public const int EntrySize = 32;
    public const int NameSize = 16;
    public const int MaxEntries = MemoryMap.ElfSlots;
    /// <summary>The largest bundle the kernel accepts: header, six entries and six full slots.</summary>
    public const int MaxSize = 128 * 1024;

    /// <summary>FNV-1a, 32 bits (offset basis 0x811C9DC5, prime 0x01000193).</summary>
    public static uint Fnv1a(ReadOnlySpan<byte> data)
    {
        uint h = 0x811C_9DC5;
        foreach (byte b in data) { h ^= b; h *= 0x0100_0193; }
        return h;
    }

    /// <summary>Builds a bundle. Checks only what the format itself needs (names, counts, total size);
    /// the kernel validates slots, tasks and the ELF images, so tests can build malformed rows.</summary>
    public static byte[] Build(IReadOnlyList<BootBundleEntry> entries)
    {
        if (entries.Count > MaxEntries) throw new ArgumentException($"{entries.Count} entries, at most {MaxEntries}");
        int offset = HeaderSize + entries.Count * EntrySize;
        var offsets = new int[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            offset = (offset + 15) & ~15;
            offsets[i] = offset;
            offset += entries[i].Image.Length;
        }
        int total = (offset + 15) & ~15;
        if (total > MaxSize) throw new ArgumentException($"bundle would be {total} bytes, at most {MaxSize}");
        var b = new byte[total];
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            byte[] name = Encoding.ASCII.GetBytes(e.Name);
            if (name.Length == 0 || name.Length >= NameSize || e.Name.Any(c => c < 0x21 || c > 0x7E))
                throw new ArgumentException($"entry name \"{e.Name}\": 1 to {NameSize - 1} printable ASCII characters");
            var row = b.AsSpan(HeaderSize + i * EntrySize, EntrySize);
            row[0] = e.Slot;
            row[1] = e.Task;
            BinaryPrimitives.WriteUInt32LittleEndian(row[4..], (uint)offsets[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(row[8..], (uint)e.Image.Length);
            name.CopyTo(row[16..]);
            e.Image.CopyTo(b, offsets[i]);
        }
        WriteHeader(b, (ushort)entries.Count);
        return b;
    }

    /// <summary>Writes magic, version, count, total size and the checksum (after any edit of the body).</summary>
    public static void WriteHeader(byte[] bundle, ushort count)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bundle, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(bundle.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt16LittleEndian(bundle.AsSpan(6), count);
        BinaryPrimitives.WriteUInt32LittleEndian(bundle.AsSpan(8), (uint)bundle.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bundle.AsSpan(12), Fnv1a(bundle.AsSpan(HeaderSize)));
    }

    /// <summary>
    /// The entries of <paramref name="bundle"/> that pass the kernel's own checks (src/bundle.c check_header and
    /// check_entry) and so reach load_elf_to_task: none unless the header holds (magic, version, entry count, total
    /// size within the data and <see cref="MaxSize"/>, checksum); then each entry with a slot 0-5, task = slot + 2
    /// and never the idle task, zero reserved fields, a non-empty NUL-terminated name, an image inside the bundle
    /// and no larger than its slot, and a slot not used by an earlier entry. The inverse of <see cref="Build"/> for
    /// well-formed bundles.
    /// </summary>
    public static IReadOnlyList<BootBundleEntry> Read(ReadOnlySpan<byte> bundle)
    {
        var list = new List<BootBundleEntry>();
        if (bundle.Length < HeaderSize) return list;
        uint total = BinaryPrimitives.ReadUInt32LittleEndian(bundle[8..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(bundle[6..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(bundle) != Magic || BinaryPrimitives.ReadUInt16LittleEndian(bundle[4..]) != Version
            || total > (uint)bundle.Length || total > MaxSize || count > MaxEntries
            || HeaderSize + count * EntrySize > total
            || Fnv1a(bundle[HeaderSize..(int)total]) != BinaryPrimitives.ReadUInt32LittleEndian(bundle[12..]))
            return list;
        for (int i = 0; i < count; i++)
        {
            var row = bundle.Slice(HeaderSize + i * EntrySize, EntrySize);
            byte slot = row[0], task = row[1];
            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(row[4..]), size = BinaryPrimitives.ReadUInt32LittleEndian(row[8..]);
            var name = row.Slice(16, NameSize);
            if (slot >= MaxEntries || task != TaskForSlot(slot) || task >= TaskTable.IdleTaskId
                || BinaryPrimitives.ReadUInt16LittleEndian(row[2..]) != 0 || BinaryPrimitives.ReadUInt32LittleEndian(row[12..]) != 0
                || name[0] == 0 || name[^1] != 0
                || offset < HeaderSize || offset > total || size > total - offset || size > MemoryMap.ElfSlotSize
                || list.Any(e => e.Slot == slot))
                continue;
            list.Add(new BootBundleEntry(slot, task, Encoding.ASCII.GetString(name[..name.IndexOf((byte)0)]),
                bundle.Slice((int)offset, (int)size).ToArray()));
        }
        return list;
    }

    /// <summary>Task for an ELF slot (REFERENCE §8: slot 0 -> task 2, 1 -> 3, 2 -> 4, ...).</summary>
    public static byte TaskForSlot(int slot) => (byte)(slot + 2);

    /// <summary>The default bundle, UserImages/bin/bundle.bin, found upwards from <paramref name="from"/>.</summary>
    public static string? FindDefault(string? from = null)
    {
        for (var dir = new DirectoryInfo(from ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string p = Path.Combine(dir.FullName, "UserImages", "bin", "bundle.bin");
            if (File.Exists(p)) return p;
        }
        return null;
    }
}
