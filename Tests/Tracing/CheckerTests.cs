using Aegis.Emu.Tracing.Checkers;
using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.Tracing.CheckerGuests;

namespace Aegis.Tests.Tracing;

/// <summary>
/// Each checker against a faulty guest (caught, with the right instruction and page) and its corrected twin
/// (no violation). Expected rules: Arm ARM D5.10.1/D5.10.2 (TLB maintenance, break-before-make), B2.4.4 and
/// D4.4.7 (instruction-cache maintenance for modified code), and AegisOS's W^X and SYS_EXIT contracts.
/// </summary>
[TestFixture]
public class CheckerTests
{
    private static ulong At(int word) => CpuHarness.CodeBase + (ulong)word * 4;

    // ---- W^X ----

    [Test]
    public void WxCatchesAFetchFromItsOwnWritableMapping()
    {
        var h = CpuHarness.FromAsm([.. EnableMmu, "nop", "nop"]);
        BuildTables(h, Rw); // code page RW and executable (SCTLR.WXN = 0)
        var wx = Attach(h, t => new WxChecker(h.Cpu, null, t) { StopOnViolation = true });
        h.Cpu.Run(100);
        Assert.That(wx.First, Is.Not.Null, wx.Summary());
        Assert.That(wx.First!.Pc, Is.EqualTo(At(FirstMmuOnInstruction)), "the first instruction fetched with the MMU on");
        Assert.That(wx.First.El, Is.EqualTo(1));
        Assert.That(wx.First.What, Does.Contain("page 0x40000000").And.Contain("through VA 0x40000000 in TTBR0_EL1 ASID 0")
            .And.Contain($"descriptor at PA 0x{L3:x} ="));
        Assert.That(h.Cpu.PC, Is.EqualTo(At(FirstMmuOnInstruction)), "stopped before executing it");
    }

    [Test]
    public void WxCatchesAWritableAliasOfAReadOnlyCodePage()
    {
        var h = CpuHarness.FromAsm([.. EnableMmu, "nop", "nop"]);
        BuildTables(h, RoEl1);
        h.Write(L3 + 0x10 * 8, 8, Page(0x4000_0000, Rw | Xn)); // VA 0x40010000: RW, never executable, same PA
        var wx = Attach(h, t => new WxChecker(h.Cpu, null, t) { StopOnViolation = true });
        h.Cpu.Run(100);
        Assert.That(wx.First, Is.Not.Null, wx.Summary());
        Assert.That(wx.First!.Pc, Is.EqualTo(At(FirstMmuOnInstruction)));
        Assert.That(wx.First.What, Does.Contain("through VA 0x40010000 in TTBR0_EL1 ASID 0")
            .And.Contain($"descriptor at PA 0x{L3 + 0x80:x} = 0x{Page(0x4000_0000, Rw | Xn):x16}"));
    }

    [Test]
    public void WxIsQuietForReadOnlyCodeWithoutAlias()
    {
        var h = CpuHarness.FromAsm([.. EnableMmu, "nop", "mov x5, #7"]);
        BuildTables(h, RoEl1);
        var wx = Attach(h, t => new WxChecker(h.Cpu, null, t) { StopOnViolation = true });
        h.Cpu.Run(FirstMmuOnInstruction + 3);
        Assert.That(h.X(5), Is.EqualTo(7), "ran to the end with the MMU on");
        Assert.That(wx.Summary(), Is.EqualTo("wx: no violations"));
    }

    // ---- TLB ----

    private static string[] TlbGuest(bool tlbi) =>
    [
        .. EnableMmu,
        "movz x1, #0x4010, lsl #16", "add x1, x1, #0x4000",        // x1 = VA 0x40104000 (RW data)
        "ldr x2, [x1]",                                             // the TLB now holds its entry
        "movz x3, #0x4010, lsl #16", "add x3, x3, #0x2000", "add x3, x3, #0x820", // &L3[0x104]
        "ldr x4, [x3]", "add x4, x4, #0x1000", "str x4, [x3]",     // remap VA 0x40104000 -> PA 0x40105000
        "dsb ish",
        .. tlbi ? new[] { "lsr x5, x1, #12", "tlbi vaae1, x5", "dsb ish", "isb" } : [],
        "ldr x6, [x1]",
        "mov x7, #1",
    ];

    [Test]
    public void TlbCatchesADescriptorChangedWithoutTlbi()
    {
        var code = TlbGuest(tlbi: false);
        var h = CpuHarness.FromAsm(code);
        BuildTables(h, RoEl1);
        var tlb = Attach(h, t => new TlbChecker(h.Cpu, null, t) { StopOnViolation = true });
        h.Cpu.Run(200);
        Assert.That(tlb.First, Is.Not.Null, tlb.Summary());
        Assert.That(tlb.First!.Pc, Is.EqualTo(At(Array.IndexOf(code, "ldr x6, [x1]"))), "the load after the remap");
        Assert.That(tlb.First.What, Does.Contain("VA 0x40104000").And.Contain($"descriptor at PA 0x{L3 + 0x820:x}"));
    }

