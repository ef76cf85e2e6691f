using Aegis.Emu.AegisOs;
using Aegis.Emu.Tracing;
using Aegis.Emu.Tracing.Checkers;
using Aegis.Emulator.Cpu;
using Aegis.Kernel.Image;
using NUnit.Framework;

namespace Aegis.Tests.Tracing;

/// <summary>
/// The four checkers on the real kernel: the committed image for 2 simulated seconds (the `boot` default), and the
/// SCENARIO=elf image, whose task 2 (the stand-in hello ELF) calls SYS_EXIT, so the exit checker has work.
/// Expected: no violation (AegisOS enforces W^X, does break-before-make + TLBI in mmu.c, cleans and invalidates
/// loaded code in cache.c, and releases IPC/grant/IRQ resources in cleanup_task_resources).
/// </summary>
[TestFixture]
public class KernelCheckerTests
{
    private static (AegisOsMachine, TraceSession) Checked(string image, bool stop = true)
    {
        var machine = new AegisOsMachine(File.ReadAllBytes(image));
        var console = new System.Text.StringBuilder();
        machine.Board.ConsoleOutput = b => console.Append((char)b);
        var session = new TraceSession(machine.Cpu, machine.Symbols, null, new TraceFilter(), TraceSession.CheckerNames, stop);
        return (machine, session);
    }

    private static void AssertClean(TraceSession session)
    {
        foreach (var c in session.Checkers)
            Assert.That(c.Summary(), Is.EqualTo($"{c.Name}: no violations"));
    }

    /// <summary>About 1.76e9 hooked instructions: 21 min in a Debug test build on the loaded 2-core host (passed, 2026-11-24); `boot --seconds 2 --check all` in Release took 286 s.</summary>
    [Test, Category("Slow")]
    public void AegisOsPassesAllCheckersForTwoSimulatedSeconds()
    {
        var (machine, session) = Checked(KernelSymbols.FindImage());
        var reason = machine.Run(2_000_000_000);
        Assert.That(reason, Is.EqualTo(StopReason.CycleLimit), string.Join("\n", session.Checkers.Select(c => c.Summary())));
        AssertClean(session);
    }

    /// <summary>
    /// Exit, TLB and icache are clean. W^X is not (a finding, kept as such): task 2 executes its ELF code at
    /// PA 0x40100000 (<c>__elf_load_start</c>) while the kernel's tables still map that page writable at EL1.
    /// </summary>
    [Test]
    public void ElfScenarioTaskExitsCleanlyButItsCodePageStaysWritableAtEl1()
    {
        string image = Path.Combine(Path.GetDirectoryName(KernelSymbols.FindImage())!, "scenarios", "elf.elf");
        var (machine, session) = Checked(image, stop: false);
        var reason = machine.Run(30_000_000); // 3 ticks: task 2 prints L5:ELF and exits in the first
        Assert.That(reason, Is.EqualTo(StopReason.CycleLimit));
        var exit = session.Checkers.OfType<ExitChecker>().Single();
        Assert.That(exit.Exited, Is.EqualTo(new[] { 2 }), "task 2's SYS_EXIT completed (kernel: \"task 2 exited (code=0)\")");
        foreach (var c in session.Checkers.Where(c => c is not WxChecker))
            Assert.That(c.Summary(), Is.EqualTo($"{c.Name}: no violations"));
        var wx = session.Checkers.OfType<WxChecker>().Single().First;
        Assert.That(wx, Is.Not.Null);
        Assert.That((wx!.Pc, wx.El, wx.Task, wx.Symbol), Is.EqualTo((0x4010_0000UL, 0, 2, "__elf_load_start")));
        Assert.That(wx.What, Does.Contain("page 0x40100000"));
        TestContext.Out.WriteLine(wx);
    }
}
