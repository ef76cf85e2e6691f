using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>
/// SYS_NOTIFY / SYS_WAIT_NOTIFY (REF §5, §7.2) and SYS_WRITE pointer validation (REF §5) through
/// <c>handle_svc</c>: their handlers and <c>validate_write_args</c> are static in syscall.c and inlined.
/// The caller is task 0 (caps 0x3F0F3: WRITE, NOTIFY, WAIT_NOTIFY, REF §4.6).
/// </summary>
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

    // ---- SYS_WRITE (REF §5): valid iff 1 <= len <= 256, buf >= 0x4000_0000, buf+len <= 0x4800_0000, no wrap ----

    private const string Bad = "!!! SYS_WRITE: bad pointer !!!\n";

    [TestCase(0x4020_1000UL, 5UL, true, TestName = "Write: scratch buffer, 5 bytes")]
    [TestCase(0x4020_1000UL, 1UL, true, TestName = "Write: len 1 is the minimum")]
    [TestCase(0x4020_1000UL, 256UL, true, TestName = "Write: len 256 is the maximum")]
    [TestCase(0x4020_1000UL, 257UL, false, TestName = "Write: len 257 rejected")]
    [TestCase(0x4000_0000UL, 4UL, true, TestName = "Write: buf at RAM base")]
    [TestCase(0x3FFF_FFFFUL, 4UL, false, TestName = "Write: buf below RAM base")]
    [TestCase(0x47FF_FFF0UL, 16UL, true, TestName = "Write: ends exactly at 0x4800_0000")]
    [TestCase(0x47FF_FFF1UL, 16UL, false, TestName = "Write: ends past 0x4800_0000")]
    [TestCase(0x4800_0000UL, 1UL, false, TestName = "Write: buf at RAM end")]
    [TestCase(0x0UL, 1UL, false, TestName = "Write: null pointer")]
    [TestCase(0xFFFFFFFFFFFFFFF0UL, 0x20UL, false, TestName = "Write: wrapping range")]
    [TestCase(0x0900_0000UL, 1UL, false, TestName = "Write: UART MMIO rejected")]
    public void WriteValidation(ulong buf, ulong len, bool valid)
    {
        // The frame is at Scratch; test buffers start one page above it.
        bool inScratch = buf - (KernelHarness.Scratch + 0x1000) < KernelHarness.ScratchSize - 0x1000;
        var text = new byte[inScratch ? (int)Math.Min(len, 256) : 0];
        for (int i = 0; i < text.Length; i++) text[i] = (byte)('a' + i % 26);
        if (inScratch) K.WriteBytes(buf, text);
        Assert.That(Svc(4, buf, len), Is.EqualTo(buf), "x0 unchanged");
        if (valid)
        {
            Assert.That(K.Uart, Does.Not.Contain("bad pointer"));
            Assert.That(K.Uart.Length, Is.EqualTo((int)len));
            if (inScratch)
                Assert.That(K.Uart, Is.EqualTo(System.Text.Encoding.ASCII.GetString(text)));
        }
        else Assert.That(K.Uart, Is.EqualTo(Bad));
    }

    [TestCase(0x4020_0000UL)]
    [TestCase(0x0UL)]
    public void WriteOfLengthZeroPrintsNothing(ulong buf)
    {
        // REF §5: "If invalid and len>0, prints" - len 0 is invalid but silent.
        Svc(4, buf, 0);
        Assert.That(K.Uart, Is.Empty);
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
    public void ExitKeepsNotificationState()
    {
        // REF §9: notify_pending and notify_waiting are not cleared on exit.
        K.SetTcbU64(2, L.Tcb.NotifyPending, 0x30);
        K.CurrentTask = 2;
        K.SetState(2, Running);
        K.Call("handle_svc", K.Frame(0, (0, 3), (7, 13)));
        Assert.That(K.State(2), Is.EqualTo(Exited));
        Assert.That(K.TcbU64(2, L.Tcb.NotifyPending), Is.EqualTo(0x30UL));
        Assert.That(K.Uart, Does.StartWith("[AegisOS] task 2 exited (code=3)\n"));
    }
}
