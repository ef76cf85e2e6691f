using Aegis.Emulator.Cpu.Decoding;
using Aegis.Tests.Support;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;

namespace Aegis.Tests.Reference;

/// <summary>
/// Register-level differential test against QEMU 7.2 user mode (-cpu cortex-a53): seeded random blocks of
/// integer data-processing instructions, each started from seeded register values and flags, run under
/// <c>qemu-aarch64 -singlestep -d cpu,nochain</c> and on Aegis.Emu from the same ELF at the same addresses
/// (<see cref="QemuUserDifferential"/>); after every block all of X0-X30, SP and NZCV must agree.
/// </summary>
[TestFixture]
public class QemuIntegerDifferentialTests
{
    public const int Seed = 0xD1FF;
    public const int Processes = 6;
    public const int BlocksPerProcess = 1000;

    [Test]
    public void RandomIntegerBlocksMatchQemuRegisterForRegister()
    {
        ReferenceTools.Require(ReferenceTools.QemuUser);
        using var cs = new CapstoneA64();
        var rng = new Random(Seed);
        var candidates = new Generator(rng, cs);
        int blocksRun = 0;
        long instructions = 0;
        for (int p = 0; p < Processes; p++)
        {
            var blocks = Enumerable.Range(0, BlocksPerProcess).Select(_ => candidates.NextBlock()).ToArray();
            QemuUserDifferential.RunAndCompare(cs, blocks, "the block", $"process {p}: ");
            blocksRun += blocks.Length;
            instructions += blocks.Sum(b => b.Code.Length);
        }
        TestContext.Out.WriteLine($"seed 0x{Seed:X}: {blocksRun} blocks ({instructions} random integer instructions, {candidates.Tried} random words drawn) agree with QEMU on X0-X30, SP and NZCV");
        TestContext.Out.WriteLine($"  {candidates.Rows.Count} decode-table rows exercised: " + string.Join(", ", candidates.Rows.Select(r => $"{r.Key} x{r.Value}")));
        Assert.That(blocksRun, Is.EqualTo(Processes * BlocksPerProcess));
    }

    /// <summary>Random instructions of the Data Processing -- Immediate / Register classes that our decoder and Capstone both decode.</summary>
    private sealed class Generator(Random rng, CapstoneA64 cs)
    {
        public long Tried;
        public readonly SortedDictionary<string, int> Rows = [];

        /// <summary>The decode-table rows of the two integer data-processing classes (Arm ARM C4.1, op0 = 100x and x101).</summary>
        private readonly EncodingRow[] _rows = A64Table.Rows
            .Where(r => (A64Classes.IsDataProcessingImmediate(r.Value) || A64Classes.IsDataProcessingRegister(r.Value)) && !A64Classes.IsNotExecutedRow(r))
            .ToArray();

        /// <summary>
        /// A valid encoding by construction: a row chosen uniformly (so CLZ is as likely as ADRP), its fixed bits,
        /// random field bits; kept when our decoder decodes it to that same row (reserved field values are
        /// rejected by the row's Prepare hook) and Capstone decodes it too.
        /// </summary>
        public uint NextInstruction()
        {
            if (_rows.Length == 0) Assert.Fail("the decode table has no data-processing rows: nothing to compare");
            for (int attempt = 0; ; attempt++)
            {
                if (attempt > 1_000_000) Assert.Fail("no valid data-processing encoding found in a million draws");
                Tried++;
                var row = _rows[rng.Next(_rows.Length)];
                uint w = QemuUserDifferential.RandomWord(row, rng);
                if (!ReferenceEquals(Decoder.RowOf(w), row)) continue;
                if (!cs.TryDecode(w)) continue;
                Rows[row.Name] = Rows.GetValueOrDefault(row.Name) + 1;
                return w;
            }
        }

        public (uint[] Code, ulong[] Pool) NextBlock()
        {
            var code = new uint[rng.Next(1, 9)];
            for (int i = 0; i < code.Length; i++) code[i] = NextInstruction();
            var pool = new ulong[33];
            pool[0] = (ulong)rng.Next(16) << 28;
            for (int i = 1; i < pool.Length; i++) pool[i] = Value();
            return (code, pool);
        }

        /// <summary>Register values biased to the edges where flags and extensions change.</summary>
        private ulong Value() => rng.Next(8) switch
        {
            0 => (ulong)rng.Next(-16, 17),
            1 => rng.Next(8) switch
            {
                0 => 0x7FFF_FFFFUL, 1 => 0x8000_0000UL, 2 => 0xFFFF_FFFFUL, 3 => 0x1_0000_0000UL,
                4 => 0x7FFF_FFFF_FFFF_FFFFUL, 5 => 0x8000_0000_0000_0000UL, 6 => ulong.MaxValue, _ => 0,
            },
            2 => (ulong)(uint)rng.Next() | ((ulong)rng.Next(2) << 31),
            _ => (ulong)rng.NextInt64() ^ ((ulong)rng.Next(4) << 62),
        };
    }
}
