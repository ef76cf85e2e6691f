using System.Globalization;
using Aegis.Emu.Debugging;
using Aegis.Kernel.Image;
using Aegis.Tests.Guests;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Debugging;

/// <summary>The .debug_line reader against llvm-addr2line-14 (the reference) on the committed kernel and samples.</summary>
public class DwarfLineTableTests
{
    private const string Addr2Line = "llvm-addr2line-14";

    private static IEnumerable<string> Images()
    {
        yield return KernelSymbols.FindImage();
        yield return Path.Combine(GuestPrograms.SamplesDir, "bin", "hello-O2.elf");
        yield return Path.Combine(GuestPrograms.SamplesDir, "bin", "recursion-O0.elf");
    }

    [TestCaseSource(nameof(Images))]
    public void LookupAgreesWithLlvmAddr2LineAtEveryFunctionAndInside(string image)
    {
        ReferenceTools.Require(Addr2Line);
        var bytes = File.ReadAllBytes(image);
        var table = DwarfLineTable.FromElf(bytes);
        Assert.That(table.Rows, Is.Not.Empty, "the images are built with -gdwarf-4");
        var functions = KernelSymbols.Parse(bytes).All.Where(s => s.Size >= 4 && s.Size < 0x10000 && !s.Name.StartsWith('$')).ToList();
        var addresses = functions.SelectMany(f => new[] { f.Address, f.Address + (f.Size / 2 & ~3UL), f.Address + f.Size - 4 }).Distinct().ToList();
        string output = ReferenceTools.Run(Addr2Line, $"-e {image}", string.Join('\n', addresses.Select(a => $"0x{a:x}")) + "\n");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(addresses.Count));
        int compared = 0;
        for (int i = 0; i < addresses.Count; i++)
        {
            string expected = lines[i].Trim();
            if (expected.StartsWith("??", StringComparison.Ordinal)) { Assert.That(table.Lookup(addresses[i]), Is.Null.Or.Property("Line").EqualTo(0), $"0x{addresses[i]:x}"); continue; }
            var row = table.Lookup(addresses[i]);
            Assert.That(row, Is.Not.Null, $"0x{addresses[i]:x}: addr2line says {expected}");
            string normalized = expected.StartsWith("./", StringComparison.Ordinal) ? expected[2..] : expected;
            int colon = normalized.LastIndexOf(':');
            // addr2line may append " (discriminator N)".
            string lineText = normalized[(colon + 1)..].Split(' ')[0];
            Assert.That($"{row!.Value.File}:{row.Value.Line}", Is.EqualTo($"{normalized[..colon]}:{int.Parse(lineText, CultureInfo.InvariantCulture)}"), $"0x{addresses[i]:x}");
            compared++;
        }
        Assert.That(compared, Is.GreaterThan(5));
    }

    [Test]
    public void AUnitTheLibraryCannotReadIsSkippedAndTheOthersStay()
    {
        // LibObjectFile 2.3.1 throws on a DWARF 5 line table ("Version .debug_line 5 not supported") for the whole
        // section; the table gives it one unit at a time, so only that unit is lost.
        var real = ElfSections.Find(File.ReadAllBytes(KernelSymbols.FindImage()), ".debug_line")!;
        int first = 4 + (int)BitConverter.ToUInt32(real, 0);
        Assert.That(first, Is.LessThan(real.Length), "the kernel has several units");
        var v5 = (byte[])real.Clone();
        v5[4] = 5; v5[5] = 0;
        var rest = DwarfLineTable.Parse(real[first..]).Rows;
        Assert.That(rest, Is.Not.Empty);
        Assert.That(DwarfLineTable.Parse(v5).Rows, Is.EqualTo(rest));
        Assert.That(DwarfLineTable.Parse(real).Rows.Count, Is.GreaterThan(rest.Count), "the first unit read when it is DWARF 4");
    }

    [Test]
    public void MalformedDebugLineNeverThrows()
    {
        // Truncations and byte flips of the real section: the reader keeps what it could read and never throws.
        var real = ElfSections.Find(File.ReadAllBytes(KernelSymbols.FindImage()), ".debug_line")!;
        var rng = new Random(1234);
        for (int i = 0; i < 200; i++)
        {
            var b = real[..rng.Next(real.Length)];
            for (int k = 0; k < 4 && b.Length > 0; k++) b[rng.Next(b.Length)] = (byte)rng.Next(256);
            Assert.DoesNotThrow(() => DwarfLineTable.Parse(b).Lookup(0x40081480));
        }
    }
}
