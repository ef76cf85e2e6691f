using NUnit.Framework;

namespace Aegis.Tests.Kernel.Scenarios;

/// <summary>
/// The same committed scenario images on qemu-system-aarch64 7.2 (the reference machine): the scenario lines
/// that Aegis.Emu prints appear on QEMU too, in the same order. QEMU's clock counts instructions while the guest runs
/// (-icount) but follows host time while it waits, and QEMU runs for a wall time; lines whose order depends on when a
/// wait ends (restarts after a delay, input) are compared apart.
/// </summary>
[TestFixture]
public class QemuScenarioTests
{
    private static readonly string[] FaultsEvents = { "CAP DENIED", "FAULTED", "RESTARTED", "exited", "DATA ABORT", "FP/SIMD", "DFSC", "Access:", "DEVICE MAP" };

    private static List<string> Events(string output, string[] keys, string until)
    {
        var lines = KernelScenarioImages.AfterBootstrap(output);
        int end = lines.FindIndex(l => l.Contains(until, StringComparison.Ordinal));
        Assert.That(end, Is.GreaterThanOrEqualTo(0), $"no \"{until}\":\n{output}");
        // Lines can start with a task's unterminated print ("DRV:ready !!! CAP DENIED…"): keep the kernel part.
        return lines.Take(end + 1).Where(l => keys.Any(k => l.Contains(k, StringComparison.Ordinal)))
            .Select(l => l[Math.Max(0, Math.Max(l.IndexOf("!!!", StringComparison.Ordinal), l.IndexOf("[AegisOS]", StringComparison.Ordinal)))..])
            .ToList();
    }

    [TestCase(false)]
    [TestCase(true)]
    public void FaultsScenarioGivesTheSameEventsUpToTheDriverFault(bool el2)
    {
        const string driverFaulted = "TASK 0000000000000000 FAULTED";
        var emu = new EmuScenario("faults", el2);
        emu.RunUntilLine("TASK 0000000000000000 RESTARTED", maxTicks: 1000);
        emu.RunTicks(2);
        var qemu = QemuScenario.Run("faults", 3000, el2);
        // Up to the driver's fault everything happens before the first tick, so the order cannot depend on
        // QEMU's host-timed clock. After it, tasks 2 and 3 restart in the same tick as the driver.
        var e = Events(emu.Output, FaultsEvents, driverFaulted);
        var q = Events(qemu, FaultsEvents, driverFaulted);
        Assert.That(e, Is.EqualTo(q), "Aegis.Emu vs QEMU event lines\n--- QEMU:\n" + string.Join("\n", q));
        Assert.That(e, Does.Contain("!!! CAP DENIED: task 0000000000000002 syscall #0000000000000001 needs IPC_SEND_EP0 \u2014 faulting"));
        var after = new[] { "[AegisOS] " + driverFaulted + "\n", "J4:PartnerGone", "[AegisOS] TASK 0000000000000000 RESTARTED\n", "[AegisOS] DEVICE MAP: UART0 -> task 0000000000000000\n" };
        KernelScenarioImages.AssertInOrder(emu.Output, after, "faults/Emu");
        KernelScenarioImages.AssertInOrder(qemu, after, "faults/QEMU");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void IpcScenarioPrintsTheSameLinesOnQemu(bool el2)
    {
        var emu = new EmuScenario("ipc", el2);
        emu.RunTo(300 * EmuScenario.CyclesPerTick);
        // The run ends with the server's restart, 100 ticks after its fault: QEMU runs until it prints it.
        var qemu = QemuScenario.Run("ipc", 30_000, el2, until: ["TASK 0000000000000002 RESTARTED", "S:ready"]);
        var e = KernelScenarioImages.AfterBootstrap(emu.Output);
        var q = KernelScenarioImages.AfterBootstrap(qemu);
        Assert.That(e.Take(IpcScenarioTests.Expected.Length), Is.EqualTo(IpcScenarioTests.Expected), "Aegis.Emu");
        // The whole run after bootstrap, the abort's FAR/ELR and the restart included, is the same.
        Assert.That(e, Is.EqualTo(q), "Aegis.Emu vs QEMU\n--- QEMU:\n" + string.Join("\n", q));
        Assert.That(q, Does.Contain("C:gone x0=0x00000000FFFF4001 x1=0x0000000000000031 x2=0x0000000000000032 x3=0x0000000000000033"));
    }

    [Test]
    public void MiscScenarioPrintsTheSameLinesOnQemu()
    {
        var emu = new EmuScenario("misc");
        emu.RunUntilLine("U:ready", maxTicks: 50);
        emu.RunTicks(20);
        emu.Board.Uart.Receive("hi!"u8);
        emu.RunTicks(30);
        emu.Board.Uart.Receive("Z"u8);
        emu.RunTo(300 * EmuScenario.CyclesPerTick);
        var qemu = QemuScenario.Run("misc", 3000, input: new[] { ("U:ready", 200, "hi!"), ("data=hi!", 300, "Z") });

        // Task 4's watchdog cycle (its WATCHDOG and TASK lines) and the input's arrival depend on time: compared apart.
        static bool Timed(string l) => l == "H:armed" || l.Contains("task 0000000000000004", StringComparison.OrdinalIgnoreCase) || l.StartsWith("U:irq", StringComparison.Ordinal);
        var e = KernelScenarioImages.AfterBootstrap(emu.Output);
        var q = KernelScenarioImages.AfterBootstrap(qemu);
        var eFixed = e.Where(l => !Timed(l)).ToList();
        var qFixed = q.Where(l => !Timed(l)).ToList();
        // Once the restarts begin, tasks 3 and 5 come back on ticks QEMU takes from the host clock, so which of them
        // prints first varies from run to run there: the lines up to the first restart are compared in order, the
        // rest as the same lines in any order.
        int eCut = FirstRestart(eFixed), qCut = FirstRestart(qFixed);
        Assert.That(eFixed.Take(eCut), Is.EqualTo(qFixed.Take(qCut)), "Aegis.Emu vs QEMU (without task 4 and U:irq)\n--- QEMU:\n" + string.Join("\n", q));
        Assert.That(eFixed.Skip(eCut), Is.EquivalentTo(qFixed.Skip(qCut)), "after the first restart\n--- QEMU:\n" + string.Join("\n", q));
        Assert.That(eFixed, Does.Contain("[AegisOS] TASK 0000000000000003 RESTARTED"), "the compared part covers the peer's restart");
        var irqE = e.Where(l => l.StartsWith("U:irq", StringComparison.Ordinal)).ToList();
        var irqQ = q.Where(l => l.StartsWith("U:irq", StringComparison.Ordinal)).ToList();
        Assert.That(irqQ, Is.EqualTo(irqE), "U:irq lines");
        Assert.That(irqE, Is.EqualTo(new[]
        {
            "U:irq bits=0x0000000000000004 data=hi! ack=0x0000000000000000",
            "U:irq bits=0x0000000000000004 data=Z ack=0x0000000000000000",
        }));
        foreach (var (name, lines) in new[] { ("Emu", e), ("QEMU", q) })
            Assert.That(lines.Count(l => l == "[AegisOS] WATCHDOG: task 0000000000000004 missed heartbeat"), Is.GreaterThanOrEqualTo(2), name);
    }

    private static int FirstRestart(List<string> lines)
    {
        int i = lines.FindIndex(l => l.EndsWith(" RESTARTED", StringComparison.Ordinal));
        return i < 0 ? lines.Count : i;
    }
}
