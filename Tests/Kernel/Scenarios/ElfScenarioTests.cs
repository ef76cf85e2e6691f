using NUnit.Framework;

namespace Aegis.Tests.Kernel.Scenarios;

/// <summary>
/// SCENARIO=elf (Kernel.Image/tests/hello_elf.S, user.ld, user_wx.ld, scenario_elf_images.S): the ELF loader
/// with a stand-in hello in task 2, a W+X image for task 3 and a bad magic for task 4. Expected: the lines
/// and order of qemu-scenario-check.sh, i.e. REF §10 checkpoints 19, 22, 29, 30 around the usual ones (§9).
/// </summary>
[TestFixture]
public class ElfScenarioTests
{
    internal static readonly string[] Expected =
    {
        "[AegisOS] ELF loader ready\n",
        "[AegisOS] task 2 (hello) loaded from ELF (entry=0x0000000040100000)\n",
        "!!! ELF load failed for wx: ELF load failed\n",
        "!!! ELF load failed for badmagic: ELF parse failed\n",
        "[AegisOS] multi-ELF loading complete\n",
        "[AegisOS] timer started (10ms, freq=62MHz)\n",
        "[AegisOS] bootstrapping into uart_driver (EL0)...\n",
        "DRV:ready",
        "L5:ELF",
        "[AegisOS] task 2 exited (code=0)\n",
        "[AegisOS] GRANT: task 0000000000000001 -> task 0000000000000000 (grant 0000000000000000)\n",
        "J4:UserDrv",
    };

    [TestCase(false)]
    [TestCase(true)]
    public void LoadsTheGoodImageRefusesTheBadOnesAndRunsIt(bool el2)
    {
        var s = new EmuScenario("elf", el2);
        var accounting = s.AttachAccounting();
        s.RunTo(3 * EmuScenario.CyclesPerTick); // the ping-pong keeps the CPU busy: ~10 M instructions per tick
        KernelScenarioImages.AssertInOrder(s.Output, Expected, "elf/Emu");
        Assert.That(s.Output, Does.Not.Contain("FAULTED").And.Not.Contain("WATCHDOG").And.Not.Contain("HALTED"));
        // The client reports its first round trip (the next report is at 0.5 s) and goes on: CALLs answered by SENDs.
        Assert.That(s.Output, Does.Contain("J4:UserDrv round trips: 1\n"));
        ulong calls = accounting.Syscalls(1, (ulong)Aegis.Kernel.Image.Abi.Syscall.Call);
        Assert.That(calls, Is.GreaterThan(1000UL), "the ping-pong runs on");
        Assert.That(accounting.Syscalls(0, (ulong)Aegis.Kernel.Image.Abi.Syscall.Send), Is.InRange(calls - 1, calls));
    }

    [Test]
    public void QemuPrintsTheSameLines()
    {
        var qemu = QemuScenario.Run("elf", 1500);
        KernelScenarioImages.AssertInOrder(qemu, Expected, "elf/QEMU");
        Assert.That(qemu, Does.Not.Contain("FAULTED").And.Not.Contain("WATCHDOG").And.Not.Contain("HALTED"));
    }
}
