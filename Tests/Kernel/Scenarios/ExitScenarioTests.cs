using Aegis.Emulator.Cpu.Hooks;
using Aegis.Tests.Kernel.Functions;
using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.Scenarios;

/// <summary>
/// SCENARIO=exit (Kernel.Image/tests/scenario_exit.c) on Aegis.Emu: task 2 exits with code 5 while it holds
/// grant 0 (peer task 3), the binding of INTID 33, a 50-tick heartbeat, and ep 2 with task 6's second SEND
/// queued. Expected (phase O SYS_EXIT, REF §9 and deviation 4): the exit line; the IRQ cleanup line (REF §7.4);
/// the peer's grant page is gone (its read faults, REF §3.3); the queued sender wakes with x0 = 0xFFFF_4001 and
/// its x1–x3; no watchdog for the exited task; task 2 never runs at EL0 again; and the kernel's tables, read
/// through the image's symbols, name task 2 nowhere.
/// </summary>
[TestFixture]
public class ExitScenarioTests
{
    private const int Holder = 2;
    private const byte Exited = 5;

    private sealed record Run(EmuScenario S, int El0EntriesAfterExit);

    private static readonly Lazy<Run> Result = new(() =>
    {
        var s = new EmuScenario("exit");
        bool exited = false;
        int el0Entries = 0;
        s.LineDone = l => exited |= l.Text.StartsWith("[AegisOS] task 2 exited", StringComparison.Ordinal);
        // Every exception return into EL0 with task 2's ASID (task + 1) after its exit is a violation.
        s.Board.Cpu.AddHook(Hook.ExceptionReturn(cpu =>
        {
            if (exited && cpu.EL == 0 && cpu.MmuRegs.TTBR0_EL1 >> 48 == Holder + 1) el0Entries++;
        }));
        s.RunTicks(300); // past several heartbeat intervals (50) and the peer's 100-tick restart
        return new Run(s, el0Entries);
    });

    [Test]
    public void ExitReleasesGrantIrqBindingAndWakesTheQueuedSender()
    {
        var s = Result.Value.S;
        KernelScenarioImages.AssertInOrder(s.Output, new[]
        {
            "[AegisOS] GRANT: task 0000000000000002 -> task 0000000000000003 (grant 0000000000000000)\n",
            "[AegisOS] IRQ BIND: INTID 0000000000000021 -> task 0000000000000002, bit 0000000000000004\n",
            "X:heartbeat=0x0000000000000000\n",
            "P:reads g\n",
            "X:recv x0=0x0000000000000071 x1=0x0000000000000072 x2=0x0000000000000073 x3=0x0000000000000074\n",
            "X:exit\n",
            "[AegisOS] task 2 exited (code=5)\n",
            "[AegisOS] IRQ cleanup: unbind INTID 0000000000000021 from task 0000000000000002\n",
            "P:read after exit\n",
            "  FAR:  0x00000000400BF000\n",
            "[AegisOS] TASK 0000000000000003 FAULTED\n",
        }, "exit/Emu");
        Assert.That(s.Output, Does.Contain("Q:gone x0=0x00000000FFFF4001 x1=0x0000000000000082 x2=0x0000000000000083 x3=0x0000000000000084\n"),
            "the queued sender is woken with ERR_IPC_PARTNER_GONE, its other registers kept (deviation 4)");
        Assert.That(s.Output, Does.Not.Contain("X:after exit"), "SYS_EXIT does not return");
        Assert.That(s.Output, Does.Not.Contain("P:still reads"), "the peer's grant mapping is gone");
        Assert.That(s.Output, Does.Not.Contain("WATCHDOG: task 0000000000000002"), "the heartbeat is released");
        Assert.That(s.Output, Does.Not.Contain("TASK 0000000000000002 RESTARTED"), "an exited task is never restarted");
    }

    [Test]
    public void ExitedTaskNeverRunsAgainAtEl0()
    {
        var r = Result.Value;
        Assert.That(r.El0EntriesAfterExit, Is.Zero, "exception returns to EL0 with ASID 3 after the exit");
        Assert.That(r.S.ReadPhysical(Tcb(r.S, Holder) + L.Tcb.State, 1), Is.EqualTo((ulong)Exited), "TaskState::Exited");
    }

    [Test]
    public void KernelTablesHoldNoTraceOfTheExitedTask()
    {
        var s = Result.Value.S;
        for (int ep = 0; ep < L.MaxEndpoints; ep++)
        {
            ulong e = s.Symbol("endpoints") + (ulong)(ep * L.Endpoint.Size);
            int head = (int)s.ReadPhysical(e + L.Endpoint.Head, 1), count = (int)s.ReadPhysical(e + L.Endpoint.Count, 1);
            for (int i = 0; i < count; i++)
                Assert.That(s.ReadPhysical(e + (ulong)((head + i) % 4), 1), Is.Not.EqualTo((ulong)Holder), $"endpoint {ep} queue");
            Assert.That(s.ReadPhysical(e + L.Endpoint.Receiver, 1), Is.Not.EqualTo((ulong)Holder), $"endpoint {ep} receiver");
            Assert.That(s.ReadPhysical(e + L.Endpoint.Server, 1), Is.Not.EqualTo((ulong)Holder), $"endpoint {ep} server");
        }
        for (int g = 0; g < L.MaxGrants; g++)
        {
            ulong slot = s.Symbol("grants") + (ulong)(g * L.Grant.Size);
            bool active = s.ReadPhysical(slot + L.Grant.Active, 1) != 0;
            Assert.That(active && (s.ReadPhysical(slot + L.Grant.Owner, 1) == Holder || s.ReadPhysical(slot + L.Grant.Peer, 1) == Holder),
                Is.False, $"grant {g}");
        }
        for (int b = 0; b < L.MaxIrqBindings; b++)
        {
            ulong slot = s.Symbol("bindings") + (ulong)(b * L.IrqBinding.Size);
            bool active = s.ReadPhysical(slot + L.IrqBinding.Active, 1) != 0;
            Assert.That(active && s.ReadPhysical(slot + L.IrqBinding.Task, 4) == Holder, Is.False, $"IRQ binding {b}");
        }
        ulong tcb = Tcb(s, Holder);
        Assert.That(s.ReadPhysical(tcb + L.Tcb.NotifyPending, 8), Is.Zero, "notify_pending");
        Assert.That(s.ReadPhysical(tcb + L.Tcb.NotifyWaiting, 1), Is.Zero, "notify_waiting");
        Assert.That(s.ReadPhysical(tcb + L.Tcb.HeartbeatInterval, 8), Is.Zero, "heartbeat");
        for (int t = 0; t < L.NumTasks; t++)
            if (s.ReadPhysical(Tcb(s, t) + L.Tcb.State, 1) == 3) // Blocked
                Assert.That(s.ReadPhysical(Tcb(s, t) + L.Tcb.IpcPartner, 1), Is.Not.EqualTo((ulong)Holder), $"task {t} still blocked on it");
    }

    private static ulong Tcb(EmuScenario s, int task) => s.Symbol("tcbs") + (ulong)(task * L.Tcb.Size);
}
