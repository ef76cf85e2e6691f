using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;
using B = Aegis.Tests.Kernel.Functions.ElfImageBuilder;

namespace Aegis.Tests.Kernel.Functions;

/// <summary><c>elf_parse</c>, <c>elf_validate</c>, <c>elf_load_segments</c>, <c>load_elf_to_task</c>, <c>elf_error_name</c> on synthetic images (REF §8).</summary>
public sealed class ElfTests : KernelFunctionTest
{
    private const ulong Info = KernelHarness.Scratch + 0x1000;  // struct elf_info
    private const ulong EntryOut = KernelHarness.Scratch + 0x1800;
    private const ulong Data = KernelHarness.Scratch + 0x2000;  // the image bytes
    private const ulong Slot0 = 0x4010_0000, SlotSize = 0x4000;

    // enum elf_error (elf.h), names as REF §8.
    private const uint Ok = 0, TooSmall = 1, BadMagic = 2, Not64Bit = 3, NotLittleEndian = 4, NotExecutable = 5,
        WrongArch = 6, TooManySegments = 7, SegmentOutOfBounds = 8, ProgramHeaderOutOfBounds = 9,
        NoSegments = 10, WxViolation = 11, VaddrOutOfRange = 12, SegmentTooLarge = 13;

    private static uint Parse(byte[] image)
    {
        K.WriteBytes(Data, image);
        return (uint)K.Call("elf_parse", Data, (ulong)image.Length, Info);
    }

    private static uint Parse(Action<B> mutate)
    {
        var b = B.Standard();
        mutate(b);
        return Parse(b.Build());
    }

    [Test]
    public void ParsesAGoodImage()
    {
        Assert.That(Parse(_ => { }), Is.EqualTo(Ok));
        Assert.That(K.R64(Info + L.ElfInfo.Entry), Is.EqualTo(Slot0));
        Assert.That(K.R32(Info + L.ElfInfo.NumSegments), Is.EqualTo(2u));
        ulong s1 = Info + L.ElfInfo.Segments + L.ElfInfo.SegmentSize;
        Assert.That(K.R64(s1 + L.ElfInfo.SegVaddr), Is.EqualTo(0x4010_1000UL));
        Assert.That(K.R64(s1 + L.ElfInfo.SegOffset), Is.EqualTo(0x240UL));
        Assert.That(K.R64(s1 + L.ElfInfo.SegFilesz), Is.EqualTo(0x10UL));
        Assert.That(K.R64(s1 + L.ElfInfo.SegMemsz), Is.EqualTo(0x100UL));
        Assert.That(K.R32(s1 + L.ElfInfo.SegFlags), Is.EqualTo(B.PfR | B.PfW));
    }

