using Aegis.Emu.AegisOs;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Kernel.Boot;
using NUnit.Framework;

namespace Aegis.Tests.Snapshots;

/// <summary>
/// The AegisOS boot (committed kernel and bundle: boot, phase O tasks, timer interrupts, WFI) under
/// both timing models and at EL1 and EL2: snapshots at several points restore, in memory and from their files, to runs
/// identical to the uninterrupted one; and a restored machine's task accounting ends as the uninterrupted one's.
/// </summary>
[TestFixture, Parallelizable(ParallelScope.All)]
public sealed class KernelSnapshotTests
{
    /// <summary>10 ms of guest time: the boot, the first tasks at EL0, timer ticks and task switches (the J4 ping-pong starts later, at about 0.15 s).</summary>
    public const ulong Cycles = 10_000_000;

    [TestCase(TimingModels.Simple, false)]
    [TestCase(TimingModels.A53, false)]
    [TestCase(TimingModels.Simple, true)]
    [TestCase(TimingModels.A53, true)]
    public void AegisOsBootRestoresToTheUninterruptedRun(string timing, bool el2)
    {
        byte[] image = KernelBoot.Image(), bundle = KernelBoot.Bundle();
        var setup = new SnapshotRuns.Setup(_ => new AegisOsMachine(image, el2, bundle, timing).Board,
            new VirtBoardOptions { El2 = el2, Timing = timing }, ulong.MaxValue, Cycles);
        Assert.That(SnapshotRuns.Check(setup, $"aegis.elf at EL{(el2 ? 2 : 1)} under {timing}", points: 4), Is.EqualTo(4));
    }

    [Test]
    public void TaskAccountingIsRestoredWithTheMachine()
    {
        byte[] image = KernelBoot.Image(), bundle = KernelBoot.Bundle();
        var whole = new AegisOsMachine(image, false, bundle, TimingModels.Simple);
        whole.Run(Cycles);
        var saved = new AegisOsMachine(image, false, bundle, TimingModels.Simple);
        saved.Run(Cycles / 3);
        var file = new MemoryStream();
        saved.TakeSnapshot().WriteTo(file);
        var restored = new AegisOsMachine(image, false, bundle, TimingModels.Simple);
        restored.RestoreSnapshot(Emulator.Devices.Snapshots.MachineSnapshot.ReadFrom(new MemoryStream(file.ToArray())));
        restored.Run(Cycles);
        Assert.That(restored.Tasks(), Is.EqualTo(whole.Tasks()));
        Assert.That(restored.Accounting.KernelInstructions, Is.EqualTo(whole.Accounting.KernelInstructions));
        Assert.That(restored.Accounting.KernelCycles, Is.EqualTo(whole.Accounting.KernelCycles));
        Assert.That(whole.Tasks().Sum(t => (long)t.Syscalls), Is.GreaterThan(0), "the tasks ran");
    }

    [Test]
    public void ABootSnapshotNeedsItsAccountingSection()
    {
        byte[] image = KernelBoot.Image();
        var m = new AegisOsMachine(image, false, null, TimingModels.Simple);
        m.Run(1_000_000);
        var plain = m.Board.TakeSnapshot();
        var e = Assert.Throws<Emulator.Mmu.Snapshots.SnapshotException>(() => m.RestoreSnapshot(plain));
        Assert.That(e!.Message, Does.Contain("aegisos.tasks"));
    }
}
