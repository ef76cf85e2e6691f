using Aegis.Emulator.Cpu.Decoding;
using Aegis.Tests.Support;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;

namespace Aegis.Tests.Reference;

/// <summary>
/// Register-level differential test of the integer stores against QEMU 7.2 user mode: each block is one random
/// store (every addressing form, pairs, store-release, store exclusives with their status result) to a 16-byte
/// aligned address in a writable segment of random bytes, followed by an LDP of those 16 bytes into two registers
/// the store does not use, so that what the store wrote is compared along with writeback and every other register.
/// </summary>
[TestFixture]
public class QemuStoreDifferentialTests
{
    public const int Seed = 0x5707E;
    public const int Processes = 2;
    public const int BlocksPerProcess = 1000;
    private const int DataSize = 64 * 1024;

    [Test]
    public void RandomStoresMatchQemuRegisterForRegister()
    {
        ReferenceTools.Require(ReferenceTools.QemuUser);
        using var cs = new CapstoneA64();
        var rng = new Random(Seed);
        var rows = A64Table.Rows.Where(IsIntegerStoreRow).ToArray();
        Assert.That(rows, Is.Not.Empty, "no integer store rows in the decode table");
        var exercised = new SortedDictionary<string, int>();
        int blocksRun = 0;
        for (int p = 0; p < Processes; p++)
        {
            var data = new byte[DataSize];
            rng.NextBytes(data);
            var blocks = new List<(uint[] Code, ulong[] Pool)>();
            while (blocks.Count < BlocksPerProcess)
            {
                var (row, w, pool, address) = QemuLoadDifferentialTests.DrawAccess(rows, rng, cs, QemuUserDifferential.WritableBase, DataSize);
                // Read back with LDP Xa, Xb, [Xr] through registers the store does not name.
                var used = new HashSet<int> { (int)(w & 31), (int)((w >> 5) & 31), (int)((w >> 10) & 31), (int)((w >> 16) & 31) };
                var free = Enumerable.Range(0, 30).Where(r => !used.Contains(r)).OrderBy(_ => rng.Next()).Take(5).ToArray();
                int a = free[0], b = free[1], r = free[2];
                pool[2 + r] = address;
                uint readBack = 0xA940_0000u | (uint)b << 10 | (uint)r << 5 | (uint)a;
                exercised[row.Name] = exercised.GetValueOrDefault(row.Name) + 1;
                bool storeExclusive = (w & 0x3F80_0000) == 0x0800_0000 && (w & 0x0040_0000) == 0;
                if (storeExclusive && rng.Next(2) == 0)
                {
                    // Half the store exclusives first get a matching load exclusive (same size, pair-ness and address),
                    // so that the store succeeds (status 0) instead of failing on an open monitor (status 1).
                    bool pair = (w & 0x0020_0000) != 0;
                    uint ldx = (w & 0xC020_0000) | 0x0840_0000 | 31u << 16 | (pair ? (uint)free[4] : 31u) << 10 | (uint)r << 5 | (uint)free[3];
                    exercised["(LDXR/LDXP before it)"] = exercised.GetValueOrDefault("(LDXR/LDXP before it)") + 1;
                    blocks.Add(([ldx, w, readBack], pool));
                }
                else blocks.Add(([w, readBack], pool));
            }
            QemuUserDifferential.RunAndCompare(cs, blocks, "the store and read-back", $"process {p}: ", writable: data);
            blocksRun += blocks.Count;
        }
        TestContext.Out.WriteLine($"seed 0x{Seed:X}: {blocksRun} random stores (read back with LDP) agree with QEMU on X0-X30, SP and NZCV");
        TestContext.Out.WriteLine($"  {exercised.Count} decode-table rows exercised: " + string.Join(", ", exercised.Select(r => $"{r.Key} x{r.Value}")));
        Assert.That(blocksRun, Is.EqualTo(Processes * BlocksPerProcess));
    }

    /// <summary>General-register stores of the load/store class (V = 0).</summary>
    private static bool IsIntegerStoreRow(EncodingRow row)
    {
        uint v = row.Value;
        bool loadStore = (v & 0x0A00_0000) == 0x0800_0000 && (v & 0x0400_0000) == 0;
        return loadStore && row.Name.StartsWith("ST", StringComparison.Ordinal);
    }
}
