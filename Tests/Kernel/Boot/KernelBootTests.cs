using Aegis.Emulator.Cpu;
using Aegis.Kernel.Image.Abi;
using NUnit.Framework;

namespace Aegis.Tests.Kernel.Boot;

/// <summary>
/// The committed Kernel.Image/bin/aegis.elf boots on Aegis.Emu and on QEMU 7.2 (the reference), entering at EL1
/// and at EL2, and both print every checkpoint of phases A-N (REFERENCE §10 items 1-18, 23-28, 32) in order.
/// </summary>
[TestFixture]
public class KernelBootTests
{
    private static readonly string[] Bad = ["FAULTED", "WATCHDOG", "PANIC", "!!!", "HALTED", "RESTARTED"];

    [TestCase(false, TestName = "Emulator boots AegisOS at EL1: all phase A-N checkpoints in order")]
    [TestCase(true, TestName = "Emulator boots AegisOS at EL2: all phase A-N checkpoints in order")]
    public void EmulatorPrintsEveryCheckpointInOrder(bool el2)
    {
        var boot = KernelBoot.OnEmulator(el2);
        Assert.That(boot.Stop, Is.EqualTo(StopReason.CycleLimit), "a kernel runs until the time limit");
        Assert.That(boot.Uart, Does.StartWith("\n[AegisOS] boot\n"), "REFERENCE §10: the first line is preceded by \\n");
        Assert.That(KernelBoot.FirstMissing(boot.Uart, BootCheckpoints.KernelOnlyStage), Is.Null, () => KernelBoot.Head(boot.Uart));
        foreach (var bad in Bad)
            Assert.That(boot.Uart, Does.Not.Contain(bad), () => KernelBoot.Head(boot.Uart));
        // The J4 ping-pong runs: the client reports its first round trip, and in these 0.3 s (about 0.1 s after the
        // sensor's and the logger's budgets) it makes thousands of CALLs, each answered by the driver's SEND.
        Assert.That(KernelBoot.RoundTrips(boot.Uart), Is.EqualTo(new[] { 1UL }), () => KernelBoot.Head(boot.Uart));
        ulong calls = boot.Machine.Accounting.Syscalls(1, (ulong)Syscall.Call);
        Assert.That(calls, Is.GreaterThan(10_000UL), "the J4 ping-pong keeps running");
        Assert.That(boot.Machine.Accounting.Syscalls(0, (ulong)Syscall.Send), Is.InRange(calls - 1, calls));
    }

    [TestCase(false, TestName = "QEMU boots AegisOS at EL1: all phase A-N checkpoints in order")]
    [TestCase(true, TestName = "QEMU boots AegisOS at EL2: all phase A-N checkpoints in order")]
    public void QemuPrintsEveryCheckpointInOrder(bool el2)
    {
        string output = KernelBoot.OnQemu(el2);
        Assert.That(output, Does.StartWith("\n[AegisOS] boot\n"));
        Assert.That(KernelBoot.FirstMissing(output, BootCheckpoints.KernelOnlyStage), Is.Null, () => KernelBoot.Head(output));
        foreach (var bad in Bad)
            Assert.That(output, Does.Not.Contain(bad), () => KernelBoot.Head(output));
        // The ping-pong runs on QEMU too: its first report, then the one at the 0.5 s mark with a larger count.
        var trips = KernelBoot.RoundTrips(output);
        Assert.That(trips, Has.Count.GreaterThanOrEqualTo(2), () => KernelBoot.Head(output));
        Assert.That(trips[0], Is.EqualTo(1UL));
        Assert.That(KernelBoot.Grows(trips), Is.True, string.Join(", ", trips));
    }

    [TestCase(false, TestName = "Boot transcript at EL1 is byte-identical on Aegis.Emu and QEMU")]
    [TestCase(true, TestName = "Boot transcript at EL2 is byte-identical on Aegis.Emu and QEMU")]
    public void BootTranscriptMatchesQemu(bool el2)
    {
        // Everything up to hello's exit line: the 29 boot lines with their full text (timer frequency,
        // ELF entries), the DEVICE_MAP line, DRV:ready, L5:ELF, SENSOR:init, LOGGER:init, LOG:0. QEMU is the reference.
        string qemu = KernelBoot.Transcript(KernelBoot.OnQemu(el2, reports: 1));
        string emu = KernelBoot.Transcript(KernelBoot.OnEmulator(el2).Uart);
        Assert.That(qemu, Does.Contain("DRV:ready"), () => KernelBoot.Head(qemu));
        Assert.That(emu, Is.EqualTo(qemu));
    }

    [Test]
    public void TwoEmulatorBootsAreIdentical()
    {
        // The machine is deterministic: same UART bytes, instruction and cycle counts, and per-task accounting.
        var a = KernelBoot.OnEmulator(el2: false, cycles: 60_000_000);
        var b = KernelBoot.OnEmulator(el2: false, cycles: 60_000_000);
        Assert.That(a.UartBytes.Length, Is.GreaterThan(1000));
        Assert.That(b.UartBytes, Is.EqualTo(a.UartBytes));
        Assert.That(b.Instructions, Is.EqualTo(a.Instructions));
        Assert.That(b.Cycles, Is.EqualTo(a.Cycles));
        Assert.That(b.Machine.Tasks(), Is.EqualTo(a.Machine.Tasks()));
    }
}
