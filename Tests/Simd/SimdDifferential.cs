using Aegis.Emulator.Cpu.Decoding;
using Aegis.Tests.Reference;
using Aegis.Tests.Support;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;

namespace Aegis.Tests.Simd;

/// <summary>
/// SIMD blocks for the register-level QEMU 7.2 harness (<see cref="QemuUserDifferential"/>), which compares X0-X30,
/// SP and NZCV: each block clears FPSR, moves X0-X15 of its random pool into V0-V7 (INS Vv.D[0], X2v and
/// INS Vv.D[1], X2v+1), runs the instruction under test, copies the general registers it writes to X17.., then
/// moves V0-V7 back to X0-X15 (UMOV) and FPSR to X16, so vector results and FPSR.QC are compared as X registers.
/// The random words name V0-V7 only (see the constrain functions of the tests).
/// </summary>
internal static class SimdDifferential
{
    internal const uint MsrFpsrXzr = 0xD51B443F, MrsX16Fpsr = 0xD53B4430;

    internal static uint InsD(int v, int index, int x) => 0x4E081C00u | (uint)index << 20 | (uint)x << 5 | (uint)v;
    internal static uint UmovD(int x, int v, int index) => 0x4E083C00u | (uint)index << 20 | (uint)v << 5 | (uint)x;
    internal static uint MovX(int d, int m) => 0xAA0003E0u | (uint)m << 16 | (uint)d;

    /// <summary>The block around <paramref name="body"/>; general registers written by its last word are saved to X17 upward.</summary>
    internal static uint[] Wrap(params uint[] body)
    {
        var code = new List<uint> { MsrFpsrXzr };
        for (int v = 0; v < 8; v++) { code.Add(InsD(v, 0, 2 * v)); code.Add(InsD(v, 1, 2 * v + 1)); }
        code.AddRange(body);
        var inst = new DecodedInst();
        Decoder.Decode(body[^1], ref inst);
        int save = 17;
        foreach (byte r in new[] { inst.Dst0, inst.Dst1, inst.Dst2 })
            if (r < 31) code.Add(MovX(save++, r));
        for (int v = 0; v < 8; v++) { code.Add(UmovD(2 * v, v, 0)); code.Add(UmovD(2 * v + 1, v, 1)); }
        code.Add(MrsX16Fpsr);
        return code.ToArray();
    }

    /// <summary>
    /// Runs <paramref name="count"/> random words of <paramref name="rows"/> (each made to decode to its row and to
    /// Capstone after <paramref name="constrain"/>) against QEMU, in processes of at most 700 blocks. Returns the rows exercised.
    /// </summary>
    internal static SortedDictionary<string, int> Run(IReadOnlyList<EncodingRow> rows, int count, int seed, Func<EncodingRow, uint, Random, uint> constrain,
        Func<Random, ulong[]>? pool = null)
    {
        ReferenceTools.Require(ReferenceTools.QemuUser);
        Assert.That(rows, Is.Not.Empty, "no rows");
        using var cs = new CapstoneA64();
        var rng = new Random(seed);
        var exercised = new SortedDictionary<string, int>();
        int done = 0, process = 0;
        while (done < count)
        {
            var blocks = new List<(uint[] Code, ulong[] Pool)>();
            while (blocks.Count < Math.Min(700, count - done))
            {
                var row = rows[rng.Next(rows.Count)];
                uint w = constrain(row, QemuUserDifferential.RandomWord(row, rng), rng);
                if (!ReferenceEquals(Decoder.RowOf(w), row) || !cs.TryDecode(w)) continue;
                exercised[row.Name] = exercised.GetValueOrDefault(row.Name) + 1;
                blocks.Add((Wrap(w), pool?.Invoke(rng) ?? RandomPool(rng)));
            }
            QemuUserDifferential.RunAndCompare(cs, blocks, "the SIMD instruction", $"process {process++}: ");
            done += blocks.Count;
        }
        TestContext.Out.WriteLine($"seed 0x{seed:X}: {done} random blocks agree with QEMU; rows: " + string.Join(", ", exercised.Select(r => $"{r.Key} x{r.Value}")));
        return exercised;
    }

    /// <summary>Random flags, an aligned SP and registers; lanes are often special (0, all ones, sign bits) so saturation is reached.</summary>
    internal static ulong[] RandomPool(Random rng)
    {
        var pool = QemuUserDifferential.RandomPool(rng);
        for (int i = 2; i < 2 + 16; i++)
        {
            switch (rng.Next(6))
            {
                case 0: pool[i] = 0; break;
                case 1: pool[i] = ulong.MaxValue; break;
                case 2: pool[i] = 0x8000_8000_8000_8000UL * (ulong)rng.Next(2) + 0x7F7F_0080_7FFF_8000UL; break;
                case 3: pool[i] = (ulong)rng.NextInt64() & 0x0101_0303_0707_1F1FUL; break; // small lanes (shift counts, indices)
            }
        }
        return pool;
    }

    /// <summary>Rd in V0-V7 (bits 4:3 cleared) and, when <paramref name="rn"/>, Rn too; when <paramref name="rm"/>, Rm (bits 20:19).</summary>
    internal static uint Registers(uint w, bool rn = true, bool rm = true)
    {
        w &= ~0x18u;
        if (rn) w &= ~(0x18u << 5);
        if (rm) w &= ~(0x18u << 16);
        return w;
    }
}
