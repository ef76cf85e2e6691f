using System.Buffers.Binary;
using Aegis.Kernel.Image;
using Aegis.Tests.Kernel.Scenarios;
using NUnit.Framework;

namespace Aegis.Tests.Kernel.Boot;

/// <summary>
/// Deviation 12: the EL0 code the kernel image carries (.user_text: tasks 0, 1, 7 and the scenarios' tasks) runs where
/// kernel text is EL1-only, so it must never branch into kernel text (clang's memset/memcpy calls for struct copies
/// were the trap: they live in src/lib.c). Every direct branch in the code of .user_text (between the $x and $d mapping
/// symbols) must land inside it, in the committed image and in every scenario image.
/// </summary>
public sealed class UserTextTests
{
    public static IEnumerable<TestCaseData> Images() =>
        KernelScenarioImages.Names.Select(KernelScenarioImages.Path).Prepend(KernelSymbols.FindImage(TestContext.CurrentContext.TestDirectory))
            .Select(p => new TestCaseData(p).SetArgDisplayNames(Path.GetFileName(Path.GetDirectoryName(p)) + "/" + Path.GetFileName(p)));

    [TestCaseSource(nameof(Images))]
    public void NoBranchLeavesUserText(string path)
    {
        var elf = File.ReadAllBytes(path);
        var symbols = KernelSymbols.Parse(elf);
        ulong start = symbols.Address("__user_text_start"), end = symbols.Address("__user_text_end");
        Assert.That(end, Is.GreaterThan(start));
        var marks = symbols.All.Where(s => s.Address >= start && s.Address < end && (s.Name == "$x" || s.Name.StartsWith("$x.") || s.Name == "$d" || s.Name.StartsWith("$d.")))
            .OrderBy(s => s.Address).ToList();
        Assert.That(marks, Is.Not.Empty, "mapping symbols");
        // The last code range ends with the section's contents, not at the page-aligned __user_text_end.
        var section = Emu.Debugging.ElfSections.Executable(elf).Single(x => x.Address == start);
        ulong codeEnd = start + (ulong)section.Bytes.Length;
        int branches = 0;
        for (int m = 0; m < marks.Count; m++)
        {
            if (!marks[m].Name.StartsWith("$x")) continue;
            ulong to = m + 1 < marks.Count ? marks[m + 1].Address : codeEnd;
            for (ulong pc = marks[m].Address; pc < to; pc += 4)
            {
                if (Target(Word(elf, pc), pc) is not { } target) continue;
                branches++;
                Assert.That(target >= start && target < end, Is.True, $"{Path.GetFileName(path)}: branch at {symbols.Describe(pc)} to {symbols.Describe(target) ?? $"0x{target:X}"}");
            }
        }
        Assert.That(branches, Is.GreaterThan(10), "the check saw the tasks' branches");
    }

    /// <summary>The target of B, BL, B.cond, CBZ/CBNZ or TBZ/TBNZ (Arm ARM C4.1.3), or null.</summary>
    private static ulong? Target(uint raw, ulong pc)
    {
        static ulong Rel(uint field, int bits, ulong pc) => pc + (ulong)((long)((ulong)field << (64 - bits)) >> (64 - bits) << 2);
        if ((raw & 0x7C00_0000) == 0x1400_0000) return Rel(raw & 0x3FF_FFFF, 26, pc);
        if ((raw & 0xFF00_0010) == 0x5400_0000 || (raw & 0x7E00_0000) == 0x3400_0000) return Rel(raw >> 5 & 0x7_FFFF, 19, pc);
        if ((raw & 0x7E00_0000) == 0x3600_0000) return Rel(raw >> 5 & 0x3FFF, 14, pc);
        return null;
    }

    /// <summary>The instruction word at <paramref name="va"/>, through the program headers.</summary>
    private static uint Word(byte[] elf, ulong va)
    {
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(32));
        int phnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(56));
        for (int i = 0; i < phnum; i++)
        {
            var ph = elf.AsSpan((int)phoff + i * 56);
            ulong off = BinaryPrimitives.ReadUInt64LittleEndian(ph[8..]), vaddr = BinaryPrimitives.ReadUInt64LittleEndian(ph[16..]);
            ulong filesz = BinaryPrimitives.ReadUInt64LittleEndian(ph[32..]);
            if (BinaryPrimitives.ReadUInt32LittleEndian(ph) == 1 && va - vaddr < filesz)
                return BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan((int)(off + va - vaddr)));
        }
        throw new InvalidDataException($"0x{va:X} is in no loaded segment");
    }
}
