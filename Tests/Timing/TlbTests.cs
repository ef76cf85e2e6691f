using Aegis.Emulator.Cpu.Timing.A53;
using NUnit.Framework;

namespace Aegis.Tests.Timing;

/// <summary>
/// MicroTlb (10 entries, fully associative, round-robin), MainTlb (512 entries, 4-way: 128 sets, set = page &amp; 127)
/// and WalkCache (64 entries, 4-way: 16 sets, keyed by va >> 21, set = region &amp; 15). Regime 1 = EL1&amp;0.
/// </summary>
public class TlbTests
{
    private const byte El1 = 1, El2 = 2;

    [Test]
    public void PenaltiesAreTheCaqaFigures()
    {
        Assert.That((MicroTlb.MainTlbHitPenalty, MicroTlb.MainTlbMissPenalty, MicroTlb.A53Entries), Is.EqualTo((2, 20, 10)));
    }

    [Test]
    public void MicroTlbHoldsTenPagesAndTheEleventhEvictsTheOldest()
    {
        var t = new MicroTlb();
        for (ulong p = 0; p < 10; p++) Assert.That(t.Lookup(p, 1, El1), Is.False, $"cold page {p}");
        for (ulong p = 0; p < 10; p++) Assert.That(t.Lookup(p, 1, El1), Is.True, $"page {p} held");
        Assert.That(t.ValidEntries, Is.EqualTo(10));
        // Page 10 replaces entry 0 (page 0); pages 1..9 still hit; page 0 then replaces entry 1 (page 1).
        Assert.That(t.Lookup(10, 1, El1), Is.False);
        for (ulong p = 1; p < 11; p++) Assert.That(t.Lookup(p, 1, El1), Is.True, $"page {p}");
        Assert.That(t.Lookup(0, 1, El1), Is.False, "page 0 was the victim");
        Assert.That(t.Lookup(1, 1, El1), Is.False, "page 0's refill evicted page 1 (entry 1)");
        Assert.That(t.Lookup(3, 1, El1), Is.True, "page 1's refill took entry 2 (page 2); page 3 is still in entry 3");
        Assert.That(t.Lookup(2, 1, El1), Is.False);
    }

    [Test]
    public void MicroTlbMatchesAsidRegimeAndGlobal()
    {
        var t = new MicroTlb();
        t.Lookup(5, asid: 1, El1);
        Assert.That(t.Lookup(5, 2, El1), Is.False, "non-global entry of ASID 1");
        t.Lookup(7, asid: 1, El1, global: true);
        Assert.That(t.Lookup(7, 3, El1), Is.True, "global entry matches any ASID");
        Assert.That(t.Lookup(7, 3, El2), Is.False, "other regime");
    }

    [Test]
    public void MicroTlbInvalidateAll()
    {
        var t = new MicroTlb();
        for (ulong p = 0; p < 10; p++) t.Lookup(p, 1, El1);
        t.InvalidateAll();
        Assert.That(t.ValidEntries, Is.EqualTo(0));
        Assert.That(t.Lookup(5, 1, El1), Is.False);
        Assert.That(t.Lookup(5, 1, El1), Is.True);
    }

    [Test]
    public void MainTlbSetConflict()
    {
        // Pages 0, 128, 256, 384 fill set 0; page 512 replaces way 0 (page 0). Page 1 (set 1) is unaffected.
        var t = new MainTlb();
        Assert.That(t.Entries, Is.EqualTo(512));
        t.Lookup(1, 1, El1);
        for (ulong k = 0; k < 4; k++) Assert.That(t.Lookup(k * 128, 1, El1), Is.False);
        Assert.That(t.Lookup(512, 1, El1), Is.False);
        Assert.That(t.Lookup(128, 1, El1), Is.True);
        Assert.That(t.Lookup(1, 1, El1), Is.True);
        Assert.That(t.Lookup(0, 1, El1), Is.False, "page 0 was evicted");
    }

    [Test]
    public void MainTlbInvalidateAsidKeepsGlobalEntries()
    {
        var t = new MainTlb();
        t.Lookup(1, 5, El1);
        t.Lookup(2, 5, El1, global: true);
        t.Lookup(3, 6, El1);
        t.InvalidateAsid(5, El1);
        Assert.That(t.ValidEntries, Is.EqualTo(2));
        Assert.That(t.Lookup(2, 5, El1), Is.True);
        Assert.That(t.Lookup(3, 6, El1), Is.True);
        t.InvalidatePage(3, El1);
        Assert.That(t.Lookup(3, 6, El1), Is.False);
    }

    [Test]
    public void WalkCacheSkipsToTheLastLevelWithinA2MiBRegion()
    {
        var w = new WalkCache();
        const ulong va = 0x4000_0000;
        Assert.That(w.LevelsToRead(va, 1, El1, 4), Is.EqualTo(4), "cold: all four levels");
        Assert.That(w.LevelsToRead(va + 0x1F_F000, 1, El1, 4), Is.EqualTo(1), "same 2 MiB region: level 3 only");
        Assert.That(w.LevelsToRead(va + 0x20_0000, 1, El1, 4), Is.EqualTo(4), "next region");
        Assert.That(w.LevelsToRead(va, 2, El1, 4), Is.EqualTo(4), "other ASID");
        w.InvalidateAll();
        Assert.That(w.LevelsToRead(va, 1, El1, 3), Is.EqualTo(3));
    }

    [Test]
    public void WalkCacheSetConflict()
    {
        // Regions r, r+16, r+32, r+48 share set r & 15; a fifth (r+64) replaces way 0 (region r).
        var w = new WalkCache();
        const ulong r = 0x200;
        for (ulong k = 0; k < 5; k++) Assert.That(w.LevelsToRead((r + 16 * k) << 21, 1, El1, 4), Is.EqualTo(4));
        Assert.That(w.LevelsToRead((r + 16) << 21, 1, El1, 4), Is.EqualTo(1));
        Assert.That(w.LevelsToRead(r << 21, 1, El1, 4), Is.EqualTo(4), "region r was evicted");
    }
}
