using Aegis.Emulator.Cpu.Timing.A53;
using NUnit.Framework;

namespace Aegis.Tests.Timing;

/// <summary>
/// MemorySystem with the A53 defaults (L1D 32 KiB 4-way = 128 sets, so lines 128 × 64 = 8 KiB apart share an L1D
/// set; L2 512 KiB 16-way = 512 sets; L2 hit +9, DRAM +154, Device +154, stores +0) unless a test says otherwise.
/// Victims in L1D follow the LFSR sequence of CacheTests: the first eviction picks way 0, then 0, 0, 2, 3, 3, 1.
/// </summary>
public class MemorySystemTests
{
    private const ulong Base = 0x8000_0000;
    private const ulong L1dSetStride = 128 * 64;

    private static void Expect(MemoryOutcome o, int extra, int l1, int l1Refill, int l1Wb, int l2, int l2Refill, int l2Wb, int bus)
    {
        Assert.That((o.ExtraCycles, o.L1Accesses, o.L1Refills, o.L1WriteBacks, o.L2Accesses, o.L2Refills, o.L2WriteBacks, o.BusAccesses),
            Is.EqualTo((extra, (byte)l1, (byte)l1Refill, (byte)l1Wb, (byte)l2, (byte)l2Refill, (byte)l2Wb, (byte)bus)), o.ToString());
    }

    [Test]
    public void DefaultLatencies()
    {
        // tinymembench 128 KiB: 10.0 - 0.68 x 2 (micro-TLB) = 8.6 -> 9; 8 MiB: 176.3 - 0.995 x 2 - 0.75 x (20 + 6.7) = 154.3 -> 154.
        var c = MemorySystemConfig.CortexA53;
        Assert.That((c.L2HitExtraCycles, c.DramExtraCycles, c.NormalNonCacheableExtraCycles, c.DeviceExtraCycles, c.StoreExtraCycles),
            Is.EqualTo((9, 154, 154, 154, 0)));
        Assert.That(176.3 - 0.995 * MicroTlb.MainTlbHitPenalty - 0.75 * (MicroTlb.MainTlbMissPenalty + 6.7), Is.EqualTo(154).Within(0.5));
    }

    [Test]
    public void ColdLoadGoesToDramThenHits()
    {
        var m = new MemorySystem();
        Expect(m.Data(Base, 8, false, true), extra: 154, l1: 1, l1Refill: 1, l1Wb: 0, l2: 1, l2Refill: 1, l2Wb: 0, bus: 1);
        var hit = m.Data(Base + 8, 8, false, true);
        Expect(hit, 0, 1, 0, 0, 0, 0, 0, 0);
        Assert.That((hit.L1Hit, hit.L2Access, hit.BusAccess), Is.EqualTo((true, false, false)));
    }

    [Test]
    public void DataFromDramIsNotAllocatedInL2ButItsL1VictimIs()
    {
        // Tends towards exclusive: lines 0..3 of one L1D set fill ways 0..3 and none is in L2. Line 4 evicts way 0
        // (LFSR 0xE270 % 4 = 0) = line 0, which moves into L2 (a second L2 access). Reloading line 0 then hits L2
        // (+10) and evicts way 0 again (0x7138 % 4 = 0), now line 4, which also moves to L2.
        var m = new MemorySystem();
        for (int k = 0; k < 4; k++) m.Data(Base + (ulong)k * L1dSetStride, 8, false, true);
        Assert.That(m.L2.ValidLines, Is.EqualTo(0));

        Expect(m.Data(Base + 4 * L1dSetStride, 8, false, true), 154, 1, 1, 0, 2, 1, 0, 1);
        Assert.That((m.L1D.Probe(Base), m.L2.Probe(Base)), Is.EqualTo((false, true)));
        Assert.That(m.L2.Probe(Base + 4 * L1dSetStride), Is.False);

        var again = m.Data(Base, 8, false, true);
        Expect(again, 9, 1, 1, 0, 2, 0, 0, 0);
        Assert.That(again.L2Hit, Is.True);
        Assert.That(m.L2.Probe(Base), Is.True, "a line found in L2 stays there");
        Assert.That(m.L2.Probe(Base + 4 * L1dSetStride), Is.True);
    }

    [Test]
    public void StoreMissRefillsButCostsNothingAtThePipeline()
    {
        var m = new MemorySystem();
        Expect(m.Data(Base, 4, true, true), extra: 0, l1: 1, l1Refill: 1, l1Wb: 0, l2: 1, l2Refill: 1, l2Wb: 0, bus: 1);
        Assert.That(m.L1D.IsDirty(Base), Is.True, "write-allocate, write-back");
        Expect(m.Data(Base, 8, false, true), 0, 1, 0, 0, 0, 0, 0, 0);
    }

