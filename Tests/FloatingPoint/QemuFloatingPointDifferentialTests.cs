using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Devices;
using Aegis.Tests.Reference;
using Aegis.Tests.Support;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;
using static Aegis.Tests.FloatingPoint.FpDifferential;
using FpInstructions = Aegis.Emulator.Cpu.Instructions.FloatingPoint;

namespace Aegis.Tests.FloatingPoint;

/// <summary>
/// Scalar floating-point against QEMU 7.2 user mode (-cpu cortex-a53) with the register-level harness
/// (<see cref="QemuUserDifferential"/>), which compares X0-X30, SP and NZCV at the end of every block. Each block
/// holds two cases; a case sets FPCR (random RMode, FZ, DN, AHP) and clears FPSR, moves seeded operands into
/// Vb+1..Vb+3 and a random old value into Vb+9 (both halves), runs one random encoding of a scalar FP row
/// (Rd = b+9, Rn = b+1, Rm = b+2, Ra = b+3 where the row has those fields) and moves the result's two halves,
/// FPSR and NZCV out to X registers.
/// </summary>
[TestFixture]
public class QemuFloatingPointDifferentialTests
{
    public const int Seed = 0xF10A7;
    public const int Processes = 12;
    public const int BlocksPerProcess = 1000;
    private const int CasesPerBlock = 2;

    [Test]
    public void HarnessEncodingsAreWhatLlvmAssembles()
    {
        ReferenceTools.Require(ReferenceTools.LlvmMc);
        var words = Llvm.Assemble("fmov d9, x4", "fmov v9.d[1], x5", "fmov x6, d9", "fmov x7, v9.d[1]",
            "msr fpcr, x0", "msr fpsr, xzr", "mrs x8, fpsr", "mrs x10, nzcv");
        Assert.That(words, Is.EqualTo(new[] { FmovDX(9, 4), FmovVUpperX(9, 5), FmovXD(6, 9), FmovXVUpper(7, 9),
            MsrFpcr(0), MsrFpsr(31), MrsFpsr(8), MrsNzcv(10) }));
    }

    [Test]
    public void RandomScalarFloatingPointMatchesQemuRegisterForRegister()
    {
        ReferenceTools.Require(ReferenceTools.QemuUser);
        using var cs = new CapstoneA64();
        var rng = new Random(Seed);
        var gen = new Generator(rng, cs);
        int cases = 0;
        for (int p = 0; p < Processes; p++)
        {
            var blocks = Enumerable.Range(0, BlocksPerProcess).Select(_ => gen.NextBlock()).ToArray();
            FpDifferential.RunAndCompare(cs, blocks, $"process {p}: ");
            cases += blocks.Length * CasesPerBlock;
        }
        TestContext.Out.WriteLine($"seed 0x{Seed:X}: {cases} scalar FP cases agree with QEMU ({gen.Tried} random words drawn)");
        TestContext.Out.WriteLine($"  {gen.Rows.Count} rows: " + string.Join(", ", gen.Rows.Select(r => $"{r.Key} x{r.Value}")));
        Assert.That(gen.Rows.Keys, Is.EquivalentTo(FpInstructions.Rows.Select(r => r.Name).Distinct()), "every scalar FP row was exercised");
    }

    private sealed class Generator(Random rng, CapstoneA64 cs)
    {
        public long Tried;
        public readonly SortedDictionary<string, int> Rows = [];
        private readonly EncodingRow[] _rows = FpInstructions.Rows;
        private readonly FpValues _values = new(rng);

        private (uint Word, EncodingRow Row) NextInstruction(int b)
        {
            for (int attempt = 0; ; attempt++)
            {
                if (attempt > 1_000_000) Assert.Fail("no valid scalar FP encoding found in a million draws");
                Tried++;
                var row = _rows[rng.Next(_rows.Length)];
                uint w = QemuUserDifferential.RandomWord(row, rng);
                if ((row.Mask & 0x1Fu) == 0) w = (w & ~0x1Fu) | (uint)(b + 9);
                if ((row.Mask & (0x1Fu << 5)) == 0) w = (w & ~(0x1Fu << 5)) | (uint)(b + 1) << 5;
                if ((row.Mask & (0x1Fu << 16)) == 0) w = (w & ~(0x1Fu << 16)) | (uint)(b + 2) << 16;
                if ((w & 0xFF00_0000u) == 0x1F00_0000u) w = (w & ~(0x1Fu << 10)) | (uint)(b + 3) << 10;
                if (Decoder.RowOf(w).Name != row.Name) continue;   // Rows builds new row objects: compare names
                if (!cs.TryDecode(w)) continue;
                Rows[row.Name] = Rows.GetValueOrDefault(row.Name) + 1;
                return (w, row);
            }
        }

        /// <summary>The width of the FP operands of <paramref name="w"/>: ptype, with the D[1] form of FMOV (ptype 10) as 64.</summary>
        private static int Width(uint w) => ((w >> 22) & 3) switch { 0 => 32, 3 => 16, _ => 64 };

        public (uint[] Code, ulong[] Pool) NextBlock()
        {
            var code = new List<uint>();
            var pool = new ulong[33];
            pool[0] = (ulong)rng.Next(16) << 28;
            pool[1] = 0x4060_0000;
            for (int r = 0; r < 31; r++) pool[2 + r] = (ulong)rng.NextInt64();
            for (int c = 0; c < CasesPerBlock; c++)
            {
                int b = 11 * c;
                var (w, row) = NextInstruction(b);
                int n = Width(w);
                // SCVTF/UCVTF and FMOV to a SIMD&FP register read a general register: give it integers too.
                bool generalSource = row.Name.Contains("CVTF") || (row.Name == "FMOV (general)" && (w & (1u << 16)) != 0);
                pool[2 + b] = _values.Fpcr();
                for (int k = 1; k <= 3; k++) pool[2 + b + k] = generalSource && k == 1 && rng.Next(3) != 0 ? _values.Integer() : _values.FpInRegister(n);
                code.AddRange([MsrFpcr(b), MsrFpsr(31), FmovDX(b + 1, b + 1), FmovVUpperX(b + 1, b + 5), FmovDX(b + 2, b + 2),
                    FmovDX(b + 3, b + 3), FmovDX(b + 9, b + 4), FmovVUpperX(b + 9, b + 5), w,
                    FmovXD(b + 6, b + 9), FmovXVUpper(b + 7, b + 9), MrsFpsr(b + 8), MrsNzcv(b + 10)]);
            }
            return (code.ToArray(), pool);
        }
    }
}
