using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Emulator.Mmu;
using NUnit.Framework;
using static Aegis.Tests.Mmu.PageTableRig;

namespace Aegis.Tests.Mmu;

/// <summary>
/// The CPU's data fast path must never return anything the modelled TLB would not (the TLB's behaviour is the
/// reference: Arm ARM D5.9, entries used until TLBI or replacement). Two identical boards run the same seeded
/// random mix of table edits without TLBI, TLBIs of every scope, ASID changes (most by MSR TTBR0_EL1, which keeps the
/// fast path's pages) and EL changes, instruction-fetch
/// translations and data accesses: one
/// through cpu.TryRead/TryWrite (fast path included), the other by calling Mmu.Translate and the bus for every
/// access. Values, faults and memory must agree. (A fast-path hit implies a TLB hit, so both TLBs see the same
/// fills and replacements.)
/// </summary>
public class MmuFastPathEquivalenceTests
{
    private const ulong DataPa = 0x4500_0000;

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void FastPathMatchesTheModelledTlb(int seed)
    {
        var test = new PageTableRig();
        var reference = new PageTableRig();
        var rng = new Random(seed);
        var (colliding, spare) = PagesSharingSetWithPage0();
        int[] pages = [.. colliding.Take(4), 1, 2, 3, 7, 300, 301];
        foreach (var r in new[] { test, reference })
        {
            r.Set(L2, 1, Table(Spare1));
            for (int i = 0; i < 4 * 4096; i += 8) r.Bus.Write(DataPa + (ulong)i, 8, 0x0101_0101_0101_0101UL * (ulong)(i / 8 % 251));
        }
        ulong spareVa = 0x4020_0000UL + (ulong)spare * 0x1000;
        ulong[] vas = [.. pages.Select(PageVa), spareVa];

        void Both(Action<PageTableRig> op) { op(test); op(reference); }
        ulong RandomDescriptor()
        {
            if (rng.Next(16) == 0) return 0;                                    // invalid
            ulong ap = rng.Next(2) == 0 ? 1UL : (ulong)rng.Next(4);             // mostly EL0 RW: fewer faults
            ulong d = Page(DataPa + (ulong)rng.Next(4) * 0x1000, ap << 6);
            if (rng.Next(2) == 0) d |= NG;
            if (rng.Next(20) == 0) d &= ~Af;
            return d;
        }

        int faults = 0, accesses = 0;
        for (int step = 0; step < 20_000; step++)
        {
            int op = rng.Next(100);
            if (op < 10)
            {
                // Edit a descriptor without TLBI.
                int k = rng.Next(vas.Length);
                ulong d = RandomDescriptor();
                Both(r => { if (k < pages.Length) r.Set(L3, pages[k], d); else r.Set(Spare1, spare, d); });
            }
            else if (op < 12)
            {
                int kind = rng.Next(4);
                ulong va = vas[rng.Next(vas.Length)];
                ushort asid = (ushort)rng.Next(3);
                bool lastLevel = rng.Next(2) == 0;
                Both(r => r.Tlbi(m =>
                {
                    switch (kind)
                    {
                        case 0: m.InvalidateVa(va, asid, anyAsid: false, lastLevelOnly: lastLevel); break;
                        case 1: m.InvalidateVa(va, asid, anyAsid: true, lastLevelOnly: false); break;
                        case 2: m.InvalidateAsid(asid); break;
                        default: m.InvalidateAllEl1(); break;
                    }
                }));
            }
            else if (op < 13)
            {
                // A new ASID, set as a library user does (the registers, then InvalidateFetch), or as MSR TTBR0_EL1 does:
                // the fast path's pages then stay, matched against the new ASID as the TLB's entries are.
                ulong asid = (ulong)rng.Next(3);
                bool msr = rng.Next(4) != 0;
                Both(r =>
                {
                    if (msr) SystemRegisterTable.Find(3, 0, 2, 0, 0)!.Write!(r.Cpu, L1 | (asid << 48));
                    else { r.Regs.TTBR0_EL1 = L1 | (asid << 48); r.Cpu.InvalidateFetch(); }
                });
            }
            else if (op < 14)
            {
                int el = rng.Next(2);
                Both(r => r.Cpu.SetExceptionLevel(el, spSel: el == 1));
            }
            else if (op < 24)
            {
                // An instruction-fetch translation (as the run loop's RefillFetch makes): it may fill and replace
                // TLB entries behind the data path's back.
                ulong va = vas[rng.Next(vas.Length)];
                Both(r => r.Mmu.Translate(va, AccessKind.Fetch, r.Cpu.EL, false, out _, out _));
            }
            else
            {
                ulong va = vas[rng.Next(vas.Length)];
                int size = 1 << rng.Next(4);
                va += (ulong)rng.Next(4096 / size) * (ulong)size;
                bool write = rng.Next(3) == 0;
                bool unprivileged = rng.Next(8) == 0;
                ulong value = (ulong)rng.NextInt64();
                if (size < 8) value &= (1UL << (8 * size)) - 1;
                var flags = unprivileged ? AccessFlags.Unprivileged : AccessFlags.None;
                int elBefore = test.Cpu.EL;

                bool ok = write ? test.Cpu.TryWrite(va, size, value, flags) : test.Cpu.TryRead(va, size, out value, flags);
                ulong got = ok ? value : test.Cpu.EsrEl[1] & 0x3F;

                int el = unprivileged && elBefore == 1 ? 0 : elBefore;
                var kind = write ? AccessKind.Write : AccessKind.Read;
                bool refOk = reference.Mmu.Translate(va, kind, elBefore, el != elBefore, out var t, out var f);
                ulong expected;
                if (!refOk) expected = f.StatusCode;
                else if (write) { Assert.That(reference.Bus.Write(t.PhysicalAddress, size, value), Is.True); expected = value; }
                else { Assert.That(reference.Bus.Read(t.PhysicalAddress, size, out expected), Is.True); }

                Assert.That((ok, got), Is.EqualTo((refOk, expected)), $"seed {seed} step {step}: {(write ? "write" : "read")}{size} 0x{va:X} EL{elBefore}{(unprivileged ? " unpriv" : "")}");
                accesses++;
                if (!ok) { faults++; reference.Cpu.SetExceptionLevel(test.Cpu.EL, spSel: true); }
            }
        }
        Assert.That(faults, Is.GreaterThan(100), "the mix must exercise faults");
        Assert.That(faults, Is.LessThan(accesses - 1000), "and successful accesses");
        for (ulong off = 0; off < 4 * 4096; off += 8)
        {
            test.Bus.Read(DataPa + off, 8, out ulong a);
            reference.Bus.Read(DataPa + off, 8, out ulong b);
            Assert.That(a, Is.EqualTo(b), $"memory at 0x{DataPa + off:X}");
        }
    }
}
