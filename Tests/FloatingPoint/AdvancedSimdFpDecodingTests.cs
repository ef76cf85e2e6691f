using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Instructions;
using Aegis.Tests.Reference;
using Aegis.Tests.Support;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;

namespace Aegis.Tests.FloatingPoint;

/// <summary>
/// The Advanced SIMD floating-point rows against llvm-mc-14 (Armv8.0 features) and Capstone over random words of
/// the Advanced SIMD data-processing space, and the FP/SIMD access trap for a random encoding of every row.
/// </summary>
public class AdvancedSimdFpDecodingTests
{
    /// <summary>FP instructions of these groups that are not executed yet and stay on the groups' trap rows: none.</summary>
    private static readonly HashSet<string> NotYet = [];

    private static string Mnemonic(string rowName) => rowName.Split(' ', ',')[0].ToLowerInvariant();

    [Test]
    public void RandomAdvancedSimdWordsDecodeToOurFpRowsExactlyWhenTheReferencesSayFp()
    {
        ReferenceTools.Require(ReferenceTools.LlvmMc);
        using var cs = new CapstoneA64();
        var rng = new Random(0xA5FD);
        var names = AdvancedSimdFp.Rows.Select(r => r.Name).ToHashSet();
        // Advanced SIMD vector (0 Q U 0111x) and scalar (01 U 1111x) data processing; half of the words get bit 21
        // and bits 15:14 set, so that the FP opcodes of three same and two-register misc come up often.
        uint[] prefixes = [0x0E00_0000, 0x0F00_0000, 0x5E00_0000, 0x5F00_0000];
        var words = Enumerable.Range(0, 40_000).Select(_ =>
        {
            uint p = prefixes[rng.Next(prefixes.Length)];
            uint w = ((uint)rng.NextInt64(0, 1L << 32) & 0x60FF_FFFFu) | p;
            if ((p & 0x4000_0000) != 0) w |= 0x4000_0000; else w &= ~0x8000_0000u;
            if (rng.Next(2) == 0) w |= 0x0020_C000;   // bit 21 and opcode<4:3> set: the FP opcodes of three same and two-register misc
            return w;
        }).ToArray();
        var llvm = LlvmDisassembler.Decodes(words);
        var failures = new List<string>();
        int ours = 0, theirs = 0;
        for (int i = 0; i < words.Length; i++)
        {
            uint w = words[i];
            var row = Decoder.RowOf(w);
            bool isOurs = names.Contains(row.Name);
            bool csDecodes = cs.TryDecode(w, out string mnemonic, out _);
            string m = mnemonic.TrimEnd('2');
            bool fpMnemonic = csDecodes && llvm[i] && (m.StartsWith('f') || m is "scvtf" or "ucvtf") && !NotYet.Contains(m);
            if (isOurs)
            {
                ours++;
                if (!llvm[i]) failures.Add($"0x{w:X8}: ours {row.Name}, llvm-mc invalid");
                else if (csDecodes && m != Mnemonic(row.Name)) failures.Add($"0x{w:X8}: ours {row.Name}, Capstone {mnemonic}");
            }
            else if (fpMnemonic)
            {
                theirs++;
                failures.Add($"0x{w:X8}: Capstone {mnemonic} {cs.Disassemble(w)}, ours {row.Name}");
            }
        }
        TestContext.Out.WriteLine($"{words.Length} words, {ours} decoded to Advanced SIMD FP rows");
        Assert.That(failures.Take(20), Is.Empty);
        Assert.That(ours, Is.GreaterThan(2000));
    }

    [Test]
    public void RowNamesTellTheScalarFpAndAdvancedSimdFormsApart()
    {
        // The only repeated name is one Arm ARM page with two encodings (single/double FMOV (vector, immediate)).
        var names = AdvancedSimdFp.Rows.Concat(Aegis.Emulator.Cpu.Instructions.FloatingPoint.Rows).Select(r => r.Name).ToList();
        Assert.That(names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key), Is.EqualTo(new[] { "FMOV (vector, immediate)" }));
    }

    [Test]
    public void EveryFpRowTrapsWithEc07WhenCpacrFpenIs00()
    {
        var rng = new Random(0x7);
        var rows = AdvancedSimdFp.Rows.Concat(Aegis.Emulator.Cpu.Instructions.FloatingPoint.Rows).ToArray();
        Assert.Multiple(() =>
        {
            foreach (var row in rows)
            {
                uint w;
                do w = QemuUserDifferential.RandomWord(row, rng); while (Decoder.RowOf(w).Name != row.Name);
                var h = new CpuHarness([w]);
                h.Cpu.Vreg[0] = 0x1234;
                h.Cpu.Run(1);
                Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x1FE0_0000UL), $"{row.Name} 0x{w:X8}");
                Assert.That((h.Cpu.Vreg[0], h.Cpu.Sys.FPSR), Is.EqualTo((0x1234UL, 0UL)), $"{row.Name} 0x{w:X8}: nothing written");
            }
        });
    }
}
