using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>SYS_NOTIFY / SYS_WAIT_NOTIFY through <c>handle_svc</c> (REF §5, §7.2); the handlers are static in syscall.c and inlined.
/// The caller is task 0 (caps 0x3F0F3, REF §4.6).</summary>
public sealed class NotificationTests : KernelFunctionTest
{
    private static ulong Svc(ulong nr, ulong x0 = 0, ulong x1 = 0, ulong x6 = 0)
    {
        K.CurrentTask = 0;
        K.SetState(0, Running);
        ulong f = K.Frame(0, (0, x0), (1, x1), (6, x6), (7, nr));
        K.Call("handle_svc", f);
        return K.FrameX(0);
    }

    // ---- notifications ----

    [TestCase(8UL)]
    [TestCase(0xFFFFFFFFUL)]
    public void NotifyBadTarget(ulong target)
    {
        // REF §5: x0 = 0xFFFF_DEAD if target >= 8.
        Assert.That(Svc(5, 0x1, x6: target), Is.EqualTo(0xFFFF_DEADUL));
    }

    [Test]
    public void NotifyZeroBitsIsNoOp()
    {
        K.SetTcbU64(3, L.Tcb.NotifyPending, 0x8);
        Assert.That(Svc(5, 0, x6: 3), Is.Zero, "x0 unchanged");
        Assert.That(K.TcbU64(3, L.Tcb.NotifyPending), Is.EqualTo(0x8UL));
    }

    [Test]
    public void NotifyOrsBits()
    {
        K.SetTcbU64(3, L.Tcb.NotifyPending, 0x1);
        Assert.That(Svc(5, 0x4, x6: 3), Is.EqualTo(0x4UL), "x0 unchanged");
        Assert.That(K.TcbU64(3, L.Tcb.NotifyPending), Is.EqualTo(0x5UL));
        Assert.That(K.State(3), Is.EqualTo(Ready));
    }

    [Test]
    public void NotifyWakesWaiter()
    {
        // REF §5/§7.2: pending bits go into the waiter's x0, pending cleared, waiter Ready.
        K.SetState(3, Blocked);
        K.SetTcbU8(3, L.Tcb.NotifyWaiting, 1);
        K.SetTcbU64(3, L.Tcb.NotifyPending, 0x10);
        Svc(5, 0x3, x6: 3);
        Assert.That(K.ContextX(3, 0), Is.EqualTo(0x13UL));
        Assert.That(K.TcbU64(3, L.Tcb.NotifyPending), Is.Zero);
        Assert.That(K.TcbU8(3, L.Tcb.NotifyWaiting), Is.Zero);
        Assert.That(K.State(3), Is.EqualTo(Ready));
    }

    [Test]
    public void WatchdogFaultEndsTheWaitSoANotifyCannotResumeTheTask()
    {
        // Deviation 14: a task faulted by the watchdog while blocked in SYS_WAIT_NOTIFY stops waiting. A NOTIFY
        // (and an IRQ, IrqTests) then only collects bits: the task stays Faulted until restart_task.
        K.SetState(3, Blocked);
        K.SetTcbU8(3, L.Tcb.NotifyWaiting, 1);
        K.SetTcbU64(3, L.Tcb.HeartbeatInterval, 10);
        K.SetTcbU64(3, L.Tcb.LastHeartbeat, 0);
        K.TickCount = 11;
        K.Call("watchdog_scan");
        Assert.That(K.State(3), Is.EqualTo(Faulted));
        Assert.That(K.TcbU8(3, L.Tcb.NotifyWaiting), Is.Zero);
        Svc(5, 0x2, x6: 3);
        Assert.That(K.State(3), Is.EqualTo(Faulted), "a NOTIFY does not wake a Faulted task");
        Assert.That(K.TcbU64(3, L.Tcb.NotifyPending), Is.EqualTo(0x2UL), "the bits wait for the restart to clear them");
    }

    [Test]
    public void NotifyDoesNotCheckTargetState()
    {
        // REF §5: "The target's state is not checked" - an Inactive task collects bits too.
        Svc(5, 0x80, x6: 5);
        Assert.That(K.TcbU64(5, L.Tcb.NotifyPending), Is.EqualTo(0x80UL));
        Assert.That(K.State(5), Is.EqualTo(Inactive));
    }

    [Test]
    public void WaitNotifyReturnsPendingAtOnce()
    {
        K.SetTcbU64(0, L.Tcb.NotifyPending, 0x6);
        Assert.That(Svc(6), Is.EqualTo(0x6UL));
        Assert.That(K.TcbU64(0, L.Tcb.NotifyPending), Is.Zero);
        Assert.That(K.State(0), Is.EqualTo(Running));
    }

    [Test]
    public void WaitNotifyBlocksWhenNothingPending()
    {
        Svc(6);
        Assert.That(K.TcbU8(0, L.Tcb.NotifyWaiting), Is.EqualTo(1));
        Assert.That(K.State(0), Is.EqualTo(Blocked));
        Assert.That(K.CurrentTask, Is.Not.EqualTo(0u));
    }

    [Test]
    public void WaitThenNotifyDeliversBits()
    {
        Svc(6);
        K.CurrentTask = 1;
        K.SetState(1, Running);
        K.Call("handle_svc", K.Frame(0, (0, 0x20), (6, 0), (7, 5)));
        Assert.That(K.ContextX(0, 0), Is.EqualTo(0x20UL));
        Assert.That(K.State(0), Is.EqualTo(Ready));
    }
}