    [Test]
    public void TlbIsQuietWithTheTlbi()
    {
        var code = TlbGuest(tlbi: true);
        var h = CpuHarness.FromAsm(code);
        BuildTables(h, RoEl1);
        h.Write(0x4010_5000, 8, 0x1234);
        var tlb = Attach(h, t => new TlbChecker(h.Cpu, null, t) { StopOnViolation = true });
        h.Cpu.Run((ulong)code.Length);
        Assert.That(h.X(7), Is.EqualTo(1), "ran to the end");
        Assert.That(h.X(6), Is.EqualTo(0x1234), "the load used the new mapping (PA 0x40105000)");
        Assert.That(tlb.Summary(), Is.EqualTo("tlb: no violations"));
    }

    // ---- instruction cache ----

    private static string[] ICacheGuest(string[] maintenance) =>
    [
        "adr x1, target",
        "movz w2, #0x0540", "movk w2, #0xd280, lsl #16",           // "mov x0, #42" (llvm-mc: d2800540)
        "str w2, [x1]",
        .. maintenance,
        "target:", "nop",
        "mov x7, #1",
    ];

    [Test]
    public void ICacheCatchesCodeRunWithoutMaintenance()
    {
        var code = ICacheGuest(["dsb ish", "isb"]);
        var h = CpuHarness.FromAsm(code);
        var ic = Attach(h, t => new ICacheChecker(h.Cpu, null, t) { StopOnViolation = true });
        h.Cpu.Run(100);
        Assert.That(ic.First, Is.Not.Null, ic.Summary());
        Assert.That(ic.First!.Pc, Is.EqualTo(At(6)), "the overwritten instruction (target)");
        Assert.That(ic.First.What, Does.Contain($"written by the instruction at 0x{At(3):x}").And.Contain("without DC CVAU"));
    }

    [Test]
    public void ICacheCatchesCleanWithoutInvalidate()
    {
        var code = ICacheGuest(["dc cvau, x1", "dsb ish", "isb"]);
        var h = CpuHarness.FromAsm(code);
        var ic = Attach(h, t => new ICacheChecker(h.Cpu, null, t) { StopOnViolation = true });
        h.Cpu.Run(100);
        Assert.That(ic.First, Is.Not.Null, ic.Summary());
        Assert.That(ic.First!.Pc, Is.EqualTo(At(7)));
        Assert.That(ic.First.What, Does.Contain("not invalidated"));
    }

    [TestCase("ic ivau, x1")]
    [TestCase("ic iallu")]
    public void ICacheIsQuietWithCleanAndInvalidate(string invalidate)
    {
        var code = ICacheGuest(["dc cvau, x1", "dsb ish", invalidate, "dsb ish", "isb"]);
        var h = CpuHarness.FromAsm(code);
        var ic = Attach(h, t => new ICacheChecker(h.Cpu, null, t) { StopOnViolation = true });
        h.Cpu.Run((ulong)code.Length);
        Assert.That(h.X(0), Is.EqualTo(42), "the written instruction ran");
        Assert.That(ic.Summary(), Is.EqualTo("icache: no violations"));
    }

    // ---- exit ----

    /// <summary>EL1 drops to EL0 (TTBR0 ASID 1 = AegisOS task 0); the task calls SYS_EXIT (x7 = 13); the "kernel" just ERETs back.</summary>
    private static readonly string[] ExitGuest =
    [
        "adr x0, vectors", "msr vbar_el1, x0",
        "mov x0, #1", "lsl x0, x0, #48", "msr ttbr0_el1, x0",
        "msr spsr_el1, xzr", "adr x0, user", "msr elr_el1, x0", "eret",
        "user:", "mov x7, #13", "svc #0", "mov x0, #1", "b .",
        ".balign 2048", "vectors:", ".skip 0x400", "eret",
    ];

    [Test]
    public void ExitCatchesATaskThatRunsAfterSysExit()
    {
        var h = CpuHarness.FromAsm(ExitGuest);
        var exit = Attach(h, t => new ExitChecker(h.Cpu, null, t) { StopOnViolation = true });
        h.Cpu.Run(100);
        Assert.That(exit.Exited, Is.EqualTo(new[] { 0 }));
        Assert.That(exit.First, Is.Not.Null, exit.Summary());
        Assert.That(exit.First!.Pc, Is.EqualTo(At(11)), "the instruction after the SVC");
        Assert.That(exit.First.El, Is.EqualTo(0));
        Assert.That(exit.First.Task, Is.EqualTo(0));
        Assert.That(exit.First.What, Does.Contain("task 0 executes again"));
    }
}
