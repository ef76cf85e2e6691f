using Aegis.Emulator.Devices;
using Aegis.Kernel.Image;
using LibObjectFile.Elf;

namespace Aegis.Emu.Debugging;

/// <summary>A section's index in the section header table, load address and contents.</summary>
internal readonly record struct ElfSection(int Index, ulong Address, byte[] Bytes);

/// <summary>Sections of an ELF64 little-endian file (read by <see cref="ElfView"/>): one by name (for .debug_line),
/// the code ones (coverage), and the writable load segments (the kernel-write checker, from the loader's
/// <see cref="ElfImage"/>). A file that cannot be read has none.</summary>
internal static class ElfSections
{
    /// <summary>The allocated SHT_PROGBITS sections with SHF_EXECINSTR; empty when the file cannot be read.</summary>
    public static List<ElfSection> Executable(byte[] f)
    {
        if (Read(f) is not { } elf) return [];
        return [.. elf.Sections
            .Where(s => s.Type == ElfSectionType.ProgBits && (s.Flags & (ElfSectionFlags.Alloc | ElfSectionFlags.Executable)) == (ElfSectionFlags.Alloc | ElfSectionFlags.Executable))
            .Select(s => new ElfSection(s.SectionIndex, s.VirtualAddress, ElfView.Contents(s)))];
    }

    /// <summary>The [start, end) physical of every PT_LOAD segment with PF_W (its memory size: .bss and padding too);
    /// empty when the loader would refuse the file.</summary>
    public static List<(ulong Lo, ulong Hi)> WritableSegments(byte[] f)
    {
        const uint PfW = 2;
        try
        {
            return [.. ElfImage.Parse(f).Segments.Where(s => (s.Flags & PfW) != 0 && s.MemorySize > 0)
                .Select(s => (s.PhysicalAddress, s.PhysicalAddress + s.MemorySize))];
        }
        catch (ElfLoadException) { return []; }
    }

    /// <summary>The section's bytes (empty for SHT_NOBITS), or null when the file has no such section or cannot be read.</summary>
    public static byte[]? Find(byte[] f, string name) =>
        Read(f)?.Sections.FirstOrDefault(s => s.Name.Value == name) is { } section ? ElfView.Contents(section) : null;

    private static ElfFile? Read(byte[] f)
    {
        try { return ElfView.Read(f); }
        catch (InvalidDataException) { return null; }
    }
}
