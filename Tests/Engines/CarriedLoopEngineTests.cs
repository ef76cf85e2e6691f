using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Timing.A53;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using Aegis.Tests.Tracing;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.Engines;

/// <summary>
/// A short self-loop's passes after the first start from the pipeline state the pass before carried in locals
/// (A53BlockTiming.Carry), not from the model's fields. Three such loops run with the MMU and caches on, then again with
/// them off (other copies of them, so that their blocks are made to predict the MMU-off costs): an eight-byte copy over 512 bytes (a memcpy's loop: its loads and
/// stores move to a new line every eight passes), a loop whose first instruction is a handler (LDAR: the model's own
/// access path, so the pass's first fetch is the model's), and a loop whose dual issues are decided at run time. The
/// interpreter is the reference: the same cycles, registers, dual issues and PMU counts on both engines, run whole or in
/// slices of 1 to 100 steps (blocks stop inside their passes).
/// </summary>
[TestFixture]
public class CarriedLoopEngineTests
{
    private const ulong Base = CpuHarness.CodeBase;
    private const ulong Source = 0x4012_0000, Destination = 0x4012_2000;

    [TestCase(false)]
    [TestCase(true)]
    public void CarriedPassesMatchTheInterpreter(bool sliced)
    {
        var reference = Run(ExecutionEngine.Interpreter);
        var translated = Run(ExecutionEngine.Translator, sliced);
        Assert.That(reference.Copied, Is.EqualTo(2 * Enumerable.Range(0, 64).Sum(k => (long)k * 3 + 1)), "both copies copied every word");
        Assert.That(reference.Bus, Is.GreaterThan(0UL), "the second run has the MMU off");
        Assert.That(translated.BlocksRun, Is.GreaterThan(0L));
        Assert.That(translated with { BlocksRun = 0 }, Is.EqualTo(reference with { BlocksRun = 0 }));
    }

    // A memcpy's aligned loop (the AegisOS kernel's, compiled by clang -O2).
    private const string Memcpy = """
        cbz x2, done
        mov x8, xzr
        copy:
        ldr x9, [x1, x8]
        str x9, [x0, x8]
        add x8, x8, #8
        cmp x8, x2
        b.lo copy
        done:
        ret
        """;

    private static (ulong Pc, long Copied, ulong X5, ulong Cycles, ulong Retired, ulong Dual, ulong L1d, ulong L1i, ulong Bus,
        ulong Predicted, ulong Mispredicted, ulong Loads, ulong Stores, long BlocksRun) Run(ExecutionEngine engine, bool sliced = false)
    {
        var code = Layout([
            (0x000, EngineRuns.MmuAndCachesOn + """
                blr x20
                mrs x0, sctlr_el1
                mov x1, #0x1005
                bic x0, x0, x1
                msr sctlr_el1, x0
                isb
                blr x25
                b .
                """),
            (0x200, """
                mov x24, x30
                mov x0, x22
                mov x1, x21
                mov x2, #512
                blr x23
                mov x6, #40
                mov x1, x21
                again:
                ldar x9, [x1]
                add x5, x5, x9
                subs x6, x6, #1
                b.ne again
                mov x6, #50
                mix:
                add x7, x7, x6
                mul x8, x7, x6
                add x5, x5, x8
                eor x7, x7, x5
                subs x6, x6, #1
                b.ne mix
                ret x24
                """),
            (0x600, """
                mov x24, x30
                mov x0, x22
                mov x1, x21
                mov x2, #512
                blr x26
                mov x6, #40
                mov x1, x21
                again2:
                ldar x9, [x1]
                add x5, x5, x9
                subs x6, x6, #1
                b.ne again2
                mov x6, #50
                mix2:
                add x7, x7, x6
                mul x8, x7, x6
                add x5, x5, x8
                eor x7, x7, x5
                subs x6, x6, #1
                b.ne mix2
                ret x24
                """),
            // A memcpy's aligned loop (the AegisOS kernel's, compiled by clang -O2).
            (0x400, Memcpy),
            (0x800, Memcpy)]);
        var h = new CpuHarness(code, options: new VirtBoardOptions { Timing = TimingModels.A53, Engine = engine });
        h.Cpu.HotBlock = 1;
        CheckerGuests.BuildTables(h, CheckerGuests.Rw);
        foreach (ulong pa in new[] { Source, Destination })
            h.Write(CheckerGuests.L3 + (pa - 0x4000_0000) / 0x1000 * 8, 8, CheckerGuests.Page(pa, CheckerGuests.Rw | CheckerGuests.Xn));
        for (ulong k = 0; k < 64; k++) h.Write(Source + 8 * k, 8, 3 * k + 1);
        h.SetX(20, Base + 0x200).SetX(21, Source).SetX(22, Destination).SetX(23, Base + 0x400).SetX(25, Base + 0x600).SetX(26, Base + 0x800);
        const ulong steps = 4_000;
        EngineRuns.Run(h.Cpu, steps, sliced);
        Assert.That(h.Read(h.Cpu.PC, 4), Is.EqualTo(0x1400_0000UL), $"{engine}: at the final b .");
        long copied = 0;
        for (ulong k = 0; k < 64; k++) copied += (long)h.Read(Destination + 8 * k, 8);
        var pmu = h.Cpu.PerfEvents;
        return (h.Cpu.PC, 2 * copied, h.X(5), h.Cpu.Cycles, h.Cpu.Retired, ((A53Model)h.Cpu.Timing).Stats.DualIssued,
            pmu.Total(PmuEvent.L1D_CACHE, 1), pmu.Total(PmuEvent.L1I_CACHE, 1), pmu.Total(PmuEvent.BUS_ACCESS, 1),
            pmu.Total(PmuEvent.BR_PRED, 1), pmu.Total(PmuEvent.BR_MIS_PRED, 1), pmu.Total(PmuEvent.LD_RETIRED, 1),
            pmu.Total(PmuEvent.ST_RETIRED, 1), h.Cpu.Translations.BlocksRun);
    }
}
