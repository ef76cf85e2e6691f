using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.Functions;

/// <summary><c>cap_for_syscall</c>, <c>cap_check</c>, <c>cap_name</c> and the SVC capability gate in <c>handle_svc</c> (REF §5, §6, §4.6).</summary>
public sealed class CapabilityTests : KernelFunctionTest
{
    // REF §5 table, "Cap (bit)" column; REF §6 bit numbers. Unknown numbers and ep > 3 need nothing.
    [TestCase(0UL, 0UL, 0x20UL, TestName = "CapFor: YIELD -> bit 5")]
    [TestCase(1UL, 0UL, 0x1UL, TestName = "CapFor: SEND ep0 -> bit 0")]
    [TestCase(1UL, 1UL, 0x4UL, TestName = "CapFor: SEND ep1 -> bit 2")]
    [TestCase(1UL, 2UL, 0x100UL, TestName = "CapFor: SEND ep2 -> bit 8")]
    [TestCase(1UL, 3UL, 0x400UL, TestName = "CapFor: SEND ep3 -> bit 10")]
    [TestCase(1UL, 4UL, 0x0UL, TestName = "CapFor: SEND ep4 -> none")]
    [TestCase(2UL, 0UL, 0x2UL, TestName = "CapFor: RECV ep0 -> bit 1")]
    [TestCase(2UL, 1UL, 0x8UL, TestName = "CapFor: RECV ep1 -> bit 3")]
    [TestCase(2UL, 2UL, 0x200UL, TestName = "CapFor: RECV ep2 -> bit 9")]
    [TestCase(2UL, 3UL, 0x800UL, TestName = "CapFor: RECV ep3 -> bit 11")]
    [TestCase(2UL, 99UL, 0x0UL, TestName = "CapFor: RECV ep99 -> none")]
    [TestCase(3UL, 0UL, 0x3UL, TestName = "CapFor: CALL ep0 -> bits 0+1")]
    [TestCase(3UL, 1UL, 0xCUL, TestName = "CapFor: CALL ep1 -> bits 2+3")]
    [TestCase(3UL, 2UL, 0x300UL, TestName = "CapFor: CALL ep2 -> bits 8+9")]
    [TestCase(3UL, 3UL, 0xC00UL, TestName = "CapFor: CALL ep3 -> bits 10+11")]
    [TestCase(3UL, 4UL, 0x0UL, TestName = "CapFor: CALL ep4 -> none")]
    [TestCase(4UL, 0UL, 0x10UL, TestName = "CapFor: WRITE -> bit 4")]
    [TestCase(4UL, 99UL, 0x10UL, TestName = "CapFor: WRITE ignores x6")]
    [TestCase(5UL, 0UL, 0x40UL, TestName = "CapFor: NOTIFY -> bit 6")]
    [TestCase(6UL, 0UL, 0x80UL, TestName = "CapFor: WAIT_NOTIFY -> bit 7")]
    [TestCase(7UL, 3UL, 0x1000UL, TestName = "CapFor: GRANT_CREATE -> bit 12")]
    [TestCase(8UL, 0UL, 0x2000UL, TestName = "CapFor: GRANT_REVOKE -> bit 13")]
    [TestCase(9UL, 0UL, 0x4000UL, TestName = "CapFor: IRQ_BIND -> bit 14")]
    [TestCase(10UL, 0UL, 0x8000UL, TestName = "CapFor: IRQ_ACK -> bit 15")]
    [TestCase(11UL, 0UL, 0x10000UL, TestName = "CapFor: DEVICE_MAP -> bit 16")]
    [TestCase(12UL, 0UL, 0x20000UL, TestName = "CapFor: HEARTBEAT -> bit 17")]
    [TestCase(13UL, 0UL, 0x40000UL, TestName = "CapFor: EXIT -> bit 18")]
    [TestCase(14UL, 0UL, 0x0UL, TestName = "CapFor: 14 unknown -> none")]
    [TestCase(0xFFFFFFFFFFFFFFFFUL, 0UL, 0x0UL, TestName = "CapFor: ~0 unknown -> none")]
    public void CapForSyscall(ulong nr, ulong ep, ulong expected)
    {
        ulong got = K.Call("cap_for_syscall", nr, ep);
        Assert.That(got, Is.EqualTo(expected));
        Assert.That(got & ~0x7FFFFUL, Is.Zero, "Kani proof 2: subset of CAP_ALL");
    }

