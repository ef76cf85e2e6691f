using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>
/// <c>sys_send</c>, <c>sys_recv</c>, <c>sys_call</c>, <c>ipc_cleanup_task</c>: sender queue push/pop/remove,
/// receiver slot, priority inheritance, cleanup (REF §7.1, §4.5, §11 proofs 7–9, §15 deviation 4), and the one-shot
/// reply right of deviation 9.
/// The queue helpers are static in ipc.c and inlined, so they are driven through these entry points and
/// checked in the <c>endpoints</c> array.
/// </summary>
public sealed class IpcTests : KernelFunctionTest
{
    [SetUp]
    public void AllBlockedExceptIdle()
    {
        // Every task Blocked with priority 1 (idle Ready at 0) so schedule() after a blocking call picks idle,
        // and nothing the test did not make Ready runs.
        for (int t = 0; t < 7; t++) { K.SetState(t, Blocked); K.SetPriority(t, 1); K.SetTcbU64(t, L.Tcb.TimeBudget, 0); }
    }

    private static ulong Ipc(string fn, int task, ulong ep, ulong m0 = 0, ulong m1 = 0, ulong m2 = 0, ulong m3 = 0)
    {
        K.CurrentTask = (uint)task;
        K.SetState(task, Running);
        ulong f = K.Frame(0, (0, m0), (1, m1), (2, m2), (3, m3), (6, ep), (7, 1));
        K.Call(fn, f, ep);
        return f;
    }

    private static byte Count(int ep) => K.R8(K.Endpoint(ep) + L.Endpoint.Count);
    private static byte Head(int ep) => K.R8(K.Endpoint(ep) + L.Endpoint.Head);
    private static byte Receiver(int ep) => K.R8(K.Endpoint(ep) + L.Endpoint.Receiver);
    private static byte[] Queue(int ep)
    {
        byte head = Head(ep), n = Count(ep);
        return Enumerable.Range(0, n).Select(i => K.R8(K.Endpoint(ep) + (ulong)((head + i) % 4))).ToArray();
    }

    [Test]
    public void BootEndpointsAreEmpty()
    {
        // REF §7.1: 4 endpoints, no receiver, empty queues at boot.
        for (int e = 0; e < 4; e++)
        {
            Assert.That(Count(e), Is.Zero);
            Assert.That(Receiver(e), Is.EqualTo(NoTask));
        }
    }

    [TestCase(0)]
    [TestCase(3)]
    public void SendWithoutReceiverQueuesAndBlocks(int ep)
    {
        // REF §7.1 SEND: push the sender, Blocked, schedule.
        Ipc("sys_send", 2, (ulong)ep, 0x11);
        Assert.That(Queue(ep), Is.EqualTo(new byte[] { 2 }));
        Assert.That(K.State(2), Is.EqualTo(Blocked));
        Assert.That(K.CurrentTask, Is.EqualTo(7u));
    }

    [TestCase(0x1UL, 0x2UL, 0x3UL, 0x4UL)]
    [TestCase(0xFFFFFFFFFFFFFFFFUL, 0UL, 0x8000000000000000UL, 0xCAFEUL)]
    public void SendToWaitingReceiverCopiesMessage(ulong m0, ulong m1, ulong m2, ulong m3)
    {
        // REF §7.1 SEND with a receiver waiting: x0..x3 copied to the receiver (proof 8), receiver Ready,
        // the sender continues without a reschedule.
        Ipc("sys_recv", 4, 1);
        Assert.That(Receiver(1), Is.EqualTo(4));
        Assert.That(K.State(4), Is.EqualTo(Blocked));
        Ipc("sys_send", 3, 1, m0, m1, m2, m3);
        Assert.That(new[] { K.ContextX(4, 0), K.ContextX(4, 1), K.ContextX(4, 2), K.ContextX(4, 3) },
            Is.EqualTo(new[] { m0, m1, m2, m3 }));
        Assert.That(K.State(4), Is.EqualTo(Ready));
        Assert.That(Receiver(1), Is.EqualTo(NoTask));
        Assert.That(K.CurrentTask, Is.EqualTo(3u));
        Assert.That(K.State(3), Is.EqualTo(Running));
    }

