using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.Functions;

/// <summary><c>irq_bind</c>, <c>irq_route</c>, <c>irq_ack</c>, <c>irq_cleanup_task</c> (REF §7.4, §11 proofs 16–18), with the GIC enable bits.</summary>
public sealed class IrqTests : KernelFunctionTest
{
    private const ulong Gicd = 0x0800_0000;
    private const uint TimerIntid = 30; // the EL1 physical timer PPI

    private static bool Enabled(uint intid)
    {
        K.Board.Bus.Read(Gicd + 0x100 + intid / 32 * 4, 4, out ulong v);
        return (v >> (int)(intid % 32) & 1) != 0;
    }

    private static void Disable(uint intid) => K.Board.Bus.Write(Gicd + 0x180 + intid / 32 * 4, 4, 1UL << (int)(intid % 32));

    private static (uint Intid, byte Task, ulong Bit, byte Active, byte Pending) B(int i) => (
        K.R32(K.Binding(i) + L.IrqBinding.Intid), K.R8(K.Binding(i) + L.IrqBinding.Task),
        K.R64(K.Binding(i) + L.IrqBinding.NotifyBit), K.R8(K.Binding(i) + L.IrqBinding.Active),
        K.R8(K.Binding(i) + L.IrqBinding.PendingAck));

    // REF §5 SYS_IRQ_BIND errors / §7.4.
    [TestCase(30u, 1UL, 0xFFFF_1001UL, TestName = "IrqBind: timer INTID 30 rejected")]
    [TestCase(31u, 1UL, 0xFFFF_1001UL, TestName = "IrqBind: INTID 31 rejected")]
    [TestCase(0u, 1UL, 0xFFFF_1001UL, TestName = "IrqBind: SGI 0 rejected")]
    [TestCase(32u, 0UL, 0xFFFF_1001UL, TestName = "IrqBind: notify bit 0 rejected")]
    [TestCase(32u, 1UL, 0x0UL, TestName = "IrqBind: INTID 32 accepted")]
    [TestCase(33u, 0x8000000000000000UL, 0x0UL, TestName = "IrqBind: UART INTID 33, bit 63")]
    [TestCase(127u, 2UL, 0x0UL, TestName = "IrqBind: INTID 127 accepted")]
    public void BindChecks(uint intid, ulong bit, ulong expected) =>
        Assert.That(K.Call("irq_bind", intid, 0, bit), Is.EqualTo(expected));

    [Test]
    public void BindRecordsEnablesAndPrints()
    {
        Disable(33);
        Assert.That(K.Call("irq_bind", 33, 0, 4), Is.Zero);
        Assert.That(B(0), Is.EqualTo((33u, (byte)0, 4UL, (byte)1, (byte)0)));
        Assert.That(Enabled(33), Is.True, "GICD_ISENABLER");
        Assert.That(K.Uart, Is.EqualTo("[AegisOS] IRQ BIND: INTID 0000000000000021 -> task 0000000000000000, bit 0000000000000004\n"));
    }

    [Test]
    public void DuplicateIntidRejected()
    {
        // Proof 18.
        K.Call("irq_bind", 40, 0, 1);
        Assert.That(K.Call("irq_bind", 40, 1, 2), Is.EqualTo(0xFFFF_1002UL));
    }

    [Test]
    public void NinthBindingFillsTable()
    {
        // REF §7.4: MAX_IRQ_BINDINGS = 8.
        for (uint i = 0; i < 8; i++) Assert.That(K.Call("irq_bind", 40 + i, 0, 1), Is.Zero);
        Assert.That(K.Call("irq_bind", 60, 0, 1), Is.EqualTo(0xFFFF_1003UL));
    }

