using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using Aegis.Tests.Tracing;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.Engines;

/// <summary>
/// Under `a53` with the MMU and caches on, a translated block checks its loads and stores against the lines they hit
/// recently (MemoryTiming.BlockHits), and its fetches against the lines they hit (MemoryTiming.BlockFetchHits), instead
/// of calling the model. A loop of loads, stores and pairs over seven lines (a pair across two, after a hit in the
/// first), after a call of a function in the next page (its fetches change page twice: a line of another page needs its
/// page in the instruction micro TLB), runs nine times: after the MMU and caches are turned on (one line only loaded,
/// so remembered clean); after an SVC (a new epoch, the same context: the lines stay, and the loop now stores to that
/// clean line, which must make it dirty); after an IC IALLU (the L1I empty: no fetched line holds); after LDARs (the
/// model's own path) that fill lines in 12 other pages, and again after they refill the data micro TLB without changing
/// L1D (the data page's entry evicted: its lines no longer hold) and calls into 11 other pages refill the instruction
/// micro TLB; after an ASID change (a new context); after a TLBI that empties the micro TLBs; then a sweep over one
/// cache set evicts the dirty line (a write-back only if it became dirty; each step reloads the set's first line, which
/// a miss may have evicted); after the data page is remapped to another PA (the same VA lines, other lines in L1D); and
/// after MAIR makes the data pages' attribute Normal Non-cacheable (their lines no longer hold, while another page's
/// hit still does). The interpreter is the reference: the same cycles, registers and PMU counts on both engines.
/// </summary>
[TestFixture]
public class BlockLineEngineTests
{
    private const ulong Base = CpuHarness.CodeBase;
    private const ulong Data = 0x4010_6000, Remapped = 0x4010_7000;

    /// <param name="sliced">The translated run in slices of 1 to 100 steps: blocks stop inside their passes, where the
    /// front end's line (a fetch hit counted without a call leaves it as the call would) decides whether the next
    /// instruction fetches.</param>
    [TestCase(false)]
    [TestCase(true)]
    public void RememberedLinesMatchTheInterpreterAcrossContextChanges(bool sliced)
    {
        var reference = Run(ExecutionEngine.Interpreter);
        var translated = Run(ExecutionEngine.Translator, sliced);
        Assert.That(reference.Svcs, Is.EqualTo(1UL));
        Assert.That(reference.L1dTlbRefills, Is.GreaterThanOrEqualTo(3UL), "the ASID change and the TLBI refill the data micro TLB");
        Assert.That(reference.WriteBacks, Is.GreaterThanOrEqualTo(1UL), "the sweep evicts a dirty line");
        Assert.That(reference.Bus, Is.GreaterThanOrEqualTo(1200UL), "the last pass is Non-cacheable");
        Assert.That(reference.Calls, Is.EqualTo(9UL), "every call of the loop called the function in the next page");
        Assert.That(reference.L1iTlbRefills, Is.GreaterThanOrEqualTo(2UL), "the ASID change and the TLBI refill the instruction micro TLB");
        Assert.That(translated, Is.EqualTo(reference));
    }

