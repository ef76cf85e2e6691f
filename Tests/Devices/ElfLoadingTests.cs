using System.Buffers.Binary;
using Aegis.Emulator.Devices;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>
/// ELF loading as QEMU's -kernel (PT_LOAD by p_paddr, entry at e_entry) and its one-line errors.
/// Header layouts from the ELF-64 Object File Format (System V gABI).
/// </summary>
public class ElfLoadingTests
{
    /// <summary>Builds an ELF64 image with the given PT_LOAD segments (paddr, data, memsz).</summary>
    private static byte[] Elf(ulong entry, params (ulong Paddr, byte[] Data, ulong MemSize)[] segments)
    {
        int phoff = 64, dataOff = 64 + 56 * segments.Length;
        var file = new byte[dataOff + segments.Sum(s => s.Data.Length)];
        "\x7F"u8.CopyTo(file); "ELF"u8.CopyTo(file.AsSpan(1));
        file[4] = 2; file[5] = 1; file[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(16), 2);   // ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(18), 183); // EM_AARCH64
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(24), entry);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(32), (ulong)phoff);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(52), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(54), 56);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(56), (ushort)segments.Length);
        int off = dataOff;
        for (int i = 0; i < segments.Length; i++)
        {
            var ph = file.AsSpan(phoff + 56 * i);
            BinaryPrimitives.WriteUInt32LittleEndian(ph, 1); // PT_LOAD
            BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], 5);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[8..], (ulong)off);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], segments[i].Paddr);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], segments[i].Paddr);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], (ulong)segments[i].Data.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], segments[i].MemSize);
            segments[i].Data.CopyTo(file.AsSpan(off));
            off += segments[i].Data.Length;
        }
        return file;
    }

    private static byte[] Valid() => Elf(0x4008_0000, (0x4008_0000, [1, 2, 3, 4], 0x10), (0x4009_0000, [9], 1));

    private static string Error(byte[] file, VirtBoardOptions? options = null) =>
        Assert.Throws<ElfLoadException>(() => new VirtBoard(options).LoadElf(file))!.Message;

    [Test]
    public void LoadsSegmentsZeroFillsAndEntersAtTheEntry()
    {
        var board = new VirtBoard();
        board.Bus.Write(0x4008_0004, 4, 0xFFFF_FFFF); // must be cleared: p_memsz > p_filesz
        var image = board.LoadElf(Valid());
        Assert.That(board.Cpu.PC, Is.EqualTo(0x4008_0000));
        Assert.That(board.Cpu.EL, Is.EqualTo(1));
        board.Bus.Read(0x4008_0000, 8, out ulong head);
        Assert.That(head, Is.EqualTo(0x0403_0201UL));
        board.Bus.Read(0x4009_0000, 1, out ulong b);
        Assert.That(b, Is.EqualTo(9));
        Assert.That(image.End, Is.EqualTo(0x4009_0001));
        Assert.That(board.Semihosting.ImageEnd, Is.EqualTo(0x4009_0001));
    }

    [Test]
    public void El2BoardEntersAtEl2()
    {
        var board = new VirtBoard(new VirtBoardOptions { El2 = true });
        board.LoadElf(Valid());
        Assert.That(board.Cpu.EL, Is.EqualTo(2));
        Assert.That(board.Psci.Conduit, Is.EqualTo(PsciConduit.Smc));
    }

    [Test]
    public void NotAnElf() => Assert.That(Error(new byte[100]), Is.EqualTo("not an ELF file: bad magic (expected 7F 45 4C 46)"));

    [Test]
    public void Truncated()
    {
        Assert.That(Error(Valid()[..40]), Is.EqualTo("truncated ELF: 40 bytes, shorter than an ELF64 header (64 bytes)"));
        var cut = Valid()[..(64 + 56 + 2)];
        Assert.That(Error(cut), Does.StartWith("truncated ELF: 2 program headers at offset 0x40 extend past the end of the file"));
        var noData = Valid()[..(64 + 112 + 2)];
        Assert.That(Error(noData), Does.StartWith("truncated ELF: segment 0 data (offset 0xB0, size 0x4) extends past the end of the file"));
    }

    [Test]
    public void WrongMachineX8664()
    {
        var file = Valid();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(18), 62);
        Assert.That(Error(file), Is.EqualTo("wrong machine: x86-64 (e_machine 62); expected AArch64 (e_machine 183)"));
    }

    [Test]
    public void HostExecutableIsRejectedByMachine()
    {
        // A real x86-64 or AArch64 Linux binary of the host: it must be refused with a one-line reason.
        const string path = "/bin/true";
        if (!File.Exists(path)) Assert.Ignore("no /bin/true on this host");
        var bytes = File.ReadAllBytes(path);
        var message = Assert.Throws<ElfLoadException>(() => new VirtBoard().LoadElf(bytes))!.Message;
        Assert.That(message, Does.Not.Contain("\n"));
        Assert.That(message, Does.StartWith("wrong machine").Or.Contain("falls outside RAM").Or.Contain("wrong ELF type"));
    }

    [Test]
    public void WrongClassElf32()
    {
        var file = Valid();
        file[4] = 1;
        Assert.That(Error(file), Is.EqualTo("wrong ELF class: ELF32 (EI_CLASS 1); an AArch64 image is ELF64 (EI_CLASS 2)"));
        Assert.That(Error(file[..52]), Does.StartWith("wrong ELF class: ELF32"), "an ELF32 header is 52 bytes: class is reported first");
    }

    [Test]
    public void WrongDataEncoding()
    {
        var file = Valid();
        file[5] = 2;
        Assert.That(Error(file), Is.EqualTo("wrong ELF data encoding: big-endian (EI_DATA 2); the virt board runs little-endian images (EI_DATA 1)"));
    }

    [Test]
    public void SegmentOutsideRam()
    {
        Assert.That(Error(Elf(0x1000, (0x1000, [1], 4))),
            Is.EqualTo("segment 0 at 0x1000 (size 0x4) falls outside RAM 0x40000000-0x47FFFFFF"));
        Assert.That(Error(Elf(0x4000_0000, (0x47FF_FFF0, [1], 0x20))), Does.StartWith("segment 0 at 0x47FFFFF0 (size 0x20) falls outside RAM"));
        Assert.That(Error(Elf(0x4000_0000, (0x4000_0000, [1], 0x20), (0x5000_0000, [1], 1)), new VirtBoardOptions { RamSize = 256UL << 20 }),
            Is.EqualTo("segment 1 at 0x50000000 (size 0x1) falls outside RAM 0x40000000-0x4FFFFFFF"));
    }

    [Test]
    public void NoLoadableSegment()
    {
        var file = Valid();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(64), 4);      // PT_NOTE
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(64 + 56), 6); // PT_PHDR
        Assert.That(Error(file), Is.EqualTo("no PT_LOAD segments: nothing to load"));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(56), 0);
        Assert.That(Error(file), Is.EqualTo("no program headers: nothing to load"));
    }

    [Test]
    public void OverlappingSegments()
    {
        Assert.That(Error(Elf(0x4000_0000, (0x4000_0000, [1], 0x100), (0x4000_00F0, [2], 0x10))),
            Is.EqualTo("segments 0 and 1 overlap: 0x40000000+0x100 and 0x400000F0+0x10"));
    }

    [Test]
    public void DamagedSectionHeadersDoNotStopALoad()
    {
        // QEMU's -kernel reads the ELF header and the program headers only; so does the loader.
        var file = Valid();
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(40), 0xFFFF_FFF0); // e_shoff past the end
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(58), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(60), 7);           // e_shnum
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(62), 3);           // e_shstrndx
        Assert.That(new VirtBoard().LoadElf(file).Segments, Has.Count.EqualTo(2));
        Assert.That(() => Aegis.Kernel.Image.KernelSymbols.Parse(file), Throws.TypeOf<InvalidDataException>().With.Message.StartsWith("malformed ELF: "),
            "symbols need the sections: one line saying why there are none");
    }

    [Test]
    public void WhatTheElfLibraryThrowsIsAOneLineLoadError()
    {
        // A program header whose data offset is beyond 2^31: LibObjectFile throws (ArgumentOutOfRangeException) on it.
        var file = Valid();
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(64 + 8), 0x1_0000_0000);
        var message = Error(file);
        Assert.That(message, Does.Not.Contain("\n"));
        Assert.That(message, Does.StartWith("truncated ELF: segment 0").Or.StartWith("malformed ELF: "));
    }

    [Test]
    public void FileSizeAboveMemorySize()
    {
        Assert.That(Error(Elf(0x4000_0000, (0x4000_0000, [1, 2, 3], 2))), Is.EqualTo("segment 0: file size 0x3 exceeds memory size 0x2"));
    }
}