    [Test]
    public void RouteSetsPendingMasksAndAwaitsAck()
    {
        // REF §7.4 route / proof 16: OR the bit into the bound task's pending mask, pending_ack, mask the INTID.
        K.Call("irq_bind", 33, 0, 0x4);
        K.SetTcbU64(0, L.Tcb.NotifyPending, 0x1);
        K.Call("irq_route", 33, K.Frame());
        Assert.That(K.TcbU64(0, L.Tcb.NotifyPending), Is.EqualTo(0x5UL));
        Assert.That(B(0).Pending, Is.EqualTo(1));
        Assert.That(Enabled(33), Is.False);
    }

    [Test]
    public void RouteWakesWaitingTask()
    {
        K.Call("irq_bind", 48, 3, 0x100);
        K.SetState(3, Blocked);
        K.SetTcbU8(3, L.Tcb.NotifyWaiting, 1);
        K.Call("irq_route", 48, K.Frame());
        Assert.That(K.ContextX(3, 0), Is.EqualTo(0x100UL));
        Assert.That(K.State(3), Is.EqualTo(Ready));
        Assert.That(K.TcbU64(3, L.Tcb.NotifyPending), Is.Zero);
    }

    [Test]
    public void RouteDoesNotWakeATaskTheWatchdogFaulted()
    {
        // Deviation 14: the watchdog ends the wait, so the IRQ only sets the pending bit.
        K.Call("irq_bind", 48, 3, 0x100);
        K.SetState(3, Blocked);
        K.SetTcbU8(3, L.Tcb.NotifyWaiting, 1);
        K.SetTcbU64(3, L.Tcb.HeartbeatInterval, 10);
        K.TickCount = 11;
        K.Call("watchdog_scan");
        K.Call("irq_route", 48, K.Frame());
        Assert.That(K.State(3), Is.EqualTo(Faulted));
        Assert.That(K.TcbU64(3, L.Tcb.NotifyPending), Is.EqualTo(0x100UL));
    }

    [Test]
    public void RouteOfUnboundIntidPrints()
    {
        K.Call("irq_route", 64, K.Frame());
        Assert.That(K.Uart, Is.EqualTo("!!! IRQ INTID=0000000000000040 (unbound, ignored)\n"));
    }

    [TestCase(50u, 0u, 0xFFFF_1004UL, TestName = "IrqAck: unbound INTID")]
    [TestCase(33u, 1u, 0xFFFF_1005UL, TestName = "IrqAck: other task's INTID")]
    [TestCase(33u, 0u, 0x0UL, TestName = "IrqAck: not pending -> 0")]
    public void AckChecks(uint intid, uint task, ulong expected)
    {
        K.Call("irq_bind", 33, 0, 1);
        Assert.That(K.Call("irq_ack", intid, task), Is.EqualTo(expected));
    }

    [Test]
    public void AckClearsPendingAndUnmasks()
    {
        K.Call("irq_bind", 33, 0, 1);
        K.Call("irq_route", 33, K.Frame());
        Assert.That(K.Call("irq_ack", 33, 0), Is.Zero);
        Assert.That(B(0).Pending, Is.Zero);
        Assert.That(Enabled(33), Is.True);
    }

    [Test]
    public void CleanupOfATaskWithAnInterruptAwaitingItsAckUnbindsAndMasksIt()
    {
        // The task dies between the interrupt and its SYS_IRQ_ACK: the binding goes and the INTID stays masked.
        K.Call("irq_bind", 33, 2, 1);
        K.Call("irq_route", 33, K.Frame());
        Assert.That(B(0).Pending, Is.EqualTo(1), "awaiting its ack");
        K.TakeUart();
        K.Call("irq_cleanup_task", 2);
        Assert.That(B(0).Active, Is.Zero);
        Assert.That(B(0).Pending, Is.Zero);
        Assert.That(Enabled(33), Is.False);
        Assert.That(K.Uart, Is.EqualTo("[AegisOS] IRQ cleanup: unbind INTID 0000000000000021 from task 0000000000000002\n"));
    }

