using Aegis.Kernel.Image;
using Aegis.Kernel.Image.Abi;
using NUnit.Framework;

namespace Aegis.Tests.Kernel.Boot;

/// <summary>
/// The per-task accounting of `aegis-emu boot` and the TCB layout it reads, checked against the kernel itself:
/// its symbol table, the TCB ids and TTBR0 ASIDs it writes (src/sched.c, README deviation 2), and the
/// J4 ping-pong's syscalls (src/user_tasks.c).
/// </summary>
[TestFixture]
public class TaskAccountingTests
{
    [Test]
    public void TcbLayoutMatchesTheImage()
    {
        var symbols = KernelSymbols.Load(KernelBoot.ImagePath);
        Assert.That(symbols.TryGet(TcbLayout.TableSymbol, out var tcbs));
        Assert.That(tcbs.Size, Is.EqualTo((ulong)TcbLayout.TableSize), "8 TCBs of sizeof(struct tcb)");
        Assert.That(symbols.TryGet(TcbLayout.CurrentTaskSymbol, out var current));
        Assert.That(current.Size, Is.EqualTo(4UL), "unsigned current_task");

        // After the boot the kernel has written each TCB's id (= index) and TTBR0 (ASID = task + 1, bits 63:48).
        var boot = KernelBoot.OnEmulator(el2: false, cycles: 30_000_000);
        var bus = boot.Machine.Board.Bus;
        for (int t = 0; t < TaskTable.NumTasks; t++)
        {
            ulong b = tcbs.Address + (ulong)(t * TcbLayout.Size);
            Assert.That(bus.Read(b + TcbLayout.IdOffset, 2, out ulong id) && id == (ulong)t, $"tcbs[{t}].id");
            Assert.That(bus.Read(b + TcbLayout.Ttbr0Offset, 8, out ulong ttbr0), Is.True);
            Assert.That(ttbr0 >> 48, Is.EqualTo(TaskTable.Asid(t)), $"tcbs[{t}].ttbr0 ASID");
        }
    }

    [Test]
    public void StatesAndCountsFollowTheKernel()
    {
        var boot = KernelBoot.OnEmulator(el2: false, cycles: 300_000_000);
        var tasks = boot.Machine.Tasks();
        var acc = boot.Machine.Accounting;
        // REFERENCE §4.6: tasks 5 and 6 are reserved and never run.
        foreach (int t in new[] { 5, 6 })
        {
            Assert.That(tasks[t].State, Is.EqualTo(TaskState.Inactive));
            Assert.That(tasks[t].Instructions, Is.Zero);
            Assert.That(tasks[t].Syscalls, Is.Zero);
        }
        // The driver answers each delivered CALL with a SEND; the client makes one CALL per loop and reports its first
        // round trip through the driver (the next report is at 0.5 s). The run may stop between a CALL and its answer.
        ulong calls = acc.Syscalls(1, (ulong)Syscall.Call);
        ulong sends = acc.Syscalls(0, (ulong)Syscall.Send);
        Assert.That(KernelBoot.RoundTrips(boot.Uart), Is.EqualTo(new[] { 1UL }));
        Assert.That(calls, Is.GreaterThan(10_000UL));
        Assert.That(sends, Is.InRange(calls - 1, calls));
        // Each loop of the client is HEARTBEAT + CALL; the driver's is HEARTBEAT + RECV + SEND after DEVICE_MAP,
        // HEARTBEAT and WRITE (src/user_tasks.c).
        Assert.That(acc.Syscalls(1, (ulong)Syscall.Heartbeat), Is.InRange(calls, calls + 2));
        Assert.That(acc.Syscalls(0, (ulong)Syscall.Recv), Is.InRange(sends, sends + 1));
        Assert.That(acc.Syscalls(0, (ulong)Syscall.DeviceMap), Is.EqualTo(1UL));
        Assert.That(acc.Syscalls(0, (ulong)Syscall.Write), Is.EqualTo(1UL));
        Assert.That(tasks[0].Syscalls, Is.EqualTo(acc.Syscalls(0, 1) + acc.Syscalls(0, 2) + acc.Syscalls(0, 11) + acc.Syscalls(0, 12) + acc.Syscalls(0, 4)));
        // Instructions add up: tasks plus kernel is everything retired.
        ulong sum = 0;
        foreach (var t in tasks) sum += t.Instructions;
        Assert.That(sum + acc.KernelInstructions, Is.EqualTo(boot.Instructions));
        Assert.That(tasks[1].Instructions, Is.InRange(calls * 10, calls * 100), "the client's loop at EL0: a few dozen instructions");
    }
}
