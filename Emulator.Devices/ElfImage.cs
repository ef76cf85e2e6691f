using System.Buffers.Binary;

namespace Aegis.Emulator.Devices;

/// <summary>One PT_LOAD segment: where it goes and what it holds.</summary>
public sealed record ElfSegment(ulong PhysicalAddress, ulong VirtualAddress, ulong MemorySize, byte[] FileBytes, uint Flags);

/// <summary>
/// A validated AArch64 ELF64 executable, as QEMU's -kernel loads it: PT_LOAD segments at their
/// physical addresses, entry at e_entry. Every failure is an <see cref="ElfLoadException"/> with a clear reason.
/// </summary>
public sealed class ElfImage
{
    public const ushort EM_AARCH64 = 183;
    private const uint PT_LOAD = 1;

    public ulong Entry { get; }
    public IReadOnlyList<ElfSegment> Segments { get; }

    private ElfImage(ulong entry, List<ElfSegment> segments) { Entry = entry; Segments = segments; }

    public static ElfImage Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 64) throw new ElfLoadException($"not an ELF file: {file.Length} bytes, shorter than an ELF64 header");
        if (file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
            throw new ElfLoadException("not an ELF file: bad magic");
        if (file[4] != 2) throw new ElfLoadException($"wrong ELF class {file[4]}: AArch64 images are ELF64 (class 2)");
        if (file[5] != 1) throw new ElfLoadException("wrong ELF data encoding: AArch64 images here are little-endian");
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(file[16..]);
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(file[18..]);
        if (machine != EM_AARCH64) throw new ElfLoadException($"wrong machine {machine}: expected AArch64 (EM_AARCH64 = 183)");
        if (type != 2 && type != 3) throw new ElfLoadException($"wrong ELF type {type}: expected an executable (ET_EXEC)");
        ulong entry = BinaryPrimitives.ReadUInt64LittleEndian(file[24..]);
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(file[32..]);
        ushort phentsize = BinaryPrimitives.ReadUInt16LittleEndian(file[54..]);
        ushort phnum = BinaryPrimitives.ReadUInt16LittleEndian(file[56..]);
        if (phnum == 0) throw new ElfLoadException("no program headers: nothing to load");
        if (phentsize < 56) throw new ElfLoadException($"program header entry size {phentsize} is below 56");
        if (phoff > (ulong)file.Length || (ulong)phnum * phentsize > (ulong)file.Length - phoff)
            throw new ElfLoadException("truncated ELF: program headers extend past the end of the file");

        var segments = new List<ElfSegment>();
        for (int i = 0; i < phnum; i++)
        {
            var ph = file.Slice((int)phoff + i * phentsize, 56);
            if (BinaryPrimitives.ReadUInt32LittleEndian(ph) != PT_LOAD) continue;
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(ph[4..]);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(ph[8..]);
            ulong vaddr = BinaryPrimitives.ReadUInt64LittleEndian(ph[16..]);
            ulong paddr = BinaryPrimitives.ReadUInt64LittleEndian(ph[24..]);
            ulong filesz = BinaryPrimitives.ReadUInt64LittleEndian(ph[32..]);
            ulong memsz = BinaryPrimitives.ReadUInt64LittleEndian(ph[40..]);
            if (offset > (ulong)file.Length || filesz > (ulong)file.Length - offset)
                throw new ElfLoadException($"truncated ELF: segment {i} data (offset 0x{offset:X}, size 0x{filesz:X}) extends past the end of the file");
            if (filesz > memsz) throw new ElfLoadException($"segment {i}: file size 0x{filesz:X} exceeds memory size 0x{memsz:X}");
            segments.Add(new ElfSegment(paddr, vaddr, memsz, file.Slice((int)offset, (int)filesz).ToArray(), flags));
        }
        if (segments.Count == 0) throw new ElfLoadException("no PT_LOAD segments: nothing to load");
        return new ElfImage(entry, segments);
    }
}
