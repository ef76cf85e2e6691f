using Aegis.Emu.AegisOs;
using Aegis.Emu.Tracing;
using Aegis.Emu.Tracing.Checkers;
using Aegis.Emulator.Cpu;
using Aegis.Kernel.Image;
using NUnit.Framework;

namespace Aegis.Tests.Tracing;

/// <summary>
/// The four checkers on the real kernel: the committed image with its default bundle for 2 simulated seconds (the
/// `boot` default), and the SCENARIO=elf image. What makes them hold: break-before-make + TLBI in mmu.c, clean +
/// invalidate of loaded code in cache.c, cleanup_task_resources on exit, and deviation 6 (loaded ELF code is
/// read-only in every table, the kernel set included).
/// </summary>
[TestFixture]
public class KernelCheckerTests
{
    private static (AegisOsMachine, TraceSession) Checked(string image, bool stop = true, byte[]? bundle = null, IEnumerable<string>? checks = null)
    {
        var machine = new AegisOsMachine(File.ReadAllBytes(image), bundle: bundle);
        var console = new System.Text.StringBuilder();
        machine.Board.ConsoleOutput = b => console.Append((char)b);
        var session = new TraceSession(machine.Cpu, machine.Symbols, null, new TraceFilter(), checks ?? TraceSession.CheckerNames, stop);
        return (machine, session);
    }

    private static void AssertClean(TraceSession session)
    {
        foreach (var c in session.Checkers)
            Assert.That(c.Summary(), Is.EqualTo($"{c.Name}: no violations"));
    }

    private static byte[] DefaultBundle =>
        Emu.KernelGuest.LoadBundle() ?? throw new InvalidOperationException("Aegis.Emu bundles no default boot bundle");

    /// <summary>
    /// The acceptance run: the real system (kernel + the default bundle of hello, sensor, logger) for 2
    /// simulated seconds under all four checkers. About 2e9 hooked instructions: `boot --seconds 2 --check all` takes
    /// several minutes in Release on the 2-core host (docs/PERFORMANCE.md).
    /// </summary>
    [Test, Category("Slow")]
    public void AegisOsPassesAllFourCheckersForTwoSimulatedSeconds()
    {
        var (machine, session) = Checked(KernelSymbols.FindImage(), bundle: DefaultBundle);
        var reason = machine.Run(2_000_000_000);
        Assert.That(reason, Is.EqualTo(StopReason.CycleLimit), string.Join("\n", session.Checkers.Select(c => c.Summary())));
        Assert.That(session.Checkers.Select(c => c.Name), Is.EquivalentTo(TraceSession.CheckerNames));
        var exit = session.Checkers.OfType<ExitChecker>().Single();
        Assert.That(exit.Exited, Is.EqualTo(new[] { 2 }), "hello's SYS_EXIT was checked");
        foreach (int task in new[] { 3, 4 })
            Assert.That(machine.Accounting.Instructions(task), Is.GreaterThan(1_000_000), $"task {task}'s loaded code ran at EL0");
        AssertClean(session);
    }

    /// <summary>
    /// W^X on the loaded ELF code, quickly (0.1 s): hello, sensor and logger run their slot code at EL0 while no table
    /// maps it writable. Before deviation 6 this failed at hello's first instruction (PA 0x40100000, ASID 3): the boot
    /// table (ASID 0) and task 0's table (ASID 1) still mapped the slot KERNEL_DATA_PAGE.
    /// </summary>
    [Test]
    public void AegisOsLoadedCodeIsWritableNowhere()
    {
        var (machine, session) = Checked(KernelSymbols.FindImage(), bundle: DefaultBundle, checks: ["wx"]);
        var reason = machine.Run(100_000_000);
        Assert.That(reason, Is.EqualTo(StopReason.CycleLimit), session.Checkers.Single().Summary());
        foreach (int task in new[] { 2, 3, 4 })
            Assert.That(machine.Accounting.Instructions(task), Is.Positive, $"task {task}'s loaded code ran at EL0");
        AssertClean(session);
    }

    /// <summary>
    /// The SCENARIO=elf image (test ELF images embedded in the kernel, task 2 exits in the first tick): all four
    /// checkers hold, and the exit checker saw task 2's SYS_EXIT.
    /// </summary>
    [Test]
    public void ElfScenarioPassesAllFourCheckers()
    {
        string image = Path.Combine(Path.GetDirectoryName(KernelSymbols.FindImage())!, "scenarios", "elf.elf");
        var (machine, session) = Checked(image, stop: false);
        var reason = machine.Run(30_000_000); // 3 ticks: task 2 prints L5:ELF and exits in the first
        Assert.That(reason, Is.EqualTo(StopReason.CycleLimit));
        var exit = session.Checkers.OfType<ExitChecker>().Single();
        Assert.That(exit.Exited, Is.EqualTo(new[] { 2 }), "task 2's SYS_EXIT completed (kernel: \"task 2 exited (code=0)\")");
        AssertClean(session);
    }
}
