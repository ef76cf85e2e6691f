using System.Buffers.Binary;
using LibObjectFile.Elf;

namespace Aegis.Emulator.Devices;

/// <summary>One PT_LOAD segment: where it goes and what it holds.</summary>
public sealed record ElfSegment(ulong PhysicalAddress, ulong VirtualAddress, ulong MemorySize, byte[] FileBytes, uint Flags, int Index = 0);

/// <summary>
/// A validated AArch64 ELF64 executable, as QEMU's -kernel loads it: PT_LOAD segments at their
/// physical addresses (p_paddr), entry at e_entry. The header and program headers are read by LibObjectFile
/// (<see cref="ReadProgramView"/>); the checks are the loader's. Every failure is an <see cref="ElfLoadException"/>
/// whose message is one line naming the problem: not an ELF, wrong class, wrong data encoding,
/// wrong machine, wrong type, truncated, no program headers, no PT_LOAD, overlapping segments, or what LibObjectFile
/// found malformed.
/// </summary>
public sealed class ElfImage
{
    public const ushort EM_AARCH64 = 183;
    private const uint PT_LOAD = 1;
    private const int Elf64HeaderSize = 64, Elf64PhdrSize = 56;

    public ulong Entry { get; }
    public IReadOnlyList<ElfSegment> Segments { get; }

    /// <summary>The end of the highest segment (p_paddr + p_memsz), where SYS_HEAPINFO puts the heap.</summary>
    public ulong End => Segments.Max(s => s.PhysicalAddress + s.MemorySize);

    private ElfImage(ulong entry, List<ElfSegment> segments) { Entry = entry; Segments = segments; }

    /// <summary>Starts with the ELF magic (7F 45 4C 46): `run --kernel` then loads it as an ELF, not as a Linux Image.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> file) =>
        file.Length >= 4 && file[0] == 0x7F && file[1] == (byte)'E' && file[2] == (byte)'L' && file[3] == (byte)'F';