    // REF §8 parser rules, one malformation each.
    [TestCase("size 63", TooSmall)]
    [TestCase("size 0", TooSmall)]
    [TestCase("magic byte 0", BadMagic)]
    [TestCase("magic byte 3", BadMagic)]
    [TestCase("ELFCLASS32", Not64Bit)]
    [TestCase("class 0", Not64Bit)]
    [TestCase("big endian", NotLittleEndian)]
    [TestCase("ET_DYN", NotExecutable)]
    [TestCase("ET_REL", NotExecutable)]
    [TestCase("EM_X86_64", WrongArch)]
    [TestCase("EM_ARM", WrongArch)]
    [TestCase("five PT_LOAD", TooManySegments)]
    [TestCase("segment past end", SegmentOutOfBounds)]
    [TestCase("segment offset past end", SegmentOutOfBounds)]
    [TestCase("phoff past end", ProgramHeaderOutOfBounds)]
    [TestCase("phnum too big", ProgramHeaderOutOfBounds)]
    [TestCase("phentsize 8 at file end", ProgramHeaderOutOfBounds)]
    [TestCase("four PT_LOAD", Ok)]
    [TestCase("PT_NOTE skipped", Ok)]
    [TestCase("e_version 0 not checked", Ok)]
    [TestCase("no program headers", Ok)]
    [TestCase("entry outside slot parses", Ok)]
    public void ParseRules(string what, uint expected)
    {
        uint got = what switch
        {
            "size 63" => Parse(B.Standard().Build()[..63]),
            "size 0" => Parse(Array.Empty<byte>()),
            "magic byte 0" => Parse(b => b.Magic = [0, (byte)'E', (byte)'L', (byte)'F']),
            "magic byte 3" => Parse(b => b.Magic = [0x7F, (byte)'E', (byte)'L', (byte)'X']),
            "ELFCLASS32" => Parse(b => b.Class = 1),
            "class 0" => Parse(b => b.Class = 0),
            "big endian" => Parse(b => b.DataEncoding = 2),
            "ET_DYN" => Parse(b => b.Type = 3),
            "ET_REL" => Parse(b => b.Type = 1),
            "EM_X86_64" => Parse(b => b.Machine = 62),
            "EM_ARM" => Parse(b => b.Machine = 40),
            "five PT_LOAD" => Parse(b => { for (int i = 0; i < 3; i++) b.Segments.Add(new(B.PtLoad, B.PfR, 0x200, 0x4010_2000, 0x10, 0x10)); }),
            "segment past end" => Parse(b => { b.Size = 0x250; b.Segments[1] = b.Segments[1] with { Filesz = 0x11 }; }),
            "segment offset past end" => Parse(b => { b.Size = 0x250; b.Segments[1] = b.Segments[1] with { Offset = 0x251, Filesz = 0 }; }),
            "phoff past end" => Parse(b => { b.Size = 0x250; b.PhOff = 0x251; }),
            "phnum too big" => Parse(b => { b.Size = 0x250; b.PhNum = 20; }),
            "phentsize 8 at file end" => Parse(b => { b.Size = 0x250; b.PhEntSize = 8; b.PhNum = 1; b.PhOff = 0x248; }),
            "four PT_LOAD" => Parse(b => { for (int i = 0; i < 2; i++) b.Segments.Add(new(B.PtLoad, B.PfR, 0x200, 0x4010_2000, 0x10, 0x10)); }),
            "PT_NOTE skipped" => Parse(b => { for (int i = 0; i < 3; i++) b.Segments.Insert(0, new(B.PtNote, B.PfR, 0x1000000, 0, 0x1000000, 0)); }),
            "e_version 0 not checked" => Parse(b => b.Version = 0),
            "no program headers" => Parse(b => b.Segments.Clear()),
            "entry outside slot parses" => Parse(b => b.Entry = 0x1234),
            _ => throw new ArgumentException(what),
        };
        Assert.That(got, Is.EqualTo(expected), what);
    }

    [Test]
    public void PtNoteIsNotCounted()
    {
        Parse(b => b.Segments.Insert(0, new(B.PtNote, B.PfR, 0, 0, 0, 0)));
        Assert.That(K.R32(Info + L.ElfInfo.NumSegments), Is.EqualTo(2u));
    }

    // ---- validate (REF §8 load-time errors), on an elf_info written directly ----

    private static uint Validate(ulong entry, params (ulong Vaddr, ulong Filesz, ulong Memsz, uint Flags)[] segs)
    {
        K.W64(Info + L.ElfInfo.Entry, entry);
        K.W32(Info + L.ElfInfo.NumSegments, (uint)segs.Length);
        for (int i = 0; i < segs.Length; i++)
        {
            ulong s = Info + L.ElfInfo.Segments + (ulong)(i * L.ElfInfo.SegmentSize);
            K.W64(s + L.ElfInfo.SegVaddr, segs[i].Vaddr);
            K.W64(s + L.ElfInfo.SegFilesz, segs[i].Filesz);
            K.W64(s + L.ElfInfo.SegMemsz, segs[i].Memsz);
            K.W32(s + L.ElfInfo.SegFlags, segs[i].Flags);
        }
        return (uint)K.Call("elf_validate", Info, Slot0, SlotSize);
    }