    [Test]
    public void DirtyL1VictimIsWrittenBackIntoL2()
    {
        // Line 0 stored (dirty in L1D), lines 1..3 loaded; line 4 evicts way 0 = line 0, dirty: one L1D write-back,
        // two L2 accesses (the lookup of line 4, the victim), one bus read (line 4 from DRAM), and L2 holds line 0 dirty.
        var m = new MemorySystem();
        m.Data(Base, 8, true, true);
        for (int k = 1; k < 4; k++) m.Data(Base + (ulong)k * L1dSetStride, 8, false, true);
        var o = m.Data(Base + 4 * L1dSetStride, 8, false, true);
        Expect(o, 154, 1, 1, 1, 2, 1, 0, 1);
        Assert.That(o.L1WriteBack, Is.True);
        Assert.That(m.L2.IsDirty(Base), Is.True);
    }

    [Test]
    public void DirtyL2VictimIsWrittenToMemory()
    {
        // L1D 1 line; L2 one set of 2 ways, LRU. Stores A, B, C then load D:
        // A: DRAM read. B: A (dirty) -> L2 {A*}. C: B -> L2 {A*, B*}. D: C -> L2 full, LRU victim A* goes to memory:
        // L2 write-back 1, bus = D's read + A's write = 2.
        var cfg = MemorySystemConfig.CortexA53 with
        {
            L1I = new CacheGeometry("L1I", 64, 1),
            L1D = new CacheGeometry("L1D", 64, 1),
            L2 = new CacheGeometry("L2", 128, 2),
            L2Replacement = ReplacementPolicy.Lru,
        };
        var m = new MemorySystem(cfg);
        Expect(m.Data(0x000, 8, true, true), 0, 1, 1, 0, 1, 1, 0, 1);
        Expect(m.Data(0x040, 8, true, true), 0, 1, 1, 1, 2, 1, 0, 1);
        Expect(m.Data(0x080, 8, true, true), 0, 1, 1, 1, 2, 1, 0, 1);
        var d = m.Data(0x0C0, 8, false, true);
        Expect(d, 154, 1, 1, 1, 2, 1, 1, 2);
        Assert.That(d.L2WriteBack, Is.True);
        Assert.That((m.L2.Probe(0x000), m.L2.Probe(0x040), m.L2.Probe(0x080)), Is.EqualTo((false, true, true)));
    }

    [Test]
    public void LineCrossingAccessTouchesBothLines()
    {
        var m = new MemorySystem();
        // 0x...3C + 8 bytes covers 0x3C..0x43: lines 0x00 and 0x40, both cold: counts add, cycles max(154, 154).
        Expect(m.Data(Base + 0x3C, 8, false, true), 154, 2, 2, 0, 2, 2, 0, 2);
        Expect(m.Data(Base + 0x3C, 8, false, true), 0, 2, 0, 0, 0, 0, 0, 0);
        // 0x7C..0x83: line 0x40 hits, line 0x80 misses.
        Expect(m.Data(Base + 0x7C, 8, false, true), 154, 2, 1, 0, 1, 1, 0, 1);
        // 0xB8..0xBF ends exactly at the line end: one line.
        Expect(m.Data(Base + 0xB8, 8, false, true), 0, 1, 0, 0, 0, 0, 0, 0);
    }

    [Test]
    public void NonCacheableBypassesTheCaches()
    {
        var cfg = MemorySystemConfig.CortexA53 with { DeviceExtraCycles = 50, NormalNonCacheableExtraCycles = 120 };
        var m = new MemorySystem(cfg);
        Expect(m.Data(Base, 4, false, cacheable: false), 50, 0, 0, 0, 0, 0, 0, 1);
        Expect(m.Data(Base, 4, false, MemoryClass.NormalNonCacheable), 120, 0, 0, 0, 0, 0, 0, 1);
        Expect(m.Data(Base, 4, true, MemoryClass.Device), 0, 0, 0, 0, 0, 0, 0, 1);
        Expect(m.Data(Base + 0x3E, 4, false, MemoryClass.Device), 50, 0, 0, 0, 0, 0, 0, 2);
        Expect(m.Fetch(Base, cacheable: false), 120, 0, 0, 0, 0, 0, 0, 1);
        Expect(m.Walk(Base, cacheable: false), 120, 0, 0, 0, 0, 0, 0, 1);
        Assert.That((m.L1I.ValidLines, m.L1D.ValidLines, m.L2.ValidLines), Is.EqualTo((0, 0, 0)));
    }