    private static (ulong Pc, ulong Svcs, ulong Sum, ulong Cycles, ulong Retired, ulong L1d, ulong L1dRefills, ulong L1dTlbRefills, ulong WriteBacks,
        ulong Bus, ulong MemAccesses, ulong L1i, ulong L1iRefills, ulong L1iTlbRefills, ulong Calls, ulong Predicted, ulong Mispredicted,
        ulong Loads, ulong Stores)
        Run(ExecutionEngine engine, bool sliced = false)
    {
        var code = Layout([
            (0x000, string.Join("\n", CheckerGuests.EnableMmu) + """

                mov x0, #0xffff
                msr mair_el1, x0
                mrs x0, sctlr_el1
                mov x1, #0x1004
                orr x0, x0, x1
                msr sctlr_el1, x0
                isb
                mov x3, #200
                blr x20
                svc #0
                mov x4, #1
                mov x3, #200
                blr x20
                ic iallu
                dsb sy
                isb
                mov x3, #200
                blr x20
                blr x23
                mov x3, #200
                blr x20
                blr x23
                blr x28
                mov x3, #200
                blr x20
                movz x0, #0x4010, lsl #16
                movk x0, #1, lsl #48
                msr ttbr0_el1, x0
                isb
                mov x3, #200
                blr x20
                tlbi vmalle1
                dsb sy
                isb
                mov x3, #200
                blr x20
                movz x5, #0x8140
                movk x5, #0x4010, lsl #16
                mov x7, #4
                sweep:
                mov x6, x5
                mov x8, #8
                inner:
                ldr x12, [x5]
                ldr x9, [x6]
                add x6, x6, #2, lsl #12
                subs x8, x8, #1
                b.ne inner
                subs x7, x7, #1
                b.ne sweep
                str x21, [x22]
                dsb sy
                tlbi vmalle1
                dsb sy
                isb
                mov x3, #200
                blr x20
                mov x0, #0x44ff
                msr mair_el1, x0
                isb
                mov x3, #200
                blr x20
                b .
                """),
            // The loop crosses from one 64-byte line into the next at 0x340. Its first instruction is not a load, so that
            // its block runs from the first pass after a context change (a first load might leave for the interpreter).
            // Before it, a call of a function in the next page: the fetches change page twice (a remembered line of
            // another page hits only while the instruction micro TLB holds its page).
            (0x328, """
                mov x24, x30
                blr x26
                loop:
                add x19, x19, #1
                ldr x18, [x17]
                ldr x10, [x2]
                add x11, x11, x10
                str x11, [x2, #72]
                ldp x12, x13, [x2, #128]
                stp x12, x11, [x2, #192]
                ldr x15, [x2, #256]
                add x11, x11, x12
                str x15, [x2, #264]
                ldr x16, [x2, #320]
                ldr x16, [x2, #320]
                ldp x12, x13, [x2, #376]
                cbz x4, skip
                str x16, [x2, #328]
                skip:
                subs x3, x3, #1
                b.ne loop
                ret x24
                """),
            // LDAR (a handler: the model's own access path) one line in each of 12 pages, in 12 L1D sets: the first call
            // fills the lines, the second hits them but refills the 10-entry data micro TLB, which evicts the data page.
            (0x500, """
                movz x6, #0x8000
                movk x6, #0x4010, lsl #16
                mov x8, #12
                touch:
                ldar x9, [x6]
                add x6, x6, #2, lsl #12
                add x6, x6, #64
                subs x8, x8, #1
                b.ne touch
                ret
                """),
            // A call into each of 11 more pages: their fetches refill the instruction micro TLB. Each at 0x800 in its page: none of their lines takes the fetch memo's entry of the called
            // function's line (512 lines, by VA line).
            (0x600, """
                movz x6, #0x2800
                movk x6, #0x4000, lsl #16
                mov x8, #11
                mov x27, x30
                pages:
                blr x6
                add x6, x6, #1, lsl #12
                subs x8, x8, #1
                b.ne pages
                ret x27
                """),
            // SVC from the current EL with SP_ELx.
            (0xA00, """
                add x14, x14, #1
                eret
                """),
            (0x1000, """
                add x25, x25, #1
                ret
                """),
            .. Enumerable.Range(2, 11).Select(k => (k * 0x1000 + 0x800, "ret"))]);
        var h = new CpuHarness(code, options: new VirtBoardOptions { Timing = TimingModels.A53, Engine = engine });
        h.Cpu.HotBlock = 1;
        h.Cpu.VbarEl[1] = Base + 0x800;
        CheckerGuests.BuildTables(h, CheckerGuests.Rw);
        for (ulong k = 1; k <= 12; k++) h.Write(CheckerGuests.L3 + k * 8, 8, CheckerGuests.Page(Base + k * 0x1000, CheckerGuests.Rw)); // more code
        // The data page, the page it is remapped to, and the pages the sweep and LDARs read (8 KiB apart: the sweep's
        // lines are in one L1D set).
        // The data pages use MAIR attribute 1, the others 0.
        foreach (ulong pa in new[] { Data, Remapped }.Concat(Enumerable.Range(0, 12).Select(k => 0x4010_8000UL + (ulong)k * 0x2000)))
            h.Write(CheckerGuests.L3 + (pa - 0x4000_0000) / 0x1000 * 8, 8, CheckerGuests.Page(pa, DataAttrs(pa)));
        h.Write(Data, 8, 3);
        h.Write(Data + 128, 8, 5);
        h.Write(Remapped, 8, 7);
        h.SetX(2, Data).SetX(17, 0x4010_8000).SetX(20, Base + 0x328).SetX(23, Base + 0x500).SetX(26, Base + 0x1000).SetX(28, Base + 0x600);
        h.SetX(21, CheckerGuests.Page(Remapped, DataAttrs(Remapped))).SetX(22, CheckerGuests.L3 + 0x106 * 8);
        EngineRuns.Run(h.Cpu, 60_000, sliced);
        Assert.That(h.Read(h.Cpu.PC, 4), Is.EqualTo(0x1400_0000UL), $"{engine}: at the final b .");
        var pmu = h.Cpu.PerfEvents;
        return (h.Cpu.PC, h.X(14), h.X(11), h.Cpu.Cycles, h.Cpu.Retired, pmu.Total(PmuEvent.L1D_CACHE, 1), pmu.Total(PmuEvent.L1D_CACHE_REFILL, 1),
            pmu.Total(PmuEvent.L1D_TLB_REFILL, 1), pmu.Total(PmuEvent.L1D_CACHE_WB, 1), pmu.Total(PmuEvent.BUS_ACCESS, 1),
            pmu.Total(PmuEvent.MEM_ACCESS, 1), pmu.Total(PmuEvent.L1I_CACHE, 1), pmu.Total(PmuEvent.L1I_CACHE_REFILL, 1),
            pmu.Total(PmuEvent.L1I_TLB_REFILL, 1), h.X(25), pmu.Total(PmuEvent.BR_PRED, 1), pmu.Total(PmuEvent.BR_MIS_PRED, 1),
            pmu.Total(PmuEvent.LD_RETIRED, 1), pmu.Total(PmuEvent.ST_RETIRED, 1));
    }

    private static ulong DataAttrs(ulong pa) => CheckerGuests.Rw | CheckerGuests.Xn | (pa is Data or Remapped ? 1UL << 2 : 0);
}
