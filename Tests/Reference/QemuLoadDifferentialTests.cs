using Aegis.Emulator.Cpu.Decoding;
using Aegis.Tests.Support;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;

namespace Aegis.Tests.Reference;

/// <summary>
/// Register-level differential test of the integer loads against QEMU 7.2 user mode, with the harness of
/// <see cref="QemuUserDifferential"/>: each block is one random load (every addressing form: unsigned
/// offset, unscaled, pre/post-index with writeback, unprivileged, register offset with each extend, pairs,
/// exclusives and acquires) whose base and index registers are seeded so that the address falls, 16-byte aligned,
/// inside a 64 KiB block of random bytes in the ELF. Loaded values, writeback and every other register must agree.
/// Aligned addresses keep the comparison free of the one intended difference: our run has the MMU off, so data
/// accesses are Device memory, where an unaligned access faults (Arm ARM B2.5.2); QEMU user mode allows it.
/// </summary>
[TestFixture]
public class QemuLoadDifferentialTests
{
    public const int Seed = 0x10AD;
    public const int Processes = 2;
    public const int BlocksPerProcess = 1000;
    private const int DataSize = 64 * 1024;

    [Test]
    public void RandomLoadsMatchQemuRegisterForRegister()
    {
        ReferenceTools.Require(ReferenceTools.QemuUser);
        using var cs = new CapstoneA64();
        var rng = new Random(Seed);
        var rows = A64Table.Rows.Where(IsIntegerLoadRow).ToArray();
        Assert.That(rows, Is.Not.Empty, "no integer load rows in the decode table");
        var exercised = new SortedDictionary<string, int>();
        int blocksRun = 0;
        for (int p = 0; p < Processes; p++)
        {
            var data = new byte[DataSize];
            rng.NextBytes(data);
            var blocks = new List<(uint[] Code, ulong[] Pool)>();
            while (blocks.Count < BlocksPerProcess)
            {
                var (row, w, pool, _) = DrawAccess(rows, rng, cs, QemuUserDifferential.Base, DataSize);
                exercised[row.Name] = exercised.GetValueOrDefault(row.Name) + 1;
                blocks.Add(([w], pool));
            }
            QemuUserDifferential.RunAndCompare(cs, blocks, "the load", $"process {p}: ", data: data);
            blocksRun += blocks.Count;
        }
        TestContext.Out.WriteLine($"seed 0x{Seed:X}: {blocksRun} random loads agree with QEMU on X0-X30, SP and NZCV");
        TestContext.Out.WriteLine($"  {exercised.Count} decode-table rows exercised: " + string.Join(", ", exercised.Select(r => $"{r.Key} x{r.Value}")));
        Assert.That(blocksRun, Is.EqualTo(Processes * BlocksPerProcess));
    }

    /// <summary>General-register loads (and PRFM) of the load/store class, V = 0, except the PC-relative literal forms.</summary>
    private static bool IsIntegerLoadRow(EncodingRow row)
    {
        uint v = row.Value;
        bool loadStore = (v & 0x0A00_0000) == 0x0800_0000 && (v & 0x0400_0000) == 0;
        return loadStore && (row.Name.StartsWith("LD", StringComparison.Ordinal) || row.Name.StartsWith("PRFM", StringComparison.Ordinal))
            && !row.Name.Contains("literal", StringComparison.Ordinal);
    }

    /// <summary>
    /// A random word of one of <paramref name="rows"/> that decodes to that row and that Capstone decodes, with a
    /// random pool whose base (and index) register is seeded (<see cref="Plan"/>) to address a random 16-byte
    /// aligned place inside the <paramref name="dataSize"/> bytes at <paramref name="dataBase"/>.
    /// </summary>
    internal static (EncodingRow Row, uint Word, ulong[] Pool, ulong Address) DrawAccess(EncodingRow[] rows, Random rng, CapstoneA64 cs, ulong dataBase, int dataSize)
    {
        while (true)
        {
            var row = rows[rng.Next(rows.Length)];
            uint w = QemuUserDifferential.RandomWord(row, rng);
            if (!ReferenceEquals(Decoder.RowOf(w), row) || !cs.TryDecode(w)) continue;
            var pool = QemuUserDifferential.RandomPool(rng);
            ulong address = dataBase + 64 + (ulong)rng.Next((dataSize - 128) / 16) * 16;
            if (Plan(w, address, rng, pool)) return (row, w, pool, address);
        }
    }