    [Test]
    public void ASpuriousInterruptIsIgnored()
    {
        // GICC_IAR reads 1023 with nothing pending (GICv2 spec 4.4.4): no tick, no routing, no output. The timer's
        // PPI may be pending since the boot: it is masked for the call (the GIC is not in the harness snapshot).
        Disable(TimerIntid);
        try
        {
            ulong ticks = K.TickCount;
            K.Call("exception_dispatch_irq", K.Frame());
            Assert.That(K.TickCount, Is.EqualTo(ticks));
            Assert.That(K.Uart, Is.Empty);
        }
        finally { K.Board.Bus.Write(Gicd + 0x100 + TimerIntid / 32 * 4, 4, 1UL << (int)(TimerIntid % 32)); } // GICD_ISENABLER
    }

    [Test]
    public void CleanupUnbindsOnlyThatTask()
    {
        // REF §7.4 cleanup / proof 17: no active binding names the task; the INTID is disabled; others kept.
        K.Call("irq_bind", 40, 2, 1);
        K.Call("irq_bind", 41, 3, 1);
        K.Call("irq_bind", 42, 2, 2);
        K.TakeUart();
        K.Call("irq_cleanup_task", 2);
        Assert.That(B(0).Active, Is.Zero);
        Assert.That(B(2).Active, Is.Zero);
        Assert.That(B(1), Is.EqualTo((41u, (byte)3, 1UL, (byte)1, (byte)0)));
        Assert.That(Enabled(40), Is.False);
        Assert.That(Enabled(41), Is.True);
        Assert.That(K.Uart, Is.EqualTo(
            "[AegisOS] IRQ cleanup: unbind INTID 0000000000000028 from task 0000000000000002\n" +
            "[AegisOS] IRQ cleanup: unbind INTID 000000000000002A from task 0000000000000002\n"));
        Assert.That(K.Call("irq_bind", 40, 4, 1), Is.Zero, "the INTID can be bound again");
    }

    [Test]
    public void WatchdogFaultKeepsIrqBindings()
    {
        // REF §4.4: the watchdog runs IPC cleanup only - no grant or IRQ cleanup.
        K.Call("irq_bind", 40, 3, 1);
        K.SetTcbU64(3, L.Tcb.HeartbeatInterval, 5);
        K.TickCount = 100;
        K.Call("watchdog_scan");
        Assert.That(K.State(3), Is.EqualTo(Faulted));
        Assert.That(B(0).Active, Is.EqualTo(1));
    }

    // GICv2 (IHI 0048B §2.2.1): SPIs are INTIDs 32-1019; GICD_ISENABLER/ICENABLER hold 32 registers (0x100-0x17C,
    // 0x180-0x1FC). REF §11 proof 16 restricts INTIDs to 32-127 and REF §15 says our kernel defines what upstream
    // leaves undefined: an INTID above 1019 must be rejected (0xFFFF_1001, the "invalid" code of REF §5), not
    // turned into a read-modify-write of whatever GIC register lies 4*(intid/32) bytes past ISENABLER0.
    [TestCase(1019u, 0x0UL, TestName = "IrqBind: INTID 1019 (last SPI) accepted")]
    [TestCase(1020u, 0xFFFF_1001UL, TestName = "IrqBind: INTID 1020 (special) rejected")]
    [TestCase(1054u, 0xFFFF_1001UL, TestName = "IrqBind: INTID 1054 rejected (would hit ICENABLER0 bit 30)")]
    [TestCase(0xFFFFFFFFu, 0xFFFF_1001UL, TestName = "IrqBind: INTID 0xFFFFFFFF rejected (would fault the kernel)")]
    public void BindRejectsIntidsBeyondTheLastSpi(uint intid, ulong expected)
    {
        Assert.That(K.Call("irq_bind", intid, 0, 1), Is.EqualTo(expected));
        Assert.That(Enabled(30), Is.True, "the timer PPI stays enabled (REF §2 step 10.3)");
    }
}