    [TestCase(Slot0, Slot0, 0x100UL, 0x100UL, 5u, Ok, TestName = "Validate: R+X at base")]
    [TestCase(Slot0, Slot0, 0x10UL, 0x4000UL, 6u, Ok, TestName = "Validate: RW fills the slot exactly")]
    [TestCase(Slot0 + 0x3FFC, Slot0, 0x10UL, 0x10UL, 5u, Ok, TestName = "Validate: entry at last word")]
    [TestCase(Slot0 + 0x4000, Slot0, 0x10UL, 0x10UL, 5u, VaddrOutOfRange, TestName = "Validate: entry at slot end")]
    [TestCase(Slot0 - 4, Slot0, 0x10UL, 0x10UL, 5u, VaddrOutOfRange, TestName = "Validate: entry below slot")]
    [TestCase(Slot0, Slot0, 0x10UL, 0x10UL, 7u, WxViolation, TestName = "Validate: R+W+X rejected")]
    [TestCase(Slot0, Slot0, 0x10UL, 0x10UL, 3u, WxViolation, TestName = "Validate: W+X rejected")]
    [TestCase(Slot0, Slot0 - 0x1000, 0x10UL, 0x10UL, 5u, VaddrOutOfRange, TestName = "Validate: segment below slot")]
    [TestCase(Slot0, Slot0 + 0x3F00, 0x10UL, 0x101UL, 6u, SegmentTooLarge, TestName = "Validate: segment one byte past slot end")]
    [TestCase(Slot0, Slot0, 0x10UL, 0x4001UL, 6u, SegmentTooLarge, TestName = "Validate: memsz larger than slot")]
    [TestCase(Slot0, Slot0, 0x20UL, 0x10UL, 6u, SegmentTooLarge, TestName = "Validate: memsz < filesz rejected (ours)")]
    [TestCase(Slot0, Slot0 + 0x10, 0x0UL, 0xFFFFFFFFFFFFFFF8UL, 6u, SegmentTooLarge, TestName = "Validate: wrapping memsz")]
    [TestCase(Slot0, Slot0 + 0x8000, 0x0UL, 0x10UL, 6u, SegmentTooLarge, TestName = "Validate: segment in the next slot")]
    public void ValidateRules(ulong entry, ulong vaddr, ulong filesz, ulong memsz, uint flags, uint expected) =>
        Assert.That(Validate(entry, (vaddr, filesz, memsz, flags)), Is.EqualTo(expected));

    [Test]
    public void ValidateWithoutSegments() => Assert.That(Validate(Slot0), Is.EqualTo(NoSegments));

    [Test]
    public void ValidateChecksEverySegment() =>
        Assert.That(Validate(Slot0, (Slot0, 0x10, 0x10, 5u), (Slot0 + 0x1000, 0x10, 0x10, 3u)), Is.EqualTo(WxViolation));

    // ---- load_elf_to_task (REF §8 steps 1-6) ----

    private static string? Load(uint task, uint slot, byte[] image)
    {
        K.WriteBytes(Data, image);
        ulong msg = K.Call("load_elf_to_task", task, slot, Data, (ulong)image.Length, EntryOut);
        return msg == 0 ? null : K.CString(msg);
    }

    [TestCase(2u, 6u, "slot >= MAX_ELF_TASKS")]
    [TestCase(8u, 6u, "slot >= MAX_ELF_TASKS")]
    [TestCase(8u, 0u, "task_id >= NUM_TASKS")]
    public void LoadArgumentChecks(uint task, uint slot, string message) =>
        Assert.That(Load(task, slot, B.Standard().Build()), Is.EqualTo(message));

    [Test]
    public void LoadReportsParseFailure() =>
        Assert.That(Load(2, 0, B.Standard().Build()[..40]), Is.EqualTo("ELF parse failed"));

