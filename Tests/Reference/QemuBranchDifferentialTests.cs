using Aegis.Emulator.Cpu.Decoding;
using Aegis.Tests.Support;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;

namespace Aegis.Tests.Reference;

/// <summary>
/// Differential test of the immediate branches against QEMU 7.2 user mode, with the harness of
/// <see cref="QemuUserDifferential"/>: each block is a random B.cond / CBZ / CBNZ / TBZ / TBNZ / B / BL
/// (condition, register, bit number random) whose target is 8 bytes on, over an "ADD Xk, Xk, #1" on a register
/// the branch does not read: whether the branch was taken shows in Xk (and BL's link in X30), from random
/// flags and register values. Every one of the 16 conditions is drawn.
/// </summary>
[TestFixture]
public class QemuBranchDifferentialTests
{
    public const int Seed = 0xB4A;
    public const int Blocks = 3000;

    [Test]
    public void RandomBranchesDecideAsQemu()
    {
        ReferenceTools.Require(ReferenceTools.QemuUser);
        using var cs = new CapstoneA64();
        var rng = new Random(Seed);
        string[] names = ["B.cond", "CBZ", "CBNZ", "TBZ", "TBNZ", "B", "BL"];
        var rows = A64Table.Rows.Where(r => names.Contains(r.Name)).ToArray();
        Assert.That(rows.Select(r => r.Name).Distinct().Count(), Is.EqualTo(names.Length), "a branch row is missing from the decode table");
        var exercised = new SortedDictionary<string, int>();
        var blocks = new List<(uint[] Code, ulong[] Pool)>();
        while (blocks.Count < Blocks)
        {
            // Half the draws are B.cond, so that each of the 16 conditions meets many flag values.
            var row = rng.Next(2) == 0 ? rows.First(r => r.Name == "B.cond") : rows[rng.Next(rows.Length)];
            uint w = QemuUserDifferential.RandomWord(row, rng);
            // Offset of +8 (two instructions): imm26 (B, BL), imm19 at [23:5] (B.cond, CB*), imm14 at [18:5] (TB*).
            w = row.Name switch
            {
                "B" or "BL" => (w & 0xFC00_0000) | 2,
                "TBZ" or "TBNZ" => (w & ~(0x3FFFu << 5)) | 2u << 5,
                _ => (w & ~(0x7FFFFu << 5)) | 2u << 5,
            };
            if (!ReferenceEquals(Decoder.RowOf(w), row) || !cs.TryDecode(w)) continue;
            var pool = new ulong[33];
            pool[0] = (ulong)rng.Next(16) << 28;
            pool[1] = (ulong)rng.NextInt64();
            for (int i = 2; i < pool.Length; i++)
                pool[i] = rng.Next(4) == 0 ? 0 : rng.Next(4) == 0 ? (ulong)rng.Next(-2, 3) : (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63);
            int tested = (int)(w & 31);
            int k = Enumerable.Range(0, 30).Where(r => r != tested).ElementAt(rng.Next(29));
            uint addK = 0x9100_0400u | (uint)k << 5 | (uint)k;       // ADD Xk, Xk, #1
            string key = row.Name == "B.cond" ? cs.Mnemonic : row.Name;
            exercised[key] = exercised.GetValueOrDefault(key) + 1;
            blocks.Add(([w, addK], pool));
        }
        var qemu = QemuUserDifferential.RunAndCompare(cs, blocks, "the branch");
        int taken = 0;
        for (int b = 0; b < blocks.Count; b++)
        {
            int k = (int)((blocks[b].Code[1] >> 5) & 31);
            if (qemu[b].X[k] == blocks[b].Pool[2 + k]) taken++;
        }
        TestContext.Out.WriteLine($"seed 0x{Seed:X}: {Blocks} random branches decide as QEMU ({taken} taken, {Blocks - taken} not taken)");
        TestContext.Out.WriteLine("  " + string.Join(", ", exercised.Select(r => $"{r.Key} x{r.Value}")));
        Assert.That(exercised.Keys.Count(x => x.StartsWith("b.", StringComparison.Ordinal)), Is.EqualTo(16), "all 16 conditions drawn (Capstone prints hs/lo for cs/cc)");
        Assert.That(taken, Is.InRange(Blocks / 5, Blocks * 4 / 5), "both outcomes must be well represented");
    }
}
