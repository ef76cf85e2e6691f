using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>Register conventions of SYS_HEARTBEAT, GRANT_*, IRQ_*, DEVICE_MAP and EXIT through <c>handle_svc</c> (REF §5 table, §9).
/// The caller is task 0 unless stated (REF §4.6 caps).</summary>
public sealed class SyscallTests : KernelFunctionTest
{
    private static ulong Svc(ulong nr, ulong x0 = 0, ulong x1 = 0, ulong x6 = 0)
    {
        K.CurrentTask = 0;
        K.SetState(0, Running);
        ulong f = K.Frame(0, (0, x0), (1, x1), (6, x6), (7, nr));
        K.Call("handle_svc", f);
        return K.FrameX(0);
    }

    // ---- register conventions of the other syscalls through handle_svc (REF §5 table) ----

    [Test]
    public void HeartbeatSyscallReturnsZeroAndRecords()
    {
        K.TickCount = 900;
        Assert.That(Svc(12, 50), Is.Zero);
        Assert.That(K.TcbU64(0, L.Tcb.HeartbeatInterval), Is.EqualTo(50UL));
        Assert.That(K.TcbU64(0, L.Tcb.LastHeartbeat), Is.EqualTo(900UL));
    }

    [Test]
    public void GrantCreateSyscallUsesCallerAsOwnerAndX6AsPeer()
    {
        K.AssignGrants(0, 0b10); // deviation 11: grant 1 is the caller's in this table
        Assert.That(Svc(7, 1, x6: 3), Is.Zero);
        Assert.That(K.R8(K.GrantSlot(1) + L.Grant.Owner), Is.EqualTo(0));
        Assert.That(K.R8(K.GrantSlot(1) + L.Grant.Peer), Is.EqualTo(3));
        Assert.That(Svc(8, 1), Is.Zero, "the owner revokes");
    }

    [Test]
    public void IrqBindSyscallTruncatesIntidToU32()
    {
        // REF §5: x0 = intid "as u32": 0x1_0000_0021 binds INTID 33.
        Assert.That(Svc(9, 0x1_0000_0021UL, 0x2), Is.Zero);
        Assert.That(K.R32(K.Binding(0) + L.IrqBinding.Intid), Is.EqualTo(33u));
        Assert.That(Svc(10, 33), Is.Zero, "the bound task acks");
    }

    [Test]
    public void DeviceMapSyscallMapsCaller()
    {
        Assert.That(Svc(11, 0), Is.Zero);
        Assert.That(K.Uart, Is.EqualTo("[AegisOS] DEVICE MAP: UART0 -> task 0000000000000000\n"));
        Assert.That(Svc(11, 1), Is.EqualTo(0xFFFF_2001UL));
    }

    [Test]
    public void ExitReleasesNotificationState()
    {
        // REF §9 says upstream keeps notify_pending / notify_waiting on exit; our kernel releases them
        // (docs/PHASE-O-DECISIONS.md, SYS_EXIT), and drops a later SYS_NOTIFY to the Exited task.
        K.SetTcbU64(2, L.Tcb.NotifyPending, 0x30);
        K.CurrentTask = 2;
        K.SetState(2, Running);
        K.Call("handle_svc", K.Frame(0, (0, 3), (7, 13)));
        Assert.That(K.State(2), Is.EqualTo(Exited));
        Assert.That(K.TcbU64(2, L.Tcb.NotifyPending), Is.EqualTo(0UL));
        Assert.That(K.Uart, Does.StartWith("[AegisOS] task 2 exited (code=3)\n"));
        // A notification sent to the Exited task afterwards leaves no trace either.
        K.CurrentTask = 0;
        K.SetState(0, Running);
        K.Call("handle_svc", K.Frame(0, (0, 0x4), (6, 2), (7, 5)));
        Assert.That(K.TcbU64(2, L.Tcb.NotifyPending), Is.EqualTo(0UL));
        Assert.That(K.State(2), Is.EqualTo(Exited));
    }
}
