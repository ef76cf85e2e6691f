using Aegis.Tests.Kernel.Functions;
using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.PhaseO;

/// <summary>
/// SYS_EXIT of a task that holds a grant, an IRQ binding, a queued sender, notification bits and a heartbeat
/// (REF §9 cleanup; deviation 4 wake-up code 0xFFFF_4001; our release of the notification state), driven through
/// the committed kernel's own <c>handle_svc</c> in the function harness.
/// </summary>
public class ExitCleanupTests : KernelFunctionTest
{
    private const ulong AllCaps = 0x7FFFF; // REF §6: CAP_ALL
    private const ulong PartnerGone = 0xFFFF_4001; // abi.h ERR_IPC_PARTNER_GONE (deviation 4)

    private static void Svc(uint task, params (int, ulong)[] regs)
    {
        K.CurrentTask = task;
        K.SetState((int)task, Running);
        K.Call("handle_svc", K.Frame(0, regs));
    }

    [Test]
    public void ExitWithGrantIrqBindingAndQueuedSenderLeavesNothingBehind()
    {
        K.SetTcbU64(2, L.Tcb.Caps, AllCaps);
        K.SetTcbU64(3, L.Tcb.Caps, AllCaps);
        K.SetState(2, Ready);
        K.SetState(3, Ready);
        K.AssignGrants(2, 0b01);                   // deviation 11: grant 0 is task 2's in this table
        Svc(2, (0, 0), (6, 3), (7, 7));            // GRANT_CREATE grant 0 -> peer 3
        Assert.That(K.FrameX(0), Is.Zero, "grant created");
        Svc(2, (0, 40), (1, 1), (7, 9));           // IRQ_BIND INTID 40 -> notify bit 1
        Assert.That(K.FrameX(0), Is.Zero, "IRQ bound");
        Svc(2, (0, 0), (6, 12), (7, 12));          // HEARTBEAT(12)
        K.SetTcbU64(2, L.Tcb.NotifyPending, 0x5);
        // Task 2 is endpoint 1's server (the last task that did RECV there); task 3 then queues a SEND on it.
        K.W8(K.Endpoint(1) + L.Endpoint.Server, 2);
        Svc(3, (0, 0x1234), (1, 0x55), (6, 1), (7, 1));
        Assert.That(K.State(3), Is.EqualTo(Blocked), "the sender waits in endpoint 1's queue");
        Assert.That(K.R8(K.Endpoint(1) + L.Endpoint.Count), Is.EqualTo(1));
        K.TakeUart();

        Svc(2, (0, 0), (7, 13));                   // SYS_EXIT(0)

        Assert.That(K.Uart, Does.StartWith("[AegisOS] task 2 exited (code=0)\n"));
        Assert.That(K.State(2), Is.EqualTo(Exited));
        // The blocked sender is woken with the documented error code, its x1 kept.
        Assert.That(K.State(3), Is.AnyOf(Ready, Running));
        Assert.That(K.ContextX(3, 0), Is.EqualTo(PartnerGone));
        Assert.That(K.ContextX(3, 1), Is.EqualTo(0x55UL));
        AssertNoTraceOf(2);
    }

    /// <summary>The kernel tables name the task nowhere: endpoint queues, receivers and servers, grants, IRQ
    /// bindings, its notification state, heartbeat and IPC partner fields.</summary>
    public static void AssertNoTraceOf(int task)
    {
        for (int ep = 0; ep < L.MaxEndpoints; ep++)
        {
            ulong e = K.Endpoint(ep);
            int head = K.R8(e + L.Endpoint.Head), count = K.R8(e + L.Endpoint.Count);
            for (int i = 0; i < count; i++)
                Assert.That(K.R8(e + (ulong)((head + i) % 4)), Is.Not.EqualTo((byte)task), $"endpoint {ep} queue");
            Assert.That(K.R8(e + L.Endpoint.Receiver), Is.Not.EqualTo((byte)task), $"endpoint {ep} receiver");
            Assert.That(K.R8(e + L.Endpoint.Server), Is.Not.EqualTo((byte)task), $"endpoint {ep} server");
        }
        for (int g = 0; g < L.MaxGrants; g++)
        {
            ulong s = K.GrantSlot(g);
            bool active = K.R8(s + L.Grant.Active) != 0;
            Assert.That(active && (K.R8(s + L.Grant.Owner) == task || K.R8(s + L.Grant.Peer) == task), Is.False, $"grant {g}");
        }
        for (int b = 0; b < L.MaxIrqBindings; b++)
        {
            ulong s = K.Binding(b);
            bool active = K.R8(s + L.IrqBinding.Active) != 0;
            Assert.That(active && K.R32(s + L.IrqBinding.Task) == task, Is.False, $"IRQ binding {b}");
        }
        Assert.That(K.TcbU64(task, L.Tcb.NotifyPending), Is.Zero, "notify_pending");
        Assert.That(K.TcbU8(task, L.Tcb.NotifyWaiting), Is.Zero, "notify_waiting");
        Assert.That(K.TcbU64(task, L.Tcb.HeartbeatInterval), Is.Zero, "heartbeat");
        Assert.That(K.TcbU8(task, L.Tcb.IpcPartner), Is.EqualTo(NoTask), "ipc_partner");
        for (int t = 0; t < L.NumTasks; t++)
            if (K.State(t) == Blocked)
                Assert.That(K.TcbU8(t, L.Tcb.IpcPartner), Is.Not.EqualTo((byte)task), $"task {t} still blocked on it");
    }
}
