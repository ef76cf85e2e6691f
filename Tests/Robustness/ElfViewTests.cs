using System.Buffers.Binary;
using Aegis.Kernel.Image;
using Aegis.Tests.Kernel.Boot;
using NUnit.Framework;

namespace Aegis.Tests.Robustness;

/// <summary>
/// <see cref="ElfView"/> on sections whose header points outside the file: a clear InvalidDataException, never an
/// allocation of what the header says (the boot campaign's mutants 4126 and 4792 had sizes of 2 and 32 GiB, and the
/// library's OutOfMemoryException reached the host). Reference: the ELF64 section header layout (System V gABI).
/// </summary>
[TestFixture]
public class ElfViewTests
{
    [TestCase(0x7FFF_FFFFUL)]
    [TestCase(0x8_0000_2100UL)]
    [TestCase(ulong.MaxValue)]
    public void ASectionLargerThanTheFileIsRefused(ulong size)
    {
        var kernel = File.ReadAllBytes(KernelBoot.ImagePath);
        int section = FirstSectionWithContents(kernel);
        SectionField(kernel, section, 0x20, size);
        var e = Assert.Throws<InvalidDataException>(() => ElfView.Read(kernel))!;
        Assert.That(e.Message, Is.EqualTo($"malformed ELF: section {section} lies outside the file " +
            $"(offset 0x{ReadSectionField(kernel, section, 0x18):X}, size 0x{size:X})"));
    }

    [Test]
    public void ASectionTableOutsideTheFileIsRefused()
    {
        var kernel = File.ReadAllBytes(KernelBoot.ImagePath);
        BinaryPrimitives.WriteUInt64LittleEndian(kernel.AsSpan(0x28), (ulong)kernel.Length - 64);
        Assert.That(() => ElfView.Read(kernel), Throws.InstanceOf<InvalidDataException>()
            .With.Message.EqualTo("malformed ELF: the section header table lies outside the file"));
    }

    [Test]
    public void TheCommittedKernelReads() => Assert.That(ElfView.Read(File.ReadAllBytes(KernelBoot.ImagePath)).Sections.Count, Is.GreaterThan(10));

    private static int FirstSectionWithContents(byte[] elf)
    {
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        for (int i = 1; i < shnum; i++)
            if (ReadSectionField(elf, i, 4) is var type && (uint)type is not 0 and not 8) return i;
        throw new InvalidOperationException("no section with contents");
    }

    private static int Header(byte[] elf, int section) =>
        (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28)) + section * BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));

    private static ulong ReadSectionField(byte[] elf, int section, int offset) => offset == 4
        ? BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(Header(elf, section) + offset))
        : BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(Header(elf, section) + offset));

    private static void SectionField(byte[] elf, int section, int offset, ulong value) =>
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(Header(elf, section) + offset), value);
}
