using Aegis.Emulator.Cpu.Decoding;
using Aegis.Tests.Reference;
using Aegis.Tests.Support;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;

namespace Aegis.Tests.Simd;

/// <summary>
/// The executed SIMD rows (integer Advanced SIMD, crypto, SIMD&amp;FP loads and stores) against Capstone: random words of
/// each row that decode to it must be words Capstone decodes, with a mnemonic the row's name allows (so no row
/// claims an unallocated or reserved encoding, and none claims another instruction's).
/// </summary>
public class SimdDecoderVsCapstoneTests
{
    [Test]
    public void EveryExecutedSimdRowAgreesWithCapstone()
    {
        using var cs = new CapstoneA64();
        var rng = new Random(0x5D0C);
        var rows = A64Table.Rows.Where(r => A64Classes.IsSimdFpOrSve(r.Value) && !A64Classes.IsNotExecutedRow(r)).ToArray();
        Assert.That(rows.Length, Is.GreaterThan(200));
        var failures = new List<string>();
        var capstoneGaps = new List<(uint Word, string Row)>();
        int compared = 0;
        foreach (var row in rows)
        {
            for (int k = 0; k < 300; k++)
            {
                uint w = QemuUserDifferential.RandomWord(row, rng);
                if (!ReferenceEquals(Decoder.RowOf(w), row)) continue;
                // LDP/LDNP with Rt == Rt2 is CONSTRAINED UNPREDICTABLE; Capstone rejects it, we execute it (the later register wins).
                if ((w & 0x3A40_0000) == 0x2840_0000 && (w & 31) == ((w >> 10) & 31)) continue;
                compared++;
                if (!cs.TryDecode(w, out string mnemonic, out _)) { capstoneGaps.Add((w, row.Name)); continue; }
                // The "2" forms (Q = 1, upper halves) are the same instruction: XTN2 is XTN.
                bool agree = MnemonicAliases.Agree(row.Name, mnemonic, w) || (mnemonic.EndsWith('2') && MnemonicAliases.Agree(row.Name, mnemonic[..^1], w));
                if (!agree) failures.Add($"0x{w:X8} [{row.Name}]: Capstone '{cs.Disassemble(w)}'");
            }
        }
        // Capstone 4 leaves out some valid encodings (DUP/INS with don't-care imm5/imm4 bits set): llvm-mc-14 judges those.
        var verdicts = LlvmDisassembler.Judge(capstoneGaps.Select(g => g.Word).ToArray());
        for (int k = 0; k < capstoneGaps.Count; k++)
            if (verdicts[k] == LlvmDisassembler.Verdict.Invalid)
                failures.Add($"0x{capstoneGaps[k].Word:X8} [{capstoneGaps[k].Row}]: neither Capstone nor llvm-mc decodes it");
        TestContext.Out.WriteLine($"{rows.Length} rows, {compared} words compared ({capstoneGaps.Count} only by llvm-mc)");
        foreach (var g in failures.GroupBy(f => f[(f.IndexOf('[') + 1)..f.IndexOf(']')]))
            TestContext.Out.WriteLine($"{g.Key}: {g.Count()}, e.g. {g.First()}");
        Assert.That(failures.Take(30), Is.Empty, $"{failures.Count} disagreements");
    }
}