    [Test]
    public void RecvPopsQueuedSenderAndReloadsFrame()
    {
        // REF §7.1 RECV with a queued sender: message into the receiver's frame, sender Ready at base priority.
        Ipc("sys_send", 3, 1, 0xA0, 0xA1, 0xA2, 0xA3);
        K.SetTcbU8(3, L.Tcb.Priority, 6); // boosted; base 1
        ulong f = Ipc("sys_recv", 4, 1);
        Assert.That(new[] { K.R64(f), K.R64(f + 8), K.R64(f + 16), K.R64(f + 24) }, Is.EqualTo(new ulong[] { 0xA0, 0xA1, 0xA2, 0xA3 }));
        Assert.That(K.State(3), Is.EqualTo(Ready));
        Assert.That(K.Priority(3), Is.EqualTo(1));
        Assert.That(Count(1), Is.Zero);
        Assert.That(K.CurrentTask, Is.EqualTo(4u), "the receiver goes on");
    }

    [Test]
    public void RecvWithoutSenderBlocksInReceiverSlot()
    {
        Ipc("sys_recv", 0, 0);
        Assert.That(Receiver(0), Is.EqualTo(0));
        Assert.That(K.State(0), Is.EqualTo(Blocked));
    }

    [Test]
    public void SecondRecvOverwritesWaitingReceiver()
    {
        // REF §7.1: RECV overwrites an earlier waiting receiver, which stays Blocked.
        Ipc("sys_recv", 0, 2);
        Ipc("sys_recv", 1, 2);
        Assert.That(Receiver(2), Is.EqualTo(1));
        Assert.That(K.State(0), Is.EqualTo(Blocked));
    }