    public static ElfImage Parse(ReadOnlySpan<byte> file)
    {
        // What decides whether the rest can be read at all, in the user's terms.
        if (file.Length < 4 || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
            throw new ElfLoadException(file.Length < Elf64HeaderSize
                ? $"not an ELF file: {file.Length} bytes, shorter than an ELF64 header"
                : "not an ELF file: bad magic (expected 7F 45 4C 46)");
        if (file.Length < 6) throw new ElfLoadException($"truncated ELF: {file.Length} bytes, shorter than an ELF64 header");
        if (file[4] != 2)
            throw new ElfLoadException(file[4] == 1
                ? "wrong ELF class: ELF32 (EI_CLASS 1); an AArch64 image is ELF64 (EI_CLASS 2)"
                : $"wrong ELF class: EI_CLASS {file[4]}; an AArch64 image is ELF64 (EI_CLASS 2)");
        if (file[5] != 1)
            throw new ElfLoadException(file[5] == 2
                ? "wrong ELF data encoding: big-endian (EI_DATA 2); the virt board runs little-endian images (EI_DATA 1)"
                : $"wrong ELF data encoding: EI_DATA {file[5]}; the virt board runs little-endian images (EI_DATA 1)");
        if (file.Length < Elf64HeaderSize)
            throw new ElfLoadException($"truncated ELF: {file.Length} bytes, shorter than an ELF64 header (64 bytes)");

        // The program header table must be in the file before LibObjectFile reads it (it throws, or reads garbage, else).
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(file[32..]);
        int phentsize = BinaryPrimitives.ReadUInt16LittleEndian(file[54..]), phnum = BinaryPrimitives.ReadUInt16LittleEndian(file[56..]);
        if (phnum == 0) throw new ElfLoadException("no program headers: nothing to load");
        if (phentsize < Elf64PhdrSize) throw new ElfLoadException($"bad program header entry size {phentsize}: ELF64 needs 56");
        if (phoff > (ulong)file.Length || (ulong)phnum * (ulong)phentsize > (ulong)file.Length - phoff)
            throw new ElfLoadException($"truncated ELF: {phnum} program headers at offset 0x{phoff:X} extend past the end of the file ({file.Length} bytes)");

        var elf = ReadProgramView(file);
        ushort machine = (ushort)elf.Arch.Value;
        if (machine != EM_AARCH64)
            throw new ElfLoadException($"wrong machine: {MachineName(machine)} (e_machine {machine}); expected AArch64 (e_machine 183)");
        if (elf.FileType is not (ElfFileType.Executable or ElfFileType.Dynamic))
            throw new ElfLoadException($"wrong ELF type {(ushort)elf.FileType}: expected an executable (ET_EXEC 2 or ET_DYN 3)");
        if (elf.Segments.Count != phnum) throw new ElfLoadException($"malformed ELF: {elf.Segments.Count} of {phnum} program headers read");

        var segments = new List<ElfSegment>();
        for (int i = 0; i < phnum; i++)
        {
            var ph = elf.Segments[i];
            if (ph.Type != ElfSegmentTypeCore.Load) continue;
            ulong offset = ph.Position, filesz = ph.Size, memsz = ph.SizeInMemory, paddr = ph.PhysicalAddress;
            if (offset > (ulong)file.Length || filesz > (ulong)file.Length - offset)
                throw new ElfLoadException($"truncated ELF: segment {i} data (offset 0x{offset:X}, size 0x{filesz:X}) extends past the end of the file ({file.Length} bytes)");
            if (filesz > memsz) throw new ElfLoadException($"segment {i}: file size 0x{filesz:X} exceeds memory size 0x{memsz:X}");
            if (memsz > ulong.MaxValue - paddr) throw new ElfLoadException($"segment {i} at 0x{paddr:X} (size 0x{memsz:X}) wraps around the address space");
            segments.Add(new ElfSegment(paddr, ph.VirtualAddress, memsz, file.Slice((int)offset, (int)filesz).ToArray(), (uint)ph.Flags.Value, i));
        }
        if (segments.Count == 0) throw new ElfLoadException("no PT_LOAD segments: nothing to load");

        // QEMU refuses images whose pieces overlap ("rom: requested regions overlap").
        for (int a = 0; a < segments.Count; a++)
            for (int b = a + 1; b < segments.Count; b++)
            {
                var sa = segments[a];
                var sb = segments[b];
                if (sa.MemorySize == 0 || sb.MemorySize == 0) continue;
                if (sa.PhysicalAddress < sb.PhysicalAddress + sb.MemorySize && sb.PhysicalAddress < sa.PhysicalAddress + sa.MemorySize)
                    throw new ElfLoadException($"segments {sa.Index} and {sb.Index} overlap: 0x{sa.PhysicalAddress:X}+0x{sa.MemorySize:X} and 0x{sb.PhysicalAddress:X}+0x{sb.MemorySize:X}");
            }
        return new ElfImage(elf.EntryPointAddress, segments);
    }

    /// <summary>
    /// The ELF header and program headers, read by LibObjectFile from a copy of the file whose section header fields
    /// (e_shoff, e_shnum, e_shstrndx) are zero: QEMU's loader reads only these, so a file with damaged or unusual
    /// sections loads as on QEMU. What LibObjectFile reports about what the loader does not use (the data of a
    /// segment other than PT_LOAD, say) does not stop the load either: the checks of <see cref="Parse"/> are the
    /// loader's. The one boundary for the library's failures: whatever it throws on malformed input becomes an
    /// <see cref="ElfLoadException"/>.
    /// </summary>
    private static ElfFile ReadProgramView(ReadOnlySpan<byte> file)
    {
        byte[] view = file.ToArray();
        view.AsSpan(40, 8).Clear();  // e_shoff
        view.AsSpan(60, 4).Clear();  // e_shnum, e_shstrndx
        try
        {
            ElfFile.TryRead(new MemoryStream(view, writable: false), out var elf, out _);
            return elf ?? throw new ElfLoadException("malformed ELF: unreadable header");
        }
        catch (Exception e) when (e is not (OutOfMemoryException or ElfLoadException))
        {
            throw new ElfLoadException($"malformed ELF: {FirstLine(e.Message)}");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static string MachineName(ushort machine) => machine switch
    {
        0 => "none",
        3 => "x86 (i386)",
        8 => "MIPS",
        20 => "PowerPC",
        21 => "PowerPC64",
        40 => "32-bit Arm",
        62 => "x86-64",
        243 => "RISC-V",
        _ => "not AArch64",
    };
}
