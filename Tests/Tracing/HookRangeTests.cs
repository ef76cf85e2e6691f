using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Tracing;

/// <summary>
/// Hooks by address range and removal by handle (Emulator.Cpu/Hooks/Cpu.Hooks.cs). The expected counts are the
/// programs' own arithmetic: each loop below runs its body a known number of times. The fast paths are what make
/// ranges worth having; that they stay on outside a range is measured in Benchmarks (HookRangeBenchmark), here only
/// that every access inside is seen whether or not the page was in the fast path before the hook came.
/// </summary>
[TestFixture]
public class HookRangeTests
{
    private const ulong PageA = CpuHarness.DataBase, PageB = CpuHarness.DataBase + 0x1000;

    /// <summary>Five rounds of: store to page A, store to page B, load from page B. 2 + 5 x 5 = 27 instructions.</summary>
    private static CpuHarness Program() => CpuHarness.FromAsm(
        "movz x1, #0x4010, lsl #16",
        "mov x2, #5",
        "1: str x2, [x1]",
        "str x2, [x1, #0x1000]",
        "ldr x3, [x1, #0x1000]",
        "subs x2, x2, #1",
        "b.ne 1b");

    private static void RunFromStart(CpuHarness h)
    {
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Run();
        Assert.That(h.X(2), Is.Zero);
    }

    [Test]
    public void MemoryHookSeesItsRangeOnlyEvenAfterTheFastPathHeldThePages()
    {
        var h = Program();
        RunFromStart(h); // both pages now in the data fast path
        var seen = new List<(ulong Va, bool Write, ulong Value)>();
        var handle = h.Cpu.AddHook(Hook.MemoryAccess((Cpu _, in MemoryAccess a) => seen.Add((a.Va, a.IsWrite, a.Value))), PageB, PageB + 0xFFF);
        RunFromStart(h);
        var expected = new List<(ulong, bool, ulong)>();
        for (ulong i = 5; i >= 1; i--) { expected.Add((PageB, true, i)); expected.Add((PageB, false, i)); }
        Assert.That(seen, Is.EqualTo(expected), "page B's 5 stores and 5 loads, in order; page A's stores not at all");

        handle.Remove();
        Assert.That(handle.IsAttached, Is.False);
        RunFromStart(h);
        Assert.That(seen, Has.Count.EqualTo(10), "removed: silent");
        handle.Remove(); // twice is harmless
    }

    [Test]
    public void FetchAndRetireHooksFireForTheirInstructionsOnly()
    {
        var h = Program();
        ulong loadPc = CpuHarness.CodeBase + 4 * 4; // the ldr
        int fetches = 0, retires = 0, all = 0;
        var f = h.Cpu.AddHook(Hook.Fetch((_, pc, _, _) => { Assert.That(pc, Is.EqualTo(loadPc)); fetches++; }), loadPc, loadPc);
        var r = h.Cpu.AddHook(Hook.Retire((_, pc, _) => { Assert.That(pc, Is.EqualTo(loadPc)); retires++; }), loadPc, loadPc + 3);
        var everything = h.Cpu.AddHook(Hook.Retire((_, _, _) => all++));
        RunFromStart(h);
        Assert.That((fetches, retires, all), Is.EqualTo((5, 5, 27)));

        everything.Remove(); // one subscriber leaves; the others stay
        RunFromStart(h);
        Assert.That((fetches, retires, all), Is.EqualTo((10, 10, 27)));
        f.Remove();
        r.Dispose();
        Assert.That(h.Cpu.HasHooks, Is.False);
        RunFromStart(h);
        Assert.That((fetches, retires), Is.EqualTo((10, 10)));
    }

    [Test]
    public void ACodeHookOnAnotherPageLeavesTheRunIdentical()
    {
        // Same registers, instructions and cycles with a fetch hook on a page the program never executes.
        var plain = Program();
        RunFromStart(plain);
        var hooked = Program();
        int calls = 0;
        hooked.Cpu.AddHook(Hook.Fetch((_, _, _, _) => calls++), CpuHarness.CodeBase + 0x10000, CpuHarness.CodeBase + 0x10FFF);
        RunFromStart(hooked);
        Assert.That(calls, Is.Zero);
        Assert.That((hooked.Cpu.Retired, hooked.Cpu.Cycles, hooked.X(3)), Is.EqualTo((plain.Cpu.Retired, plain.Cpu.Cycles, plain.X(3))));
    }

    [Test]
    public void AFetchHookMayStopBeforeTheInstruction()
    {
        var h = Program();
        ulong loadPc = CpuHarness.CodeBase + 4 * 4;
        h.Cpu.AddHook(Hook.Fetch((c, _, _, _) => c.RequestStop()), loadPc, loadPc);
        h.Cpu.PC = CpuHarness.CodeBase;
        Assert.That(h.Cpu.Run(1000), Is.EqualTo(StopReason.Requested));
        Assert.That(h.Cpu.PC, Is.EqualTo(loadPc));
        Assert.That(h.Cpu.Retired, Is.EqualTo(4UL), "movz, mov, str, str");
    }

    [Test]
    public void ExceptionEntryHooksFilterOnThePreferredReturnAddress()
    {
        // svc #1 at +4 and svc #2 at +8; an SVC's preferred return is the next instruction (Arm ARM D1.10.1), so a
        // hook on +12 sees svc #2 only. The vector (VBAR_EL1 + 0x200: current EL, SP_ELx) is an ERET back.
        var h = CpuHarness.FromAsm("nop", "svc #1", "svc #2", "nop");
        ulong vbar = CpuHarness.CodeBase + 0x800;
        h.Write(vbar + 0x200, 4, 0xD69F03E0); // eret
        h.Cpu.VbarEl[1] = vbar;
        var seen = new List<uint>();
        h.Cpu.AddHook(Hook.ExceptionEntry((_, el, _, esr, ret) => seen.Add(esr & 0xFFFF)), CpuHarness.CodeBase + 12, CpuHarness.CodeBase + 12);
        int returns = 0;
        h.Cpu.AddHook(Hook.ExceptionReturn(_ => returns++));
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.Run(7); // nop, svc, eret, svc, eret, nop + 1 more step
        Assert.That(seen, Is.EqualTo(new[] { 2u }));
        Assert.That(returns, Is.EqualTo(2));
    }

    [Test]
    public void CodePageWriteHookSeesAWriteToCodeThatRan()
    {
        var h = Program();
        RunFromStart(h);
        var pages = new List<ulong>();
        h.Cpu.AddHook(Hook.CodePageWrite((_, pa) => pages.Add(pa)));
        h.Write(PageA, 8, 1); // data: no decoded code there
        h.Write(CpuHarness.CodeBase + 0x20, 4, 0xD503201F); // a NOP past the program, in its decoded page
        h.Write(CpuHarness.CodeBase + 0x24, 4, 0xD503201F); // the page's decoded code is already dropped: once only
        Assert.That(pages, Is.EqualTo(new[] { CpuHarness.CodeBase }));
    }

    [Test]
    public void AnEmptyRangeIsRefused() =>
        Assert.Throws<ArgumentException>(() => Program().Cpu.AddHook(Hook.Fetch((_, _, _, _) => { }), 2, 1));
}
