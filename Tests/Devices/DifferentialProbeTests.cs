using Aegis.Emulator.Cpu;
using NUnit.Framework;

namespace Aegis.Tests.Devices;

/// <summary>
/// The same compiled probe on both machines: every device script and the PSCI call table, built with clang-14 as
/// a bare-metal ELF, must print on Aegis exactly what it prints on qemu-system-aarch64 7.2. This exercises the
/// CPU, bus and devices together; it is skipped while the CPU cannot decode HLT (the probes report through
/// semihosting).
/// </summary>
[Category("Reference")]
public class DifferentialProbeTests
{
    public static IEnumerable<TestCaseData> Probes()
    {
        foreach (var (name, ops) in GicV2Scenarios.All) yield return new TestCaseData("gic:" + name, MmioScript.ToC(ops)).SetName("Gic_" + name);
        foreach (var (name, ops) in Pl011Scenarios.All) yield return new TestCaseData("uart:" + name, MmioScript.ToC(ops)).SetName("Pl011_" + name);
        foreach (var (name, ops) in CfiFlashScenarios.All) yield return new TestCaseData("flash:" + name, MmioScript.ToC(ops)).SetName("CfiFlash_" + name);
        yield return new TestCaseData("psci", PsciTests.CallsAsC()).SetName("Psci_Calls");
    }

    [TestCaseSource(nameof(Probes))]
    public void ProbePrintsTheSameOnAegisAndQemu(string name, string mainBody)
    {
        string qemu = BareMetalProbe.RunOnQemu(mainBody);
        var (reason, exitCode, output) = BareMetalProbe.RunOnAegis(BareMetalProbe.BuildElf(mainBody));
        Assert.That(reason, Is.EqualTo(StopReason.GuestExit), $"{name}: the probe did not finish; it printed:\n{output}");
        Assert.That(exitCode, Is.Zero);
        Assert.That(output, Is.EqualTo(qemu), name);
    }
}
