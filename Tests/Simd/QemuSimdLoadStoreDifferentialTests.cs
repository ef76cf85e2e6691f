using Aegis.Emulator.Cpu.Decoding;
using Aegis.Tests.Reference;
using Aegis.Tests.Support;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;

namespace Aegis.Tests.Simd;

/// <summary>
/// SIMD&amp;FP loads and stores against QEMU 7.2 user mode: every row of <c>SimdLoadsAndStores</c> (B/H/S/D/Q single
/// registers in each addressing form, literal, pairs, LD1-LD4/ST1-ST4 multiple and single structure, LD1R-LD4R,
/// post-index by immediate and by register). The base (X20-X30) and index registers are planned so that the access
/// falls aligned to its size inside a block of random bytes; a store is read back with LD1 {V0-V3.16B} from the address
/// it wrote. V0-V7 and FPSR are compared through X0-X16 (<see cref="SimdDifferential"/>), writeback as X20-X30.
/// </summary>
[TestFixture]
public class QemuSimdLoadStoreDifferentialTests
{
    private const int DataSize = 64 * 1024;
    private const int HarnessWords = 20; // adr, ldp, msr nzcv, mov sp, 15 ldp, ldr x30 (QemuUserDifferential.Build)

    private static EncodingRow[] Rows(bool load) => SimdRows().Where(r => r.Name.StartsWith(load ? "LD" : "ST", StringComparison.Ordinal)).ToArray();

    internal static IEnumerable<EncodingRow> SimdRows() =>
        A64Table.Rows.Where(r => (r.Value & 0x0A00_0000) == 0x0800_0000 && (r.Value & 0x0400_0000) != 0 && r.Name.Contains("SIMD&FP")
            || r.Name.Contains("structure"));

    [TestCase(true, 0x51D0, 3000)]
    [TestCase(false, 0x57D0, 3000)]
    public void RandomSimdLoadsAndStoresMatchQemu(bool load, int seed, int count)
    {
        ReferenceTools.Require(ReferenceTools.QemuUser);
        using var cs = new CapstoneA64();
        var rng = new Random(seed);
        var rows = Rows(load);
        Assert.That(rows.Length, Is.GreaterThanOrEqualTo(load ? 11 : 9));
        var exercised = new SortedDictionary<string, int>();
        int done = 0, process = 0;
        while (done < count)
        {
            var data = new byte[DataSize];
            rng.NextBytes(data);
            ulong dataBase = load ? QemuUserDifferential.Base : QemuUserDifferential.WritableBase;
            ulong codeBase = QemuUserDifferential.Base + (load ? DataSize : 0UL);
            var blocks = new List<(uint[] Code, ulong[] Pool)>();
            long words = 0;
            while (blocks.Count < Math.Min(600, count - done))
            {
                var row = rows[rng.Next(rows.Length)];
                uint w = QemuUserDifferential.RandomWord(row, rng);
                var pool = SimdDifferential.RandomPool(rng);
                ulong address = dataBase + 256 + (ulong)rng.Next((DataSize - 512) / 16) * 16;
                ulong pc = codeBase + (ulong)(words + HarnessWords + 17) * 4; // after msr fpsr and 16 INS
                if (!Plan(ref w, address, pc, rng, pool)) continue;
                if (!ReferenceEquals(Decoder.RowOf(w), row) || !cs.TryDecode(w)) continue;
                uint[] body = [w];
                if (!load)
                {
                    int r = 19; // read back the 64 bytes at the address stored to
                    pool[2 + r] = address;
                    body = [w, 0x4C402000u | (uint)r << 5]; // LD1 {V0.16B-V3.16B}, [X19]
                }
                var code = SimdDifferential.Wrap(body);
                exercised[row.Name] = exercised.GetValueOrDefault(row.Name) + 1;
                blocks.Add((code, pool));
                words += HarnessWords + code.Length + 1;
            }
            QemuUserDifferential.RunAndCompare(cs, blocks, load ? "the SIMD load" : "the SIMD store and read-back", $"process {process++}: ",
                data: load ? data : null, writable: load ? null : data);
            done += blocks.Count;
        }
        TestContext.Out.WriteLine($"seed 0x{seed:X}: {done} random SIMD {(load ? "loads" : "stores")} agree with QEMU; rows: "
            + string.Join(", ", exercised.Select(r => $"{r.Key} x{r.Value}")));
        Assert.That(exercised.Count, Is.EqualTo(rows.Select(r => r.Name).Distinct().Count()), "every row exercised");
    }