    // REF §11 proof 1: cap_check == ((caps & req) == req).
    [TestCase(0x0UL, 0x0UL, true, TestName = "CapCheck: req 0 passes with no caps")]
    [TestCase(0x0UL, 0x1UL, false, TestName = "CapCheck: no caps fail")]
    [TestCase(0x7FFFFUL, 0x40000UL, true, TestName = "CapCheck: CAP_ALL passes EXIT")]
    [TestCase(0x3F0F3UL, 0x3UL, true, TestName = "CapCheck: task 0 may CALL ep0")]
    [TestCase(0x40038UL, 0x3UL, false, TestName = "CapCheck: logger may not CALL ep0")]
    [TestCase(0x40038UL, 0x8UL, true, TestName = "CapCheck: logger may RECV ep1")]
    [TestCase(0x60034UL, 0xCUL, false, TestName = "CapCheck: sensor lacks RECV ep1 half of CALL ep1")]
    [TestCase(0x20UL, 0x20UL, true, TestName = "CapCheck: idle may YIELD")]
    [TestCase(0x20UL, 0x10UL, false, TestName = "CapCheck: idle may not WRITE")]
    [TestCase(0x230F3UL, 0x10000UL, false, TestName = "CapCheck: client may not DEVICE_MAP")]
    [TestCase(0x3F0F3UL, 0x10000UL, true, TestName = "CapCheck: driver may DEVICE_MAP")]
    [TestCase(0xFFFFFFFFFFFFFFFFUL, 0x7FFFFUL, true, TestName = "CapCheck: all bits pass CAP_ALL")]
    public void CapCheck(ulong caps, ulong required, bool expected) =>
        Assert.That((byte)K.Call("cap_check", caps, required) != 0, Is.EqualTo(expected));

    // REF §6: names without CAP_, plus ALL, NONE and UNKNOWN.
    [TestCase(0x1UL, "IPC_SEND_EP0")]
    [TestCase(0x2UL, "IPC_RECV_EP0")]
    [TestCase(0x4UL, "IPC_SEND_EP1")]
    [TestCase(0x8UL, "IPC_RECV_EP1")]
    [TestCase(0x10UL, "WRITE")]
    [TestCase(0x20UL, "YIELD")]
    [TestCase(0x40UL, "NOTIFY")]
    [TestCase(0x80UL, "WAIT_NOTIFY")]
    [TestCase(0x100UL, "IPC_SEND_EP2")]
    [TestCase(0x200UL, "IPC_RECV_EP2")]
    [TestCase(0x400UL, "IPC_SEND_EP3")]
    [TestCase(0x800UL, "IPC_RECV_EP3")]
    [TestCase(0x1000UL, "GRANT_CREATE")]
    [TestCase(0x2000UL, "GRANT_REVOKE")]
    [TestCase(0x4000UL, "IRQ_BIND")]
    [TestCase(0x8000UL, "IRQ_ACK")]
    [TestCase(0x10000UL, "DEVICE_MAP")]
    [TestCase(0x20000UL, "HEARTBEAT")]
    [TestCase(0x40000UL, "EXIT")]
    [TestCase(0x7FFFFUL, "ALL")]
    [TestCase(0x0UL, "NONE")]
    [TestCase(0x3UL, "UNKNOWN")]
    [TestCase(0x80000UL, "UNKNOWN")]
    public void CapName(ulong cap, string name) =>
        Assert.That(K.CString(K.Call("cap_name", cap)), Is.EqualTo(name));

    // REF §4.6: caps applied from TASK_META at boot.
    [TestCase(0, 0x3F0F3UL)]
    [TestCase(1, 0x230F3UL)]
    [TestCase(2, 0x40030UL)]
    [TestCase(3, 0x60034UL)]
    [TestCase(4, 0x40038UL)]
    [TestCase(5, 0x0UL)]
    [TestCase(6, 0x0UL)]
    [TestCase(7, 0x20UL)]
    public void BootCaps(int task, ulong caps) => Assert.That(K.TcbU64(task, L.Tcb.Caps), Is.EqualTo(caps));

    private static string Svc(uint task, ulong caps, ulong nr, ulong ep, ulong x0 = 0)
    {
        K.CurrentTask = task;
        K.SetState((int)task, Running);
        K.SetTcbU64((int)task, L.Tcb.Caps, caps);
        K.Call("handle_svc", K.Frame(0, (0, x0), (6, ep), (7, nr)));
        return K.Uart;
    }

