using System.Text;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Reference;

/// <summary>
/// The decode table against Capstone 4 (Gee.External.Capstone 2.3.0) over a million seeded random words:
/// within the integer classes the emulator executes, every word Capstone decodes is accepted by our decoder as
/// the same instruction, and every word we accept Capstone decodes. Where Capstone 4 departs from Armv8.0-A,
/// the word is covered by an explicit entry of <see cref="Divergences"/>, each checked against llvm-mc-14.
/// </summary>
[TestFixture]
public class DecoderVsCapstoneTests
{
    public const int Seed = 0x5EED_A64;
    public const int Words = 1_000_000;

    public enum Kind
    {
        /// <summary>Capstone decodes it; Armv8.0-A (llvm-mc-14 -mattr=+v8a,+crc) does not: UNDEFINED on an A53.</summary>
        CapstoneOnly,
        /// <summary>Armv8.0-A allocates it (llvm-mc-14 decodes it); Capstone 4 does not.</summary>
        OursOnly,
    }

    public sealed record Divergence(uint Mask, uint Value, Kind Kind, string Reason)
    {
        public bool Matches(uint w) => (w & Mask) == Value;
    }

    /// <summary>
    /// Where Capstone 4 and the Armv8.0-A encoding tables disagree. Every entry is verified by the test:
    /// the first words that hit it are disassembled by llvm-mc-14 with Armv8.0 features, which must reject
    /// (CapstoneOnly) or accept (OursOnly) them.
    /// </summary>
    public static readonly Divergence[] Divergences =
    [
        // Armv8.1 LSE (FEAT_LSE): CAS/CASP (load/store exclusive space, o2:L:o1 = 1x1 / 0x1 with Rt2 = 11111)
        // and the atomic memory operations LDADD..LDUMIN/SWP (load/store register space, bit 21 = 1, bits [11:10] = 00).
        new(0x3FA0_7C00, 0x08A0_7C00, Kind.CapstoneOnly, "CAS/CASA/CASL/CASAL (FEAT_LSE, Armv8.1)"),
        new(0xBFA0_7C00, 0x0820_7C00, Kind.CapstoneOnly, "CASP/CASPA/CASPL/CASPAL (FEAT_LSE, Armv8.1)"),
        new(0x3F20_0C00, 0x3820_0000, Kind.CapstoneOnly, "LDADD/LDCLR/LDEOR/LDSET/LD{S,U}{MAX,MIN}/SWP (FEAT_LSE, Armv8.1)"),
        // Armv8.1 LOR (FEAT_LOR): LDLAR/STLLR = LDAR/STLR encodings with o0 (bit 15) = 0.
        new(0x3FBF_FC00, 0x089F_7C00, Kind.CapstoneOnly, "STLLR/LDLAR (FEAT_LOR, Armv8.1)"),
    ];

