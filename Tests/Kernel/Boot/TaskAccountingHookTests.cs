using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emu.AegisOs;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Kernel.Boot;

/// <summary>
/// The CPU observer hooks the AegisOS accounting uses (CpuHook.OnExceptionEntry / OnExceptionReturn) and the
/// accounting's instruction arithmetic, on a tiny EL1 program that ERETs to EL0, runs two instructions and
/// makes an SVC. Expected values: Arm ARM D1.10 (ERET to EL0t with SPSR = 0; an SVC from EL0 is taken to EL1 at
/// VBAR_EL1 + 0x400 with ESR_EL1.EC = 0x15, IL = 1, ISS = imm16).
/// </summary>
[TestFixture]
public class TaskAccountingHookTests
{
    private const ulong CurrentTask = CpuHarness.DataBase; // stands in for the kernel's current_task

    private static CpuHarness Program() => CpuHarness.FromAsm(
        "adr x0, vectors", "msr vbar_el1, x0", "isb",
        "adr x1, user", "msr elr_el1, x1", "msr spsr_el1, xzr", "eret",
        "user: mov x7, #3", "movz x8, #0x1234", "svc #0x42",
        ".balign 2048", "vectors: .skip 0x400", "mov x9, #1");

    [Test]
    public void HooksSeeTheInterruptedContext()
    {
        var h = Program();
        var seen = new List<string>();
        h.Cpu.AddHook(Hook.ExceptionReturn(_ => seen.Add($"eret to EL{h.Cpu.EL}")));
        h.Cpu.AddHook(Hook.ExceptionEntry((_, el, vector, esr, _) => seen.Add($"take from EL{h.Cpu.EL} x7={h.Cpu.X[7]} to EL{el} {vector} EC=0x{esr >> 26:X2} IL={(esr >> 25) & 1} ISS=0x{esr & 0x1FF_FFFF:X}")));
        h.Run();
        Assert.That(seen, Is.EqualTo(new[] { "eret to EL0", "take from EL0 x7=3 to EL1 Synchronous EC=0x15 IL=1 ISS=0x42" }));
        Assert.That(h.X(9), Is.EqualTo(1UL), "the lower-EL synchronous vector ran");
    }

    [Test]
    public void AccountingCountsExactlyTheEl0Instructions()
    {
        var h = Program();
        h.Write(CurrentTask, 4, 3);
        var acc = new TaskAccounting(h.Cpu, CurrentTask);
        var calls = new List<(int, ulong)>();
        acc.SyscallMade = (t, n) => calls.Add((t, n));
        h.Run();
        // mov x7, movz x8, svc: three instructions at EL0 (the SVC retires as it is taken); 7 + 1 at EL1.
        Assert.That(h.Cpu.Retired, Is.EqualTo(11UL));
        Assert.That(acc.Instructions(3), Is.EqualTo(3UL));
        Assert.That(acc.KernelInstructions, Is.EqualTo(8UL));
        Assert.That(acc.Syscalls(3), Is.EqualTo(1UL));
        Assert.That(acc.Syscalls(3, 3), Is.EqualTo(1UL));
        Assert.That(calls, Is.EqualTo(new[] { (3, 3UL) }));
        Assert.That(acc.Running, Is.EqualTo(-1), "back in the kernel");
    }
}