    [Test]
    public void LoadReportsWxViolation()
    {
        var b = B.Standard();
        b.Segments[0] = b.Segments[0] with { Flags = B.PfR | B.PfW | B.PfX };
        ulong before = K.TcbU64(3, L.Tcb.EntryPoint); // sensor's, from the default boot bundle (phase O)
        Assert.That(Load(3, 0, b.Build()), Is.EqualTo("ELF load failed"));
        Assert.That(K.TcbU64(3, L.Tcb.EntryPoint), Is.EqualTo(before), "entry point kept (REF §8)");
    }

    [Test]
    public void LoadIntoWrongSlotFails() =>
        Assert.That(Load(3, 1, B.Standard().Build()), Is.EqualTo("ELF load failed")); // linked for slot 0

    [Test]
    public void LoadCopiesZeroesMapsAndSetsEntry()
    {
        for (ulong a = Slot0; a < Slot0 + 0x2000; a += 8) K.W64(a, 0xAAAA_AAAA_AAAA_AAAA);
        var image = B.Standard().Build();
        Assert.That(Load(2, 0, image), Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(K.R64(EntryOut), Is.EqualTo(Slot0));
            Assert.That(K.TcbU64(2, L.Tcb.EntryPoint), Is.EqualTo(Slot0));
            Assert.That(K.TcbU64(2, L.Frame.Elr), Is.EqualTo(Slot0));
            Assert.That(K.State(2), Is.EqualTo(Ready), "state not changed (REF §8 step 6)");
            Assert.That(K.ReadBytes(Slot0, 0x40), Is.EqualTo(image[0x200..0x240]), "filesz bytes copied");
            Assert.That(K.R64(Slot0 + 0x40), Is.EqualTo(0xAAAA_AAAA_AAAA_AAAAUL), "rest of the slot not cleared");
            Assert.That(K.ReadBytes(Slot0 + 0x1000, 0x10), Is.EqualTo(image[0x240..0x250]));
            Assert.That(K.ReadBytes(Slot0 + 0x1010, 0xF0), Is.EqualTo(new byte[0xF0]), "bss zeroed to memsz");
            Assert.That(K.R64(Slot0 + 0x1100), Is.EqualTo(0xAAAA_AAAA_AAAA_AAAAUL), "beyond memsz untouched");
        });
        ulong l3 = K.Addr("__page_tables_start") + (24 + 2) * 4096UL + (Slot0 - 0x4000_0000) / 4096 * 8;
        // REF §8 step 5: USER_CODE_PAGE for PF_X, USER_DATA_PAGE for PF_W, in the owner's L3 only; nG (deviation 2).
        Assert.That(K.R64(l3), Is.EqualTo(Slot0 | 0x0020_0000_0000_07CBUL | 1UL << 11));
        Assert.That(K.R64(l3 + 8), Is.EqualTo(Slot0 + 0x1000 | 0x0060_0000_0000_074BUL | 1UL << 11));
        Assert.That(K.R64(l3 + 16), Is.EqualTo(Slot0 + 0x2000 | KernelRo), "rest of the slot: EL1 read-only (deviation 6)");
        Assert.That(K.R64(L3(3, Slot0)), Is.EqualTo(Slot0 | KernelRo), "task 3's table: EL1 read-only, as at boot");
        // Deviation 6: the kernel set, which the loader wrote through, keeps the code read-only and the data writable.
        Assert.That(K.R64(L3(8, Slot0)), Is.EqualTo(Slot0 | KernelRo), "code sealed in the kernel set");
        Assert.That(K.R64(L3(8, Slot0 + 0x1000)), Is.EqualTo(Slot0 + 0x1000 | 0x0060_0000_0000_070BUL | 1UL << 11));
    }

    private const ulong KernelRo = 0x0060_0000_0000_078BUL | 1UL << 11; // KERNEL_RO_PAGE | nG

    /// <summary>L3 entry address for <paramref name="va"/> in the table set of a task (8: the kernel set).</summary>
    private static ulong L3(int set, ulong va) =>
        K.Addr("__page_tables_start") + (ulong)(set == 8 ? 35 : 24 + set) * 4096 + (va - 0x4000_0000) / 4096 * 8;

    [Test]
    public void RefusedImageChangesNoMapping()
    {
        // Slot 0 holds hello (default bundle): sealed in the kernel set, executable for task 2.
        ulong[] before = [K.R64(L3(8, Slot0)), K.R64(L3(2, Slot0)), K.R64(L3(3, Slot0))];
        var b = B.Standard();
        b.Segments[0] = b.Segments[0] with { Flags = B.PfR | B.PfW | B.PfX };
        Assert.That(Load(3, 0, b.Build()), Is.EqualTo("ELF load failed"));
        Assert.That(new[] { K.R64(L3(8, Slot0)), K.R64(L3(2, Slot0)), K.R64(L3(3, Slot0)) }, Is.EqualTo(before));
    }

    [Test]
    public void ReloadingASlotForAnotherTaskTakesItAwayFromTheOldOwner()
    {
        // hello's slot 0 reloaded for task 3 (the bundle never does this; load_elf_to_task allows it): task 3 gets the
        // code, task 2 loses it (EL1 read-only, as for any non-owner), the kernel set re-seals it (deviation 6).
        Assert.That(Load(3, 0, B.Standard().Build()), Is.Null);
        Assert.That(K.R64(L3(3, Slot0)), Is.EqualTo(Slot0 | 0x0020_0000_0000_07CBUL | 1UL << 11));
        Assert.That(K.R64(L3(2, Slot0)), Is.EqualTo(Slot0 | KernelRo));
        Assert.That(K.R64(L3(8, Slot0)), Is.EqualTo(Slot0 | KernelRo));
    }

    [Test]
    public void ReadOnlySegmentGetsRodataPage()
    {
        var b = new B { Entry = 0x4010_4000 };
        b.Segments.Add(new(B.PtLoad, B.PfR | B.PfX, 0x100, 0x4010_4000, 0x10, 0x10));
        b.Segments.Add(new(B.PtLoad, B.PfR, 0x110, 0x4010_5000, 0x10, 0x1010));
        Assert.That(Load(3, 1, b.Build()), Is.Null);
        ulong l3 = L3(3, 0x4010_5000);
        Assert.That(K.R64(l3), Is.EqualTo(0x4010_5000UL | 0x0060_0000_0000_07CBUL | 1UL << 11));
        Assert.That(K.R64(l3 + 8), Is.EqualTo(0x4010_6000UL | 0x0060_0000_0000_07CBUL | 1UL << 11), "memsz spans 2 pages");
    }

    [TestCase(Ok, "Ok")]
    [TestCase(TooSmall, "TooSmall")]
    [TestCase(BadMagic, "BadMagic")]
    [TestCase(Not64Bit, "Not64Bit")]
    [TestCase(NotLittleEndian, "NotLittleEndian")]
    [TestCase(NotExecutable, "NotExecutable")]
    [TestCase(WrongArch, "WrongArch")]
    [TestCase(TooManySegments, "TooManySegments")]
    [TestCase(SegmentOutOfBounds, "SegmentOutOfBounds")]
    [TestCase(ProgramHeaderOutOfBounds, "ProgramHeaderOutOfBounds")]
    [TestCase(NoSegments, "NoSegments")]
    [TestCase(WxViolation, "WxViolation")]
    [TestCase(VaddrOutOfRange, "VaddrOutOfRange")]
    [TestCase(SegmentTooLarge, "SegmentTooLarge")]
    [TestCase(14u, "Unknown")]
    public void ErrorNames(uint e, string name) => Assert.That(K.CString(K.Call("elf_error_name", e)), Is.EqualTo(name));
}
