using Aegis.Emulator.Cpu;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Firmware;

/// <summary>
/// Debian's U-Boot for qemu_arm64 as -bios on Aegis.Emu and on qemu-system-aarch64 7.2: it must reach its prompt and
/// answer `version` and `bdinfo` with the same lines. The device tree is QEMU's, less the nodes of devices Aegis.Emu
/// does not model; QEMU gets it through -dtb, Aegis.Emu the bytes QEMU then places at 0x4000_0000 (<see cref="UBoot.Dtb"/>),
/// so that U-Boot's fdt_size and the addresses derived from it agree. Lines are compared after dropping CRs and
/// trailing blanks: the autoboot countdown ends " 0" when the key is already waiting at its first check (always on
/// Aegis.Emu, where the key is typed as the countdown text appears) and " 0 " when it comes during the first second
/// (QEMU, where the key crosses a pipe).
/// </summary>
[Category("Reference")]
public class UBootTests
{
    private static readonly UBoot.Step[] VersionAndBdinfo =
    [
        new("Hit any key to stop autoboot: ", " "),
        new("=> ", "version\r"),
        new("=> ", "bdinfo\r"),
        new("=> ", null),
    ];

    private string _dir = "";

    [SetUp] public void SetUp() => _dir = Directory.CreateTempSubdirectory("aegis-uboot-").FullName;
    [TearDown] public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public void ReachesThePromptAndAnswersVersionAndBdinfoAsOnQemu()
    {
        byte[] uboot = UBoot.RequireBinary();
        var dtb = UBoot.Dtb(_dir, trim: true);
        var run = UBoot.RunOnAegis(uboot, dtb.Memory, VersionAndBdinfo);
        TestContext.Out.WriteLine($"Aegis.Emu: first prompt after {run.InstructionsToFirstPrompt} instructions; " +
            $"{run.Instructions} instructions in all, {run.HostSeconds:F2} s host");
        Assert.That(run.Reason, Is.EqualTo(StopReason.GuestExit), $"the session did not finish ({run.Reason}, PC 0x{run.Board.Cpu.PC:X}):\n{run.Output}");
        string qemu = UBoot.RunOnQemu(UBoot.Binary, dtb.File!, VersionAndBdinfo);
        string[] ours = UBoot.Lines(run.Output), theirs = UBoot.Lines(qemu);
        Assert.That(ours, Does.Contain("=> version"));
        Assert.That(ours.Any(l => l.StartsWith("U-Boot 2023.01")), Is.True, "version answered");
        Assert.That(ours, Does.Contain("-> size     = 0x0000000008000000"), "bdinfo answered");
        var differing = Enumerable.Range(0, Math.Max(ours.Length, theirs.Length))
            .Where(i => i >= ours.Length || i >= theirs.Length || ours[i] != theirs[i])
            .Select(i => $"line {i}: Aegis.Emu \"{(i < ours.Length ? ours[i] : "(none)")}\", QEMU \"{(i < theirs.Length ? theirs[i] : "(none)")}\"");
        Assert.That(differing, Is.Empty, $"Aegis.Emu:\n{run.Output}\nQEMU:\n{qemu}");
    }

    [Test]
    public void TwoRunsGiveTheSameBytesInstructionsAndCycles()
    {
        byte[] uboot = UBoot.RequireBinary();
        byte[] dtb = UBoot.Dtb(_dir, trim: true).Memory;
        var a = UBoot.RunOnAegis(uboot, dtb, VersionAndBdinfo);
        var b = UBoot.RunOnAegis(uboot, dtb, VersionAndBdinfo);
        TestContext.Out.WriteLine($"{a.Instructions} instructions, {a.Board.Cpu.Cycles} cycles ({a.Board.Options.Timing}), {a.HostSeconds:F2} s host");
        Assert.That(a.Reason, Is.EqualTo(StopReason.GuestExit));
        Assert.That(b.Output, Is.EqualTo(a.Output));
        Assert.That(b.Instructions, Is.EqualTo(a.Instructions));
        Assert.That(b.Board.Cpu.Cycles, Is.EqualTo(a.Board.Cpu.Cycles));
    }

    [Test] // what `run --bios` gives it: the board's own devicetree (VirtDeviceTree, with the flash banks) at the RAM base
    public void ReachesThePromptWithTheBoardsOwnDevicetree()
    {
        byte[] uboot = UBoot.RequireBinary();
        var tree = Emulator.Devices.DeviceTree.VirtDeviceTree.Build(new Emulator.Devices.VirtBoardOptions(), new Emulator.Devices.DeviceTree.ChosenOptions());
        var run = UBoot.RunOnAegis(uboot, tree, VersionAndBdinfo);
        Assert.That(run.Reason, Is.EqualTo(StopReason.GuestExit), $"the session did not finish ({run.Reason}):\n{run.Output}");
        string[] ours = UBoot.Lines(run.Output);
        Assert.That(ours, Does.Contain("Flash: 64 MiB"), "the flash node is found");
        Assert.That(ours.Any(l => l.StartsWith("U-Boot 2023.01")), Is.True, "version answered");
        Assert.That(ours, Does.Contain("flashsize   = 0x0000000004000000"), "bdinfo answered");
    }

    [Test]
    public void WithQemusFullDeviceTreeThePcieProbeIsAnExternalAbort()
    {
        // The unmodelled devices stay unmodelled: with QEMU's whole DTB, U-Boot's PCI probe reads the vendor ID of
        // 00:00.0 in the high ECAM window (0x40_1000_0000) and takes a synchronous external abort (ESR 0x96000010).
        byte[] uboot = UBoot.RequireBinary();
        var run = UBoot.RunOnAegis(uboot, UBoot.Dtb(_dir, trim: false).Memory, VersionAndBdinfo, maxInstructions: 400_000_000);
        Assert.That(run.Output, Does.Contain("\"Synchronous Abort\" handler, esr 0x96000010"));
        Assert.That(run.Output, Does.Contain("x0 : 0000004010000000"));
        Assert.That(run.Output, Does.Not.Contain("=> "));
    }
}