    [Test]
    public void QueueHoldsFourThenRejectsFifth()
    {
        // REF §7.1 / proof 7: 4 pushes succeed, the 5th prints "sender queue full" and returns without blocking.
        for (int t = 1; t <= 4; t++) Ipc("sys_send", t, 0, (ulong)t);
        Assert.That(Queue(0), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        K.TakeUart();
        Ipc("sys_send", 5, 0, 5);
        Assert.That(K.Uart, Is.EqualTo("!!! IPC: sender queue full\n"));
        Assert.That(K.State(5), Is.EqualTo(Running));
        Assert.That(Count(0), Is.EqualTo(4));
    }

    [Test]
    public void CallWithAFullQueueReturnsAtOnce()
    {
        // REF §7.1: a CALL that cannot queue returns at once, as the 5th SEND does, and does not wait for an answer.
        for (int t = 1; t <= 4; t++) Ipc("sys_send", t, 0, (ulong)t);
        K.TakeUart();
        Ipc("sys_call", 5, 0, 5);
        Assert.That(K.Uart, Is.EqualTo("!!! IPC: sender queue full\n"));
        Assert.That(K.State(5), Is.EqualTo(Running));
        Assert.That(K.TcbU8(5, L.Tcb.Calling), Is.Zero, "not calling: no answer to wait for");
        Assert.That(Queue(0), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void QueueIsFifoAndWrapsAround()
    {
        // REF §7.1: pop returns the head (FIFO); the ring index wraps modulo 4.
        for (int t = 1; t <= 3; t++) Ipc("sys_send", t, 0, 0x100UL + (ulong)t);
        var got = new List<ulong>();
        for (int i = 0; i < 2; i++) got.Add(K.R64(Ipc("sys_recv", 0, 0)));
        for (int t = 4; t <= 6; t++) Ipc("sys_send", t, 0, 0x100UL + (ulong)t);
        Assert.That(Head(0), Is.EqualTo(2));
        Assert.That(Count(0), Is.EqualTo(4));
        for (int i = 0; i < 4; i++) got.Add(K.R64(Ipc("sys_recv", 0, 0)));
        Assert.That(got, Is.EqualTo(new ulong[] { 0x101, 0x102, 0x103, 0x104, 0x105, 0x106 }));
        Ipc("sys_recv", 0, 0);
        Assert.That(Receiver(0), Is.EqualTo(0), "a 5th pop finds nothing: the receiver waits");
    }

    [Test]
    public void CallToWaitingReceiverBoostsAndWaitsForReply()
    {
        // REF §7.1 CALL + §4.5: deliver, receiver Ready, server boosted to caller's priority. Deviation 9: the caller
        // does not take the receiver slot; the server holds the one reply right, for this endpoint.
        K.SetPriority(0, 2);
        K.SetPriority(1, 6);
        Ipc("sys_recv", 0, 0);
        Ipc("sys_call", 1, 0, 0x4000_0000, 11);
        Assert.That(K.ContextX(0, 0), Is.EqualTo(0x4000_0000UL));
        Assert.That(K.ContextX(0, 1), Is.EqualTo(11UL));
        Assert.That(K.State(0), Is.EqualTo(Running), "made Ready, then picked by schedule");
        Assert.That(K.Priority(0), Is.EqualTo(6));
        Assert.That(Receiver(0), Is.EqualTo(NoTask), "the slot is free: no other SEND can reach the caller");
        Assert.That(K.TcbU8(0, L.Tcb.ReplyTo), Is.EqualTo(1));
        Assert.That(K.TcbU8(0, L.Tcb.ReplyEp), Is.EqualTo(0));
        Assert.That(K.State(1), Is.EqualTo(Blocked));
        // The reply is the server's next SEND on the endpoint.
        Ipc("sys_send", 0, 0, 0x4F4B);
        Assert.That(K.ContextX(1, 0), Is.EqualTo(0x4F4BUL));
        Assert.That(K.State(1), Is.EqualTo(Ready));
        Assert.That(K.TcbU8(0, L.Tcb.ReplyTo), Is.EqualTo(NoTask), "one shot");
    }

    [Test]
    public void AThirdTaskCannotAnswerSomeoneElsesCall()
    {
        // Issue 10 point 5 (deviation 9): before, the caller sat in the receiver slot and any SEND on the endpoint
        // answered it (the caller got 0x666 from a third task instead of the server's 0xA11).
        Ipc("sys_recv", 0, 2);
        Ipc("sys_call", 1, 2, 0xC0FFEE);
        Ipc("sys_send", 3, 2, 0x666);
        Assert.That(K.State(1), Is.EqualTo(Blocked), "still waiting for the server");
        Assert.That(K.ContextX(1, 0), Is.EqualTo(0xC0FFEEUL));
        Assert.That(Queue(2), Is.EqualTo(new byte[] { 3 }), "the forger's message waits for a RECV like any other");
        Ipc("sys_send", 0, 2, 0xA11);
        Assert.That(K.ContextX(1, 0), Is.EqualTo(0xA11UL));
        Assert.That(K.State(1), Is.EqualTo(Ready));
    }

    [Test]
    public void TheAnswerGoesOnlyToTheCallersEndpoint()
    {
        // A SEND on another endpoint is no answer: the right stays for the CALL's endpoint.
        Ipc("sys_recv", 0, 2);
        Ipc("sys_call", 1, 2, 0x1);
        Ipc("sys_send", 0, 3, 0x2);
        Assert.That(K.State(1), Is.EqualTo(Blocked));
        Assert.That(Queue(3), Is.EqualTo(new byte[] { 0 }));
        Assert.That(K.TcbU8(0, L.Tcb.ReplyTo), Is.EqualTo(1));
    }

    [Test]
    public void ASecondCallReceivedReleasesTheUnansweredCaller()
    {
        // A server holds one reply right: a caller it leaves for a second CALL would wait forever, so it gets
        // ERR_IPC_PARTNER_GONE (deviation 9), x1-x3 kept.
        Ipc("sys_recv", 0, 2);
        Ipc("sys_call", 1, 2, 0x1, 0x11);
        Ipc("sys_recv", 0, 3);
        Ipc("sys_call", 4, 3, 0x2);
        Assert.That(K.State(1), Is.EqualTo(Ready));
        Assert.That(K.ContextX(1, 0), Is.EqualTo(0xFFFF_4001UL));
        Assert.That(K.ContextX(1, 1), Is.EqualTo(0x11UL));
        Assert.That(K.TcbU8(0, L.Tcb.ReplyTo), Is.EqualTo(4));
        Assert.That(K.TcbU8(0, L.Tcb.ReplyEp), Is.EqualTo(3));
    }

    [TestCase(2, 5, 5, TestName = "Inheritance: caller 5 > server 2 boosts to 5")]
    [TestCase(5, 2, 5, TestName = "Inheritance: caller 2 < server 5 keeps 5")]
    [TestCase(4, 4, 4, TestName = "Inheritance: equal priorities unchanged")]
    public void PriorityInheritance(int server, int caller, int expected)
    {
        K.SetPriority(3, (byte)server);
        K.SetPriority(2, (byte)caller);
        Ipc("sys_recv", 3, 1);
        Ipc("sys_call", 2, 1, 9);
        Assert.That(K.Priority(3), Is.EqualTo(expected));
    }

    [Test]
    public void QueuedCallWaitsForTheAnswerOfTheServerThatReceivesIt()
    {
        // Deviation 9: a queued CALL popped by RECV gives the server the reply right; the caller waits for the answer
        // (REF §7.1 released it at once, its x0..x3 its own message).
        Ipc("sys_call", 1, 0, 0x55);
        Assert.That(Queue(0), Is.EqualTo(new byte[] { 1 }));
        Assert.That(K.TcbU8(1, L.Tcb.Calling), Is.EqualTo(1));
        ulong f = Ipc("sys_recv", 0, 0);
        Assert.That(K.R64(f), Is.EqualTo(0x55UL));
        Assert.That(K.State(1), Is.EqualTo(Blocked));
        Assert.That(K.TcbU8(1, L.Tcb.IpcPartner), Is.EqualTo(0));
        Assert.That(K.TcbU8(1, L.Tcb.Calling), Is.Zero);
        Ipc("sys_send", 0, 0, 0x4F4B);
        Assert.That(K.State(1), Is.EqualTo(Ready));
        Assert.That(K.ContextX(1, 0), Is.EqualTo(0x4F4BUL));
    }

    [Test]
    public void QueuedSendIsReleasedAtOnce()
    {
        // REF §7.1: a plain SEND popped by RECV is done; the receiver owes nothing.
        Ipc("sys_send", 1, 0, 0x56);
        Ipc("sys_recv", 0, 0);
        Assert.That(K.State(1), Is.EqualTo(Ready));
        Assert.That(K.TcbU8(0, L.Tcb.ReplyTo), Is.EqualTo(NoTask));
    }

    [Test]
    public void CleanupRemovesTaskFromAllQueuesAndSlots()
    {
        // REF §7.1 cleanup / proof 9: no queue or receiver slot on any endpoint holds the task afterwards;
        // remove() keeps the order of the others and rebuilds with head = 0.
        for (int t = 1; t <= 3; t++) Ipc("sys_send", t, 0, 1);
        Ipc("sys_recv", 6, 0); // pops task 1: head = 1, queue 2,3
        Ipc("sys_send", 4, 0, 1);
        Ipc("sys_recv", 2, 3);
        Ipc("sys_send", 5, 1);
        K.Call("ipc_cleanup_task", 2);
        Assert.That(Queue(0), Is.EqualTo(new byte[] { 3, 4 }));
        Assert.That(Head(0), Is.Zero);
        Assert.That(Receiver(3), Is.EqualTo(NoTask));
        Assert.That(Queue(1), Is.EqualTo(new byte[] { 5 }), "other tasks untouched");
    }

    [Test]
    public void CleanupWakesCallerWaitingForDeadServer()
    {
        // REF §15 deviation 4 (README): a caller whose CALL was delivered waits for the server; when the server
        // dies the caller gets x0 = 0xFFFF_4001, x1-x3 kept, and becomes Ready at base priority.
        Ipc("sys_recv", 0, 0);
        Ipc("sys_call", 1, 0, 0x10, 0x11, 0x12, 0x13);
        K.Call("ipc_cleanup_task", 0);
        Assert.That(K.State(1), Is.EqualTo(Ready));
        Assert.That(K.ContextX(1, 0), Is.EqualTo(0xFFFF_4001UL));
        Assert.That(K.ContextX(1, 1), Is.EqualTo(0x11UL));
        Assert.That(Receiver(0), Is.EqualTo(NoTask));
    }

    [Test]
    public void CleanupWakesSenderQueuedOnDeadServer()
    {
        // Deviation 4: a sender queued on E waits on E's server (last RECV-er).
        Ipc("sys_recv", 4, 1);
        Ipc("sys_send", 3, 1, 7); // delivered; server of ep1 = 4
        Ipc("sys_send", 3, 1, 8); // queued, partner = 4
        Assert.That(Queue(1), Is.EqualTo(new byte[] { 3 }));
        K.Call("ipc_cleanup_task", 4);
        Assert.That(Queue(1), Is.Empty);
        Assert.That(K.State(3), Is.EqualTo(Ready));
        Assert.That(K.ContextX(3, 0), Is.EqualTo(0xFFFF_4001UL));
    }

    [Test]
    public void CleanupDoesNotWakeUnrelatedBlockedTasks()
    {
        Ipc("sys_send", 3, 2, 1); // ep2 has no server yet: no partner
        K.Call("ipc_cleanup_task", 4);
        Assert.That(K.State(3), Is.EqualTo(Blocked));
        Assert.That(Queue(2), Is.EqualTo(new byte[] { 3 }));
    }

    [Test]
    public void SendDeliveryRestoresReceiverBasePriority()
    {
        // REF §4.5: restore_base_priority is applied to a waiting receiver when a SEND/CALL delivers to it.
        Ipc("sys_recv", 4, 2);
        K.SetTcbU8(4, L.Tcb.Priority, 6); // boosted by an earlier CALL; base 1
        Ipc("sys_send", 3, 2, 1);
        Assert.That(K.Priority(4), Is.EqualTo(1));
    }

    [Test]
    public void ServerAnsweringDeadCallerGetsPartnerGoneAtOnce()
    {
        // Deviation 4 (README): a server whose CALL-er died before the answer gets 0xFFFF_4001 back at once
        // from its answering SEND, instead of blocking.
        Ipc("sys_recv", 0, 0);
        Ipc("sys_call", 1, 0, 0x42);
        K.Call("ipc_cleanup_task", 1);
        Assert.That(Receiver(0), Is.EqualTo(NoTask));
        ulong f = Ipc("sys_send", 0, 0, 0x4F4B);
        Assert.That(K.R64(f), Is.EqualTo(0xFFFF_4001UL));
        Assert.That(K.State(0), Is.EqualTo(Running));
        Assert.That(Count(0), Is.Zero, "not queued");
    }

    [Test]
    public void FaultCleanupReleasesIpcGrantsAndIrqs()
    {
        // REF §3.3 fault_current_task -> cleanup_task_resources: IPC, grant and IRQ cleanup, priority = base.
        Ipc("sys_recv", 3, 1);
        K.AssignGrants(3, 0b01); // deviation 11: the table names grant 0's owner
        Assert.That(K.Call("grant_create", 0, 3, 4), Is.Zero);
        Assert.That(K.Call("irq_bind", 50, 3, 1), Is.Zero);
        K.CurrentTask = 3;
        K.SetState(3, Running);
        K.SetTcbU8(3, L.Tcb.Priority, 6);
        K.Call("fault_current_task", K.Frame());
        Assert.That(Receiver(1), Is.EqualTo(NoTask));
        Assert.That(K.R8(K.GrantSlot(0) + L.Grant.Active), Is.Zero);
        Assert.That(K.R8(K.Binding(0) + L.IrqBinding.Active), Is.Zero);
        Assert.That(K.Priority(3), Is.EqualTo(1));
    }
}