    [Test]
    public void EveryCapstoneDecodedIntegerWordIsOurSameInstructionAndViceVersa()
    {
        ReferenceTools.Require(ReferenceTools.LlvmMc);
        var version = CapstoneA64.Version;
        Assert.That(version.Major, Is.EqualTo(4), "the reference is Capstone 4 (Gee.External.Capstone 2.3.0)");

        using var cs = new CapstoneA64();
        var rng = new Random(Seed);
        long tried = 0, excludedSimd = 0, excludedRow = 0, bothUndefined = 0, compared = 0, agreed = 0;
        var hits = new int[Divergences.Length];
        var samples = Divergences.Select(_ => new List<uint>()).ToArray();
        var failures = new List<(uint Word, string Problem)>();

        for (int n = 0; n < Words; n++)
        {
            uint w = (uint)rng.NextInt64(0, 1L << 32);
            tried++;
            var row = Decoder.RowOf(w);
            bool ours = !ReferenceEquals(row, Decoder.Undefined);
            if (A64Classes.IsSimdFpOrSve(w)) { excludedSimd++; continue; }
            if (ours && A64Classes.IsNotExecutedRow(row)) { excludedRow++; continue; }

            bool theirs = cs.TryDecode(w);
            if (!ours && !theirs) { bothUndefined++; continue; }
            if (ours && theirs)
            {
                compared++;
                string mnemonic = cs.Mnemonic;
                if (MnemonicAliases.Agree(row.Name, mnemonic, w)) agreed++;
                else failures.Add((w, $"ours '{row.Name}', Capstone '{cs.Disassemble(w)}'"));
                continue;
            }
            var kind = theirs ? Kind.CapstoneOnly : Kind.OursOnly;
            int d = Array.FindIndex(Divergences, x => x.Kind == kind && x.Matches(w));
            if (d >= 0)
            {
                hits[d]++;
                if (samples[d].Count < 8) samples[d].Add(w);
                continue;
            }
            failures.Add((w, theirs
                ? $"Capstone decodes '{cs.Disassemble(w)}', ours UNDEFINED"
                : $"ours '{row.Name}', Capstone does not decode it"));
        }

        // Every divergence entry must be what it claims: llvm-mc-14 with Armv8.0 features is the judge.
        var verify = samples.SelectMany(s => s).ToList();
        var llvm = verify.Count > 0 ? LlvmDisassembler.Decodes(verify) : [];
        int k = 0;
        var wrongEntries = new List<string>();
        for (int d = 0; d < Divergences.Length; d++)
            foreach (uint w in samples[d])
            {
                bool llvmDecodes = llvm[k++];
                bool expected = Divergences[d].Kind == Kind.OursOnly;
                if (llvmDecodes != expected)
                    wrongEntries.Add($"0x{w:X8} ({cs.Disassemble(w)}) hits '{Divergences[d].Reason}' but llvm-mc-14 {(llvmDecodes ? "decodes" : "rejects")} it");
            }

        var o = TestContext.Out;
        o.WriteLine($"Capstone {version.Major}.{version.Minor}, seed 0x{Seed:X}: {tried} words tried");
        o.WriteLine($"  excluded: {excludedSimd} in SIMD&FP/SVE encoding space, {excludedRow} on not-executed (FP-trap) rows");
        o.WriteLine($"  both UNDEFINED: {bothUndefined}; compared (both decode): {compared}; agreed: {agreed}");
        for (int d = 0; d < Divergences.Length; d++)
            o.WriteLine($"  divergence '{Divergences[d].Reason}' ({Divergences[d].Kind}): {hits[d]} words, {samples[d].Count} verified by llvm-mc");
        o.WriteLine($"  unexplained: {failures.Count}");

        Assert.That(wrongEntries, Is.Empty, "divergence entries contradicted by llvm-mc-14");
        Assert.That(compared, Is.GreaterThan(50_000), "too few integer words decoded by both to mean anything");
        if (failures.Count > 0)
        {
            // Tell the reader who is right: llvm-mc-14 with Armv8.0 features on the first mismatches.
            var shown = failures.Take(60).ToList();
            var verdict = LlvmDisassembler.Decodes(shown.Select(f => f.Word).ToList());
            var sb = new StringBuilder($"{failures.Count} words where the decoder and Capstone disagree:\n");
            for (int i = 0; i < shown.Count; i++)
                sb.AppendLine($"  0x{shown[i].Word:X8}: {shown[i].Problem}; llvm-mc-14 (+v8a,+crc) {(verdict[i] ? "decodes" : "rejects")} it");
            Assert.Fail(sb.ToString());
        }
    }

    [Test]
    public void AliasTableMatchesKnownEncodings()
    {
        // Spot checks of the name matcher itself, on encodings from llvm-mc-14 (the words of these lines).
        using var cs = new CapstoneA64();
        var words = Llvm.Assemble("mov x0, x1", "cmp x2, #4", "lsl w3, w4, #3", "cset x5, eq", "mul x6, x7, x8", "b.ne 0x0");
        string[] rows = ["ORR (shifted register)", "SUBS (immediate)", "UBFM", "CSINC", "MADD", "B.cond"];
        for (int i = 0; i < words.Length; i++)
        {
            Assert.That(cs.TryDecode(words[i]), Is.True);
            Assert.That(MnemonicAliases.Agree(rows[i], cs.Mnemonic, words[i]), Is.True, $"{rows[i]} vs {cs.Mnemonic}");
        }
        Assert.That(MnemonicAliases.Agree("ADD (immediate)", "sub", 0), Is.False);
        Assert.That(MnemonicAliases.RowMnemonics("CRC32B, CRC32H, CRC32W, CRC32X"), Is.EqualTo(new[] { "crc32b", "crc32h", "crc32w", "crc32x" }));
    }
}
