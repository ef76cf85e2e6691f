using NUnit.Framework;

namespace Aegis.Tests.Kernel.Scenarios;

/// <summary>
/// SCENARIO=faults (Kernel.Image/src/user_tasks.c under AEGIS_SCENARIO_FAULTS) on Aegis.Emu: task 2 SENDs
/// without the capability, task 3 runs an FP instruction, task 4 exits, and the UART driver (task 0) stores
/// to kernel .data once while the client waits for its reply. Expected strings: REF §5 (CAP DENIED, with the
/// em dash), §3.3 (abort diagnostics, "TASK … FAULTED"), §3.5 (RESTARTED after RESTART_DELAY_TICKS = 100),
/// deviation 4 (the client's CALL returns ERR_IPC_PARTNER_GONE, printed as "J4:PartnerGone").
/// </summary>
[TestFixture]
public class FaultsScenarioTests
{
    private const string CapDenied = "!!! CAP DENIED: task 0000000000000002 syscall #0000000000000001 needs IPC_SEND_EP0 \u2014 faulting";
    private const string DriverFaulted = "[AegisOS] TASK 0000000000000000 FAULTED";
    private const string DriverRestarted = "[AegisOS] TASK 0000000000000000 RESTARTED";

    private static readonly Lazy<EmuScenario> Run = new(() =>
    {
        var s = new EmuScenario("faults");
        s.RunUntilLine(DriverRestarted, maxTicks: 1000);
        s.RunTicks(5);
        return s;
    });

    [Test]
    public void CapabilityDenialFaultsOnlyThatTask()
    {
        var s = Run.Value;
        var text = s.Output;
        KernelScenarioImages.AssertInOrder(text, new[] { CapDenied + "\n", "[AegisOS] TASK 0000000000000002 FAULTED\n" }, "faults/Emu");
        int denied = text.IndexOf(CapDenied, StringComparison.Ordinal);
        int driverFault = text.IndexOf(DriverFaulted, StringComparison.Ordinal);
        // The other tasks keep running: the driver/client ping-pong goes on after task 2's fault.
        var between = text[denied..driverFault];
        Assert.That(between, Does.Contain("J4:UserDrv round trips: 1\n"), "ping-pong after the denial (the client's first report)");
        Assert.That(CountOf(between, "FAULTED"), Is.EqualTo(2), "only task 2 (denial) and task 3 (FP trap) fault before the driver's planned fault");
        Assert.That(between, Does.Contain("[AegisOS] TASK 0000000000000003 FAULTED"));
    }

    [Test]
    public void El0WriteToKernelDataFaultsTheDriverAndItRestarts100TicksLater()
    {
        var s = Run.Value;
        KernelScenarioImages.AssertInOrder(s.Output, new[]
        {
            "!!! DATA ABORT !!! [EL0 task]\n",
            "  DFSC: 0x000000000000000F (Permission fault L0000000000000003)\n",
            "  Access: WRITE\n",
            DriverFaulted + "\n",
            "J4:PartnerGone",
            DriverRestarted + "\n",
            "[AegisOS] DEVICE MAP: UART0 -> task 0000000000000000\n",
            "DRV:ready",
        }, "faults/Emu");
        var fault = s.Lines.First(l => l.Text.EndsWith(DriverFaulted, StringComparison.Ordinal));
        var restart = s.Lines.First(l => l.Text.EndsWith(DriverRestarted, StringComparison.Ordinal));
        // REF §3.5: restart once now - fault_tick >= 100, and schedule() runs on every tick, so exactly 100 ticks.
        Assert.That(restart.Tick - fault.Tick, Is.EqualTo(100), "kernel ticks from FAULTED to RESTARTED");
        // In machine time: the fault happens inside a tick, the restart at a tick boundary, so between 99 and 101 ticks.
        ulong dc = restart.Cycles - fault.Cycles;
        TestContext.Out.WriteLine($"driver FAULTED at tick {fault.Tick} cycle {fault.Cycles}; RESTARTED at tick {restart.Tick} cycle {restart.Cycles}; {dc} cycles = {dc / (double)EmuScenario.CyclesPerTick:F3} ticks");
        Assert.That(dc, Is.InRange(99 * EmuScenario.CyclesPerTick, 101 * EmuScenario.CyclesPerTick), $"cycles {dc}");
        // Counted from the timer's start (armed just before the "timer started" line): at least 100 full
        // 10 ms periods lie between the start of the fault's tick and the restart.
        var timer = s.Lines.First(l => l.Text.StartsWith("[AegisOS] timer started", StringComparison.Ordinal));
        TestContext.Out.WriteLine($"timer line at cycle {timer.Cycles}: restart - timer = {restart.Cycles - timer.Cycles}");
        Assert.That(restart.Cycles - timer.Cycles, Is.GreaterThanOrEqualTo((fault.Tick + 100) * EmuScenario.CyclesPerTick));
        // Nothing else faults in between (the client is woken, not faulted).
        var faulted = s.Lines.Where(l => l.Cycles > fault.Cycles && l.Cycles < restart.Cycles && l.Text.Contains("FAULTED")).ToList();
        Assert.That(faulted.Select(l => l.Text), Has.None.Contains("TASK 0000000000000001"), "the client survives");
    }

    [Test]
    public void ClientBlockedOnTheFaultedDriverIsWokenWithPartnerGone()
    {
        var s = Run.Value;
        var fault = s.Lines.First(l => l.Text.EndsWith(DriverFaulted, StringComparison.Ordinal));
        // Deviation 4: the client prints J4:PartnerGone exactly when its CALL returns 0xFFFF_4001
        // (the exact value is checked in IpcScenarioTests); it is printed right after the fault.
        int at = s.Output.IndexOf(DriverFaulted, StringComparison.Ordinal);
        var after = s.Output[at..];
        Assert.That(after.IndexOf("J4:PartnerGone", StringComparison.Ordinal), Is.LessThan(after.IndexOf(DriverRestarted, StringComparison.Ordinal)));
        Assert.That(CountOf(s.Output[..at], "J4:PartnerGone"), Is.Zero, "not before the driver's fault");
        // user_tasks.c: the driver faults while serving its 20th request, after the client's first report (carried by
        // requests 2 and 3) and long before its next (at 0.5 s): that report, once and whole, is all it printed.
        Assert.That(CountOf(s.Output[..at], "J4:UserDrv"), Is.EqualTo(1), "one report before the fault");
        Assert.That(s.Output[..at], Does.Contain("J4:UserDrv round trips: 1\n"));
    }

    [Test]
    public void ExitedTaskIsNeverRestarted()
    {
        var s = Run.Value;
        Assert.That(CountOf(s.Output, "[AegisOS] task 4 exited (code=7)"), Is.EqualTo(1));
        Assert.That(s.Output, Does.Not.Contain("TASK 0000000000000004 RESTARTED"));
        Assert.That(s.Output, Does.Not.Contain("HALTED").And.Not.Contain("PANIC").And.Not.Contain("UNHANDLED"));
    }

    internal static int CountOf(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