    // REF §5 "Order of checks": a task holding every cap except the required one(s) is denied and faulted.
    [TestCase(0UL, 0UL, 0x20UL, "YIELD")]
    [TestCase(1UL, 0UL, 0x1UL, "IPC_SEND_EP0")]
    [TestCase(2UL, 1UL, 0x8UL, "IPC_RECV_EP1")]
    [TestCase(3UL, 2UL, 0x300UL, "UNKNOWN")]
    [TestCase(4UL, 0UL, 0x10UL, "WRITE")]
    [TestCase(5UL, 1UL, 0x40UL, "NOTIFY")]
    [TestCase(6UL, 0UL, 0x80UL, "WAIT_NOTIFY")]
    [TestCase(7UL, 0UL, 0x1000UL, "GRANT_CREATE")]
    [TestCase(8UL, 0UL, 0x2000UL, "GRANT_REVOKE")]
    [TestCase(9UL, 0UL, 0x4000UL, "IRQ_BIND")]
    [TestCase(10UL, 0UL, 0x8000UL, "IRQ_ACK")]
    [TestCase(11UL, 0UL, 0x10000UL, "DEVICE_MAP")]
    [TestCase(12UL, 0UL, 0x20000UL, "HEARTBEAT")]
    [TestCase(13UL, 0UL, 0x40000UL, "EXIT")]
    public void SvcDeniedWithoutItsCap(ulong nr, ulong ep, ulong missing, string name)
    {
        string uart = Svc(2, 0x7FFFFUL & ~missing, nr, ep);
        Assert.That(uart, Does.StartWith($"!!! CAP DENIED: task 0000000000000002 syscall #{nr:X16} needs {name} \u2014 faulting\n" +
                                         "[AegisOS] TASK 0000000000000002 FAULTED\n"));
        Assert.That(K.State(2), Is.EqualTo(Faulted));
    }

    // The same syscalls pass the gate with exactly their own cap (no denial, not faulted).
    [TestCase(0UL, 0UL, 0x20UL)]
    [TestCase(1UL, 0UL, 0x1UL)]
    [TestCase(2UL, 1UL, 0x8UL)]
    [TestCase(3UL, 2UL, 0x300UL)]
    [TestCase(4UL, 0UL, 0x10UL)]
    [TestCase(5UL, 1UL, 0x40UL)]
    [TestCase(6UL, 0UL, 0x80UL)]
    [TestCase(7UL, 0UL, 0x1000UL)]
    [TestCase(8UL, 0UL, 0x2000UL)]
    [TestCase(9UL, 0UL, 0x4000UL)]
    [TestCase(10UL, 0UL, 0x8000UL)]
    [TestCase(11UL, 0UL, 0x10000UL)]
    [TestCase(12UL, 0UL, 0x20000UL)]
    [TestCase(13UL, 0UL, 0x40000UL)]
    public void SvcAllowedWithItsCap(ulong nr, ulong ep, ulong caps)
    {
        string uart = Svc(2, caps, nr, ep);
        Assert.That(uart, Does.Not.Contain("CAP DENIED"));
        Assert.That(K.State(2), Is.Not.EqualTo(Faulted));
    }

    [TestCase(14UL)]
    [TestCase(0x100UL)]
    public void UnknownSyscallFaults(ulong nr)
    {
        // REF §5: required = 0 passes, then "!!! unknown syscall #<hex16> — faulting task" and the task faults.
        string uart = Svc(2, 0x40030, nr, 0);
        Assert.That(uart, Does.StartWith($"!!! unknown syscall #{nr:X16} \u2014 faulting task\n"));
        Assert.That(K.State(2), Is.EqualTo(Faulted));
    }

    [TestCase(1UL)]
    [TestCase(2UL)]
    [TestCase(3UL)]
    public void IpcOnBadEndpointOnlyPrints(ulong nr)
    {
        // REF §5: ep > 3 needs no cap; prints "!!! IPC: invalid endpoint" and returns, no fault, no error code.
        string uart = Svc(2, 0x40030, nr, 4, x0: 0x77);
        Assert.That(uart, Is.EqualTo("!!! IPC: invalid endpoint\n"));
        Assert.That(K.State(2), Is.EqualTo(Running));
        Assert.That(K.FrameX(0), Is.EqualTo(0x77UL));
    }
}