    [Test]
    public void FetchAllocatesInL1IAndL2()
    {
        // Tends towards inclusive: a fetch miss fills L2 too, so after IC IALLU the refetch hits L2 (+10).
        var m = new MemorySystem();
        Expect(m.Fetch(Base, true), 154, 1, 1, 0, 1, 1, 0, 1);
        Assert.That((m.L1I.Probe(Base), m.L2.Probe(Base), m.L1D.Probe(Base)), Is.EqualTo((true, true, false)));
        Expect(m.Fetch(Base + 4, true), 0, 1, 0, 0, 0, 0, 0, 0);
        m.InstructionInvalidateAll();
        Assert.That((m.L1I.ValidLines, m.L2.ValidLines), Is.EqualTo((0, 1)));
        Expect(m.Fetch(Base, true), 9, 1, 1, 0, 1, 0, 0, 0);
        m.InstructionInvalidateLine(Base);
        Assert.That(m.L1I.Probe(Base), Is.False);
    }

    [Test]
    public void DataLoadOfFetchedLineHitsL2()
    {
        var m = new MemorySystem();
        m.Fetch(Base, true);
        Expect(m.Data(Base, 8, false, true), 9, 1, 1, 0, 1, 0, 0, 0);
    }

    [Test]
    public void WalkReadsThroughL1D()
    {
        var m = new MemorySystem();
        Expect(m.Walk(Base + 0x18), 154, 1, 1, 0, 1, 1, 0, 1);
        Assert.That(m.L1D.Probe(Base), Is.True);
        Expect(m.Walk(Base + 0x20), 0, 1, 0, 0, 0, 0, 0, 0);
        Expect(m.Data(Base + 0x28, 8, false, true), 0, 1, 0, 0, 0, 0, 0, 0);
    }

    [Test]
    public void CleanInvalidateLineWritesDirtyDataToMemory()
    {
        var m = new MemorySystem();
        m.Data(Base, 8, true, true);
        Expect(m.CleanInvalidateLine(Base + 0x10), 0, 0, 0, 1, 0, 0, 0, 1);
        Assert.That((m.L1D.Probe(Base), m.L2.Probe(Base)), Is.EqualTo((false, false)));
        Expect(m.CleanInvalidateLine(Base), 0, 0, 0, 0, 0, 0, 0, 0);
        Expect(m.Data(Base, 8, false, true), 154, 1, 1, 0, 1, 1, 0, 1);
    }

    [Test]
    public void CleanInvalidateOfADirtyL2LineCountsAnL2WriteBack()
    {
        // Same 1-line L1D as DirtyL2VictimIsWrittenToMemory: store A, load B -> A* moves to L2 dirty.
        var cfg = MemorySystemConfig.CortexA53 with
        {
            L1I = new CacheGeometry("L1I", 64, 1), L1D = new CacheGeometry("L1D", 64, 1), L2 = new CacheGeometry("L2", 128, 2),
        };
        var m = new MemorySystem(cfg);
        m.Data(0x000, 8, true, true);
        m.Data(0x040, 8, false, true);
        Assert.That(m.L2.IsDirty(0x000), Is.True);
        Expect(m.CleanInvalidateLine(0x000), 0, 0, 0, 0, 0, 0, 1, 1);
        Assert.That(m.L2.Probe(0x000), Is.False);
    }

    [Test]
    public void CleanLineKeepsTheLine()
    {
        var m = new MemorySystem();
        m.Data(Base, 8, true, true);
        Expect(m.CleanLine(Base), 0, 0, 0, 1, 0, 0, 0, 1);
        Assert.That((m.L1D.Probe(Base), m.L1D.IsDirty(Base)), Is.EqualTo((true, false)));
        Expect(m.CleanLine(Base), 0, 0, 0, 0, 0, 0, 0, 0);
    }

    [Test]
    public void InvalidateLineDiscardsWithoutWriteBack()
    {
        var m = new MemorySystem();
        m.Data(Base, 8, true, true);
        m.InvalidateLine(Base);
        Assert.That(m.L1D.Probe(Base), Is.False);
        Expect(m.Data(Base, 8, false, true), 154, 1, 1, 0, 1, 1, 0, 1);
    }

    [Test]
    public void InvalidateAllEmptiesEveryCache()
    {
        var m = new MemorySystem();
        m.Fetch(Base, true);
        m.Data(Base + 0x1000, 8, true, true);
        Assert.That((m.L1I.ValidLines, m.L1D.ValidLines, m.L2.ValidLines), Is.EqualTo((1, 1, 1)));
        m.InvalidateAll();
        Assert.That((m.L1I.ValidLines, m.L1D.ValidLines, m.L2.ValidLines), Is.EqualTo((0, 0, 0)));
        Expect(m.Fetch(Base, true), 154, 1, 1, 0, 1, 1, 0, 1);
    }

    [Test]
    public void MismatchedLineLengthsAreRejected()
    {
        var cfg = MemorySystemConfig.CortexA53 with { L2 = new CacheGeometry("L2", 512 * 1024, 16, 128) };
        Assert.Throws<ArgumentException>(() => _ = new MemorySystem(cfg));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemorySystem().Data(Base, 0, false, true));
    }
}