    private static long Imm9(uint w) => (int)(w << 11) >> 23;
    private static long Imm7(uint w) => (int)(w << 10) >> 25;

    /// <summary>
    /// Puts Rt (and Rt2) in V0-V7 and the base in X20-X30, then seeds the base (and index) so that the access is at
    /// <paramref name="address"/>; a literal's imm19 is chosen to reach an aligned place in the data before the code.
    /// </summary>
    private static bool Plan(ref uint w, ulong address, ulong pc, Random rng, ulong[] pool)
    {
        int n = rng.Next(20, 31);
        w = (w & ~0x3E0u) | (uint)n << 5;
        w &= (w & 0x3800_0000) == 0x0800_0000 ? ~0x1Cu : ~0x18u; // structures: Rt in V0-V3, so up to four registers stay in V0-V7
        if ((w & 0x3C00_0000) == 0x2C00_0000) w &= ~(0x18u << 10); // pairs: Rt2 in V0-V7 too
        ulong offset = 0;
        if ((w & 0x3F00_0000) == 0x1C00_0000) // literal: PC + imm19 * 4, aligned to the size
        {
            int bytes = 4 << (int)(w >> 30);
            long target = (long)address - (long)pc; // in the data that precedes the code
            target &= ~(long)(bytes - 1);
            if ((pc + (ulong)target) % (ulong)bytes != 0) target -= (long)((pc + (ulong)target) % (ulong)bytes);
            w = (w & ~(0x7FFFFu << 5)) | ((uint)(target >> 2) & 0x7FFFF) << 5 | (w & 31);
            return true;
        }
        if ((w & 0x3F00_0000) == 0x3D00_0000) offset = (ulong)((w >> 10) & 0xFFF) << Scale(w);
        else if ((w & 0x3F20_0000) == 0x3C00_0000)
        {
            uint form = (w >> 10) & 3;
            offset = form == 1 ? 0 : (ulong)Imm9(w);
        }
        else if ((w & 0x3F20_0C00) == 0x3C20_0800)
        {
            int m = NewIndex(ref w, n, rng);
            uint option = (w >> 13) & 7;
            int shift = (w & 0x1000) != 0 ? Scale(w) : 0;
            long index = rng.Next(-16, 17);
            if ((option & 4) == 0) index = Math.Abs(index);
            ulong upper = (ulong)rng.NextInt64() << 32;
            ulong rmValue = option switch { 0b010 => upper | (uint)index, 0b110 => upper | (uint)(int)index, _ => (ulong)index };
            pool[2 + m] = rmValue;
            long extended = option switch { 0b010 => (uint)rmValue, 0b110 => (int)(uint)rmValue, _ => (long)rmValue };
            offset = (ulong)(extended << shift);
        }
        else if ((w & 0x3C00_0000) == 0x2C00_0000)
        {
            uint form = (w >> 23) & 3;
            if ((w & (1u << 22)) != 0 && ((w >> 10) & 31) == (w & 31)) return false; // LDP Rt == Rt2
            offset = form == 1 ? 0 : (ulong)(Imm7(w) << (2 + (int)(w >> 30)));
        }
        else if ((w & 0xBE00_0000) == 0x0C00_0000) // structures: X[n]; post-index by register half the time
        {
            if ((w & (1u << 23)) != 0)
            {
                if (rng.Next(2) == 0) w |= 31u << 16;
                else { int m = NewIndex(ref w, n, rng); pool[2 + m] = (ulong)rng.Next(-64, 65); }
            }
        }
        else return false;
        pool[2 + n] = address - offset;
        return true;
    }

    /// <summary>An index register Rm in X20-X30 other than the base.</summary>
    private static int NewIndex(ref uint w, int n, Random rng)
    {
        int m;
        do m = rng.Next(20, 31); while (m == n);
        w = (w & ~(31u << 16)) | (uint)m << 16;
        return m;
    }

    private static int Scale(uint w) => (w & (1u << 23)) != 0 ? 4 : (int)(w >> 30);
}
