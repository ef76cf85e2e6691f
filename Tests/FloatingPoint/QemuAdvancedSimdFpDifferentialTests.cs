using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Instructions;
using Aegis.Tests.Reference;
using Aegis.Tests.Support;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;
using static Aegis.Tests.FloatingPoint.FpDifferential;

namespace Aegis.Tests.FloatingPoint;

/// <summary>
/// The floating-point instructions of Advanced SIMD against QEMU 7.2 user mode, as
/// <see cref="QemuFloatingPointDifferentialTests"/> but with whole 128-bit operands: a case loads both halves of
/// Vb+1..Vb+3 and of the destination Vb+13 (which FMLA/FMLS accumulate into and FCVTN2 keeps half of), runs one
/// random encoding of an <see cref="AdvancedSimdFp"/> row and moves both halves of Vb+13, FPSR and NZCV out.
/// </summary>
[TestFixture]
public class QemuAdvancedSimdFpDifferentialTests
{
    public const int Seed = 0xAD5F;
    public const int Processes = 8;
    public const int BlocksPerProcess = 1000;
    private const int CasesPerBlock = 2;

    [Test]
    public void RandomAdvancedSimdFpMatchesQemuRegisterForRegister()
    {
        ReferenceTools.Require(ReferenceTools.QemuUser);
        using var cs = new CapstoneA64();
        var rng = new Random(Seed);
        var gen = new Generator(rng, cs);
        int cases = 0;
        for (int p = 0; p < Processes; p++)
        {
            var blocks = Enumerable.Range(0, BlocksPerProcess).Select(_ => gen.NextBlock()).ToArray();
            RunAndCompare(cs, blocks, $"process {p}: ");
            cases += blocks.Length * CasesPerBlock;
        }
        TestContext.Out.WriteLine($"seed 0x{Seed:X}: {cases} Advanced SIMD FP cases agree with QEMU ({gen.Tried} random words drawn)");
        TestContext.Out.WriteLine($"  {gen.Rows.Count} rows: " + string.Join(", ", gen.Rows.Select(r => $"{r.Key} x{r.Value}")));
        Assert.That(gen.Rows.Keys, Is.EquivalentTo(AdvancedSimdFp.Rows.Select(r => r.Name).Distinct()), "every Advanced SIMD FP row was exercised");
    }

    private sealed class Generator(Random rng, CapstoneA64 cs)
    {
        public long Tried;
        public readonly SortedDictionary<string, int> Rows = [];
        private readonly EncodingRow[] _rows = AdvancedSimdFp.Rows;
        private readonly FpValues _values = new(rng);

        private (uint Word, EncodingRow Row) NextInstruction(int b)
        {
            for (int attempt = 0; ; attempt++)
            {
                if (attempt > 1_000_000) Assert.Fail("no valid Advanced SIMD FP encoding found in a million draws");
                Tried++;
                var row = _rows[rng.Next(_rows.Length)];
                uint w = QemuUserDifferential.RandomWord(row, rng);
                if ((row.Mask & 0x1Fu) == 0) w = (w & ~0x1Fu) | (uint)(b + 13);
                if ((row.Mask & (0x1Fu << 5)) == 0 && !row.Name.StartsWith("FMOV")) w = (w & ~(0x1Fu << 5)) | (uint)(b + 1) << 5;
                if ((row.Mask & (0xFu << 16)) == 0) w = (w & ~(0xFu << 16)) | (uint)((b + 2) & 0xF) << 16;   // M (bit 20) stays random in by-element rows
                if (Decoder.RowOf(w).Name != row.Name) continue;
                if (!cs.TryDecode(w)) continue;
                Rows[row.Name] = Rows.GetValueOrDefault(row.Name) + 1;
                return (w, row);
            }
        }

        /// <summary>A 64-bit half of an operand packed with FP values of the source element width.</summary>
        private ulong Half(int width)
        {
            if (width == 64) return _values.Fp(64);
            ulong v = 0;
            for (int k = 0; k < 64 / width; k++) v |= _values.Fp(width) << (k * width);
            return v;
        }

        public (uint[] Code, ulong[] Pool) NextBlock()
        {
            var code = new List<uint>();
            var pool = new ulong[33];
            pool[0] = (ulong)rng.Next(16) << 28;
            pool[1] = 0x4060_0000;
            for (int r = 0; r < 31; r++) pool[2 + r] = (ulong)rng.NextInt64();
            for (int c = 0; c < CasesPerBlock; c++)
            {
                int b = 14 * c;
                var (w, row) = NextInstruction(b);
                bool sz = (w & (1u << 22)) != 0;
                int width = row.Name.StartsWith("FCVTL") ? (sz ? 32 : 16) : row.Name.StartsWith("FCVTN") || row.Name.StartsWith("FCVTXN") ? (sz ? 64 : 32) : (sz ? 64 : 32);
                bool integers = row.Name.StartsWith("SCVTF") || row.Name.StartsWith("UCVTF");
                pool[2 + b] = _values.Fpcr();
                for (int k = 1; k <= 8; k++) pool[2 + b + k] = integers && rng.Next(2) == 0 ? _values.Integer() : Half(width);
                code.AddRange([MsrFpcr(b), MsrFpsr(31),
                    FmovDX(b + 1, b + 1), FmovVUpperX(b + 1, b + 2), FmovDX(b + 2, b + 3), FmovVUpperX(b + 2, b + 4),
                    FmovDX(b + 3, b + 5), FmovVUpperX(b + 3, b + 6), FmovDX(b + 13, b + 7), FmovVUpperX(b + 13, b + 8), w,
                    FmovXD(b + 9, b + 13), FmovXVUpper(b + 10, b + 13), MrsFpsr(b + 11), MrsNzcv(b + 12)]);
            }
            return (code.ToArray(), pool);
        }
    }
}
