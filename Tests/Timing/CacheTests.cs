using Aegis.Emulator.Cpu.Timing.A53;
using NUnit.Framework;

namespace Aegis.Tests.Timing;

/// <summary>
/// CacheGeometry, VictimLfsr and SetAssociativeCache. Expectations are worked out by hand in each test. The small
/// test cache is 1 KiB, 4 ways, 64-byte lines: 1024 / (4 × 64) = 4 sets, set = (pa >> 6) &amp; 3, so the lines
/// 0x000, 0x100, 0x200, ... (a stride of 4 × 64 = 256 bytes) all map to set 0.
/// </summary>
public class CacheTests
{
    private static readonly CacheGeometry Small = new("T", 1024, 4);
    private static ulong Set0(int k) => (ulong)k * 256;

    private static SetAssociativeCache FillSet0(ReplacementPolicy policy)
    {
        var c = new SetAssociativeCache(Small, policy);
        for (int k = 0; k < 4; k++)
        {
            Assert.That(c.Access(Set0(k), false, out ulong ev, out _), Is.False, $"cold line {k}");
            Assert.That(ev, Is.EqualTo(SetAssociativeCache.NoLine), "a free way is used before anything is evicted");
        }
        return c;
    }

    private static ulong Evict(SetAssociativeCache c, ulong pa)
    {
        Assert.That(c.Access(pa, false, out ulong ev, out _), Is.False);
        return ev;
    }

    [Test]
    public void A53GeometriesHaveTheTrmSetCounts()
    {
        // 32 KiB / (2 × 64) = 256; 32 KiB / (4 × 64) = 128; 512 KiB / (16 × 64) = 512.
        var cfg = new MemorySystemConfig();
        Assert.That(cfg.L1I.Sets, Is.EqualTo(256));
        Assert.That(cfg.L1D.Sets, Is.EqualTo(128));
        Assert.That(cfg.L2.Sets, Is.EqualTo(512));
        Assert.That(cfg.L1D.LineShift, Is.EqualTo(6));
        Assert.That(new CacheGeometry("odd", 3 * 64 * 4, 3).Sets, Is.EqualTo(4), "3 ways is fine; 4 sets is a power of two");
    }