    private static int Rt(uint w) => (int)(w & 31);
    private static int Rn(uint w) => (int)((w >> 5) & 31);
    private static int Rm(uint w) => (int)((w >> 16) & 31);
    private static int Rt2(uint w) => (int)((w >> 10) & 31);
    private static long Imm9(uint w) => (long)((int)(w << 11) >> 23);
    private static long Imm7(uint w) => (long)((int)(w << 10) >> 25);

    /// <summary>
    /// Seeds the base (and index) register so that the load's address (Arm ARM C6.2, each form's pseudocode) is
    /// <paramref name="address"/>. False for the CONSTRAINED UNPREDICTABLE register overlaps and for SP as base.
    /// </summary>
    internal static bool Plan(uint w, ulong address, Random rng, ulong[] pool)
    {
        int n = Rn(w);
        if (n == 31) return false;                          // SP base: its value is shared with the SP under test
        ulong offset;
        bool writeback = false;
        if ((w & 0x3F00_0000) == 0x0800_0000)
        {
            // Load/store exclusive, load-acquire/store-release: address = X[n]. Loads (L = 1): Rt == Rt2 of a
            // pair is CONSTRAINED UNPREDICTABLE; store exclusives: the status register Rs must differ from Rt,
            // Rt2 (pairs) and Rn (Arm ARM STXR/STXP "Operational information").
            bool pair = (w & 0x0020_0000) != 0, load = (w & 0x0040_0000) != 0, exclusive = (w & 0x0080_0000) == 0;
            if (load && pair && Rt(w) == Rt2(w)) return false;
            if (!load && exclusive && (Rm(w) == Rt(w) || Rm(w) == n || (pair && Rm(w) == Rt2(w)))) return false;
            offset = 0;
        }
        else if ((w & 0x3F00_0000) == 0x3900_0000)
        {
            offset = (ulong)((w >> 10) & 0xFFF) << (int)(w >> 30);   // unsigned offset, scaled by the size
        }
        else if ((w & 0x3F20_0000) == 0x3800_0000)
        {
            // imm9 forms: 00 unscaled, 01 post-index, 10 unprivileged, 11 pre-index.
            uint form = (w >> 10) & 3;
            writeback = form is 1 or 3;
            offset = form == 1 ? 0 : (ulong)Imm9(w);
        }
        else if ((w & 0x3F20_0C00) == 0x3820_0800)
        {
            // Register offset: X[n] + (ExtendReg(m, option) << (S ? size : 0)).
            int m = Rm(w);
            if (m == n) return false;
            uint option = (w >> 13) & 7;
            int shift = (w & 0x1000) != 0 ? (int)(w >> 30) : 0;
            long index = rng.Next(-64, 65);
            if ((option & 4) == 0) index = Math.Abs(index);          // UXTW / LSL: keep the index small and positive
            ulong upper = (ulong)rng.NextInt64() << 32;               // the W forms must ignore these bits
            ulong rmValue = option switch { 0b010 => upper | (uint)index, 0b110 => upper | (uint)(int)index, _ => (ulong)index };
            if (m != 31) pool[2 + m] = rmValue; else rmValue = 0;
            long extended = option switch { 0b010 => (long)(uint)rmValue, 0b110 => (int)(uint)rmValue, _ => (long)rmValue };
            offset = (ulong)(extended << shift);
        }
        else if ((w & 0x3C00_0000) == 0x2800_0000)
        {
            // Pairs: 00 non-temporal offset, 01 post-index, 10 offset, 11 pre-index; scale 2 (W, LDPSW) or 3 (X).
            uint form = (w >> 23) & 3;
            int scale = (w >> 30) == 2 ? 3 : 2;
            writeback = form is 1 or 3;
            if (Rt(w) == Rt2(w) || (writeback && (n == Rt(w) || n == Rt2(w)))) return false;
            offset = form == 1 ? 0 : (ulong)(Imm7(w) << scale);
        }
        else return false;
        if (writeback && n == Rt(w)) return false;            // Unpredictable_WBOVERLAPLD/ST
        pool[2 + n] = address - offset;
        return true;
    }
}