    [TestCase(3000, 4, 64, "not a whole number")]
    [TestCase(0, 4, 64, "not positive")]
    [TestCase(3 * 64 * 3, 3, 64, "3 sets, not a power of two")]
    [TestCase(32768, 0, 64, "at least one")]
    [TestCase(32768, 3, 64, "not a whole number")]
    [TestCase(32768, 4, 48, "line length 48")]
    [TestCase(64, 2, 64, "not a whole number")]
    public void BadGeometryIsRejected(int size, int ways, int line, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new CacheGeometry("X", size, ways, line));
        Assert.That(ex!.Message, Does.Contain(message));
    }

    [Test]
    public void LfsrFollowsTheHandComputedSequence()
    {
        // Galois step: s >>= 1, XOR 0xB400 if the bit shifted out was 1. From 0xACE1 = 1010_1100_1110_0001:
        // 0xACE1 -> 0x5670 ^ 0xB400 = 0xE270 -> 0x7138 -> 0x389C -> 0x1C4E -> 0x0E27 -> 0x0713 ^ 0xB400 = 0xB313
        // -> 0x5989 ^ 0xB400 = 0xED89.
        var l = new VictimLfsr();
        ushort[] expected = [0xE270, 0x7138, 0x389C, 0x1C4E, 0x0E27, 0xB313, 0xED89];
        foreach (ushort e in expected) Assert.That(l.Next(), Is.EqualTo(e));
    }

    [Test]
    public void LfsrHasMaximalPeriod()
    {
        // x^16 + x^14 + x^13 + x^11 + 1 is primitive: the state returns to the seed after exactly 2^16 - 1 steps.
        var l = new VictimLfsr();
        int n = 0;
        do n++; while (l.Next() != VictimLfsr.DefaultSeed && n < 70000);
        Assert.That(n, Is.EqualTo(65535));
        Assert.Throws<ArgumentException>(() => _ = new VictimLfsr(0));
        Assert.That(default(VictimLfsr).Next(), Is.EqualTo((ushort)0xE270), "default(VictimLfsr) steps from the default seed");
    }

    [Test]
    public void HitAndMissSequence()
    {
        var c = new SetAssociativeCache(Small, ReplacementPolicy.Lru);
        Assert.That(c.Access(0x1000, false, out _, out _), Is.False, "cold");
        Assert.That(c.Access(0x1038, false, out _, out _), Is.True, "same 64-byte line (0x1000..0x103F)");
        Assert.That(c.Access(0x1040, false, out _, out _), Is.False, "next line");
        Assert.That(c.Probe(0x1000), Is.True);
        Assert.That(c.Probe(0x1080), Is.False);
        Assert.That(c.SetIndex(0x1040), Is.EqualTo(1), "(0x1040 >> 6) & 3 = 0x41 & 3 = 1");
        Assert.That(c.ValidLines, Is.EqualTo(2));
    }

    [Test]
    public void ProbeAndTouchDoNotAllocate()
    {
        var c = new SetAssociativeCache(Small, ReplacementPolicy.Lru);
        Assert.That(c.Probe(0x1000), Is.False);
        Assert.That(c.Touch(0x1000, false), Is.False);
        Assert.That(c.ValidLines, Is.EqualTo(0));
    }

    [Test]
    public void LruEvictsTheLeastRecentlyUsedWay()
    {
        // Fill set 0 with lines 0..3 (use order 0,1,2,3), touch 0 (order 1,2,3,0): line 4 evicts 1, line 5 evicts 2.
        var c = FillSet0(ReplacementPolicy.Lru);
        Assert.That(c.Access(Set0(0), false, out _, out _), Is.True);
        Assert.That(Evict(c, Set0(4)), Is.EqualTo(Set0(1)));
        Assert.That(Evict(c, Set0(5)), Is.EqualTo(Set0(2)));
        Assert.That(c.Probe(Set0(0)), Is.True);
    }

    [Test]
    public void ProbeDoesNotUpdateLru()
    {
        // Probe(0) must not count as a use: line 4 still evicts line 0.
        var c = FillSet0(ReplacementPolicy.Lru);
        Assert.That(c.Probe(Set0(0)), Is.True);
        Assert.That(Evict(c, Set0(4)), Is.EqualTo(Set0(0)));
    }

    [Test]
    public void RoundRobinEvictsWaysInOrder()
    {
        // Lines 0..3 sit in ways 0..3; hits do not move the pointer: lines 4, 5, 6, 7, 8 evict ways 0,1,2,3,0,
        // i.e. lines 0, 1, 2, 3, then 4.
        var c = FillSet0(ReplacementPolicy.RoundRobin);
        Assert.That(c.Access(Set0(0), false, out _, out _), Is.True);
        ulong[] expected = [Set0(0), Set0(1), Set0(2), Set0(3), Set0(4)];
        for (int k = 0; k < expected.Length; k++) Assert.That(Evict(c, Set0(4 + k)), Is.EqualTo(expected[k]), $"line {4 + k}");
    }

    [Test]
    public void PseudoRandomEvictsTheLfsrSequence()
    {
        // Ways 0..3 hold lines 0..3. Victim way = LFSR state % 4 with the states of LfsrFollowsTheHandComputedSequence:
        // 0xE270 % 4 = 0, 0x7138 % 4 = 0, 0x389C % 4 = 0, 0x1C4E % 4 = 2, 0x0E27 % 4 = 3, 0xB313 % 4 = 3, 0xED89 % 4 = 1.
        // Line 4 -> way 0 (evicts 0); 5 -> way 0 (evicts 4); 6 -> way 0 (evicts 5); 7 -> way 2 (evicts 2);
        // 8 -> way 3 (evicts 3); 9 -> way 3 (evicts 8); 10 -> way 1 (evicts 1).
        var c = FillSet0(ReplacementPolicy.PseudoRandom);
        int[] evicted = [0, 4, 5, 2, 3, 8, 1];
        for (int k = 0; k < evicted.Length; k++)
            Assert.That(Evict(c, Set0(4 + k)), Is.EqualTo(Set0(evicted[k])), $"line {4 + k}");
    }

    [Test]
    public void PseudoRandomIsReproducible()
    {
        var a = FillSet0(ReplacementPolicy.PseudoRandom);
        var b = FillSet0(ReplacementPolicy.PseudoRandom);
        for (int k = 4; k < 200; k++) Assert.That(Evict(a, Set0(k)), Is.EqualTo(Evict(b, Set0(k))));
    }

    [Test]
    public void DirtyVictimIsReported()
    {
        // Line 0 written (dirty), lines 1..3 read; LRU: line 4 evicts line 0 dirty, line 5 evicts line 1 clean.
        var c = new SetAssociativeCache(Small, ReplacementPolicy.Lru);
        c.Access(Set0(0), true, out _, out _);
        for (int k = 1; k < 4; k++) c.Access(Set0(k), false, out _, out _);
        Assert.That(c.IsDirty(Set0(0)), Is.True);
        Assert.That(c.Access(Set0(4), false, out ulong ev, out bool dirty), Is.False);
        Assert.That((ev, dirty), Is.EqualTo((Set0(0), true)));
        Assert.That(c.Access(Set0(5), false, out ev, out dirty), Is.False);
        Assert.That((ev, dirty), Is.EqualTo((Set0(1), false)));
    }

    [Test]
    public void WriteHitMarksDirtyOnlyWhenWriteBack()
    {
        var wb = new SetAssociativeCache(Small, ReplacementPolicy.Lru, writeBack: true);
        var nowb = new SetAssociativeCache(Small, ReplacementPolicy.Lru, writeBack: false);
        foreach (var c in new[] { wb, nowb })
        {
            c.Access(0x40, false, out _, out _);
            c.Access(0x48, true, out _, out _);
        }
        Assert.That(wb.IsDirty(0x40), Is.True);
        Assert.That(nowb.IsDirty(0x40), Is.False);
    }

    [Test]
    public void EvictedLineIsLineAligned()
    {
        var c = new SetAssociativeCache(new CacheGeometry("one", 64, 1), ReplacementPolicy.Lru);
        c.Access(0x1234_5678, false, out _, out _);
        c.Access(0x9999_0000, false, out ulong ev, out _);
        Assert.That(ev, Is.EqualTo(0x1234_5640UL), "0x12345678 & ~63");
    }

    [Test]
    public void CleanInvalidateAndInvalidateAll()
    {
        var c = new SetAssociativeCache(Small, ReplacementPolicy.Lru);
        c.Access(0x100, true, out _, out _);
        c.Access(0x200, false, out _, out _);
        Assert.That(c.Clean(0x100), Is.True, "dirty -> written back");
        Assert.That(c.Clean(0x100), Is.False, "already clean");
        Assert.That(c.Clean(0x300), Is.False, "absent");
        Assert.That((c.Probe(0x100), c.IsDirty(0x100)), Is.EqualTo((true, false)));

        c.Access(0x100, true, out _, out _);
        Assert.That(c.Invalidate(0x100, out bool wasDirty), Is.True);
        Assert.That(wasDirty, Is.True);
        Assert.That(c.Invalidate(0x100), Is.False);
        Assert.That(c.Probe(0x100), Is.False);

        c.InvalidateAll();
        Assert.That(c.ValidLines, Is.EqualTo(0));
        Assert.That(c.Access(0x200, false, out _, out _), Is.False);
    }

    [Test]
    public void FillOfAPresentLineMergesDirtyAndEvictsNothing()
    {
        var c = new SetAssociativeCache(Small, ReplacementPolicy.Lru);
        c.Fill(0x100, false, out ulong ev, out _);
        Assert.That(ev, Is.EqualTo(SetAssociativeCache.NoLine));
        c.Fill(0x100, true, out ev, out _);
        Assert.That(ev, Is.EqualTo(SetAssociativeCache.NoLine));
        Assert.That(c.IsDirty(0x100), Is.True);
        Assert.That(c.ValidLines, Is.EqualTo(1));
    }
}
