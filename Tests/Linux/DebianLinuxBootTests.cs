using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Emulator.Devices.Linux;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Linux;

/// <summary>
/// Boots Debian's arm64 Linux kernel with a busybox initramfs on qemu-system-aarch64 (the reference) and on Aegis.Emu,
/// and compares their consoles line for line (docs/LINUX.md). QEMU is given this board's own devicetree (-dtb), so both
/// machines describe the same devices; what may differ is masked first: printk timestamps, long hex addresses,
/// the timer's interrupt count and the "Memory:" totals (QEMU pads a -dtb blob, so it reserves
/// a few KiB more for it). The init script prints uname, writes and reads back a file, /proc/interrupts and a
/// SHA-256, then powers off (PSCI SYSTEM_OFF), which ends both runs. Each test names its timing model itself, so the
/// names avoid "Qemu": scripts/test.sh's second pass (every QEMU differential again under a53) would only repeat them.
/// </summary>
[NonParallelizable]
public class DebianLinuxBootTests
{
    /// <summary>
    /// Lines printed by kernel threads land where the scheduler lets them, which differs between the machines:
    /// initramfs_async=0 unpacks the initramfs before the rest of the boot, and audit=0 replaces kauditd's
    /// "audit: type=2000" line (late under QEMU with 6.1) by one printed in place.
    /// </summary>
    private const string BootArgs = "console=ttyAMA0 initramfs_async=0 audit=0";
    private const ulong InstructionLimit = 4_000_000_000;
    private const string KnownText = "Aegis.Emu boots Debian Linux.\n";

    private const string Init = """
        #!/bin/busybox sh
        /bin/busybox --install -s /bin
        export PATH=/bin
        mount -t proc proc /proc
        echo "init: uname"
        uname -a
        echo "written by init" > /tmp/note
        echo "read back: $(cat /tmp/note)"
        cat /proc/interrupts
        sha256sum /etc/known.txt
        echo "init: powering off"
        poweroff -f
        """;

    private static string _dir = "";
    private static byte[] _kernel = [], _initrd = [];
    private static string _package = "";

    [OneTimeSetUp]
    public void SetUp()
    {
        var (vmlinuz, busybox, package) = DebianLinux.Require();
        _package = package;
        _kernel = File.ReadAllBytes(vmlinuz);
        _initrd = new NewcArchive()
            .Directory("bin").Directory("proc").Directory("tmp").Directory("etc").Directory("dev")
            .File("bin/busybox", File.ReadAllBytes(busybox), executable: true)
            .File("etc/known.txt", KnownText)
            .File("init", Init.Replace("\r", "") + "\n", executable: true)
            .Finish();
        _dir = Directory.CreateTempSubdirectory("aegis-linux-").FullName;
        File.WriteAllBytes(Path.Combine(_dir, "vmlinuz"), _kernel);
        File.WriteAllBytes(Path.Combine(_dir, "initrd.cpio"), _initrd);
    }

    [OneTimeTearDown]
    public void TearDown() { if (_dir.Length > 0) Directory.Delete(_dir, true); }

    private static LinuxBootOptions Boot => new() { Kernel = _kernel, Initrd = _initrd, BootArgs = BootArgs };

    /// <summary>QEMU's console, booted with this board's devicetree blob (at EL2 with virtualization=on); run once per EL and shared.</summary>
    private static string[] QemuConsole(bool el2)
    {
        if (Qemu.TryGetValue(el2, out var cached)) return cached;
        var board = new VirtBoard(new VirtBoardOptions { El2 = el2 });
        var layout = board.LoadLinux(Boot);
        string dtb = Path.Combine(_dir, el2 ? "aegis-el2.dtb" : "aegis.dtb");
        File.WriteAllBytes(dtb, layout.Dtb);
        var watch = Stopwatch.StartNew();
        string output = ReferenceTools.Run(ReferenceTools.QemuSystem,
            $"-M virt{(el2 ? ",virtualization=on" : "")} -cpu cortex-a53 -nic none -m 128 -nographic -kernel {_dir}/vmlinuz -initrd {_dir}/initrd.cpio " +
            $"-dtb {dtb} -append \"{BootArgs}\"", timeoutMs: 120_000);
        TestContext.Progress.WriteLine($"[linux] qemu-system-aarch64{(el2 ? " (EL2)" : "")}: {watch.Elapsed.TotalSeconds:F1} s host");
        return Qemu[el2] = Lines(output);
    }

    private static readonly Dictionary<bool, string[]> Qemu = [];

    /// <summary>Boots on a board built through the library; its console.</summary>
    private static string[] RunOnAegis(string timing, bool el2)
    {
        var board = new VirtBoard(new VirtBoardOptions { Timing = timing, El2 = el2 });
        var console = new MemoryStream();
        board.ConsoleOutput = console.WriteByte;
        board.LoadLinux(Boot);
        var watch = Stopwatch.StartNew();
        var reason = board.Cpu.Run(InstructionLimit);
        var cpu = board.Cpu;
        TestContext.Progress.WriteLine($"[linux] {_package} on aegis-emu --timing {timing}{(el2 ? " --el2" : "")}: {reason}, {cpu.Retired} instructions, " +
            $"{cpu.Cycles} cycles ({cpu.Cycles / 1e9:F3} s guest), {watch.Elapsed.TotalSeconds:F1} s host");
        Assert.That(reason, Is.EqualTo(StopReason.GuestExit), Tail(console));
        Assert.That(board.Psci.LastEvent, Is.EqualTo(PowerEvent.SystemOff));
        return Lines(Encoding.UTF8.GetString(console.ToArray()));
    }

    [Test]
    public void SimpleTimingBootsLikeTheReferenceThroughTheCommandLine()
    {
        // The user's path: run --kernel/--initrd/--append, in-process.
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var watch = Stopwatch.StartNew();
        int status = Emu.Cli.Run(["run", "--kernel", $"{_dir}/vmlinuz", "--initrd", $"{_dir}/initrd.cpio", "--append", BootArgs,
            "--timing", "simple", "--max-instructions", InstructionLimit.ToString()], stdout, stderr);
        TestContext.Progress.WriteLine($"[linux] {_package} on aegis-emu --timing simple: {watch.Elapsed.TotalSeconds:F1} s host; {stderr.ToString().Trim()}");
        Assert.That(status, Is.Zero, $"the run did not end by PSCI SYSTEM_OFF:\n{stderr}\n{Tail(stdout)}");
        Assert.That(stderr.ToString(), Does.Contain("PSCI SYSTEM_OFF"));
        var aegis = Lines(Encoding.UTF8.GetString(stdout.ToArray()));
        CheckInit(aegis);
        CompareWithQemu(aegis, el2: false);
    }

    [Test]
    public void A53TimingBootsLikeTheReference()
    {
        var aegis = RunOnAegis(TimingModels.A53, el2: false);
        CheckInit(aegis);
        CompareWithQemu(aegis, el2: false);
    }

    /// <summary>Entered at EL2 (QEMU virtualization=on; PSCI by SMC): Linux installs its hyp stub and KVM starts in nVHE mode.</summary>
    [Test]
    public void EnteredAtEl2BootsLikeTheReference()
    {
        var aegis = RunOnAegis(TimingModels.Simple, el2: true);
        CheckInit(aegis);
        Assert.That(aegis, Has.Some.Contains("CPU: All CPU(s) started at EL2"));
        CompareWithQemu(aegis, el2: true);
    }

    /// <summary>What the init script must have printed, whatever QEMU printed.</summary>
    private static void CheckInit(string[] lines)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KnownText)));
        Assert.That(lines, Has.Some.Contains("Run /init as init process"));
        Assert.That(lines, Has.Some.Match(@"^Linux \(none\) \S+ #1 SMP .* aarch64 GNU/Linux$"), "uname -a");
        Assert.That(lines, Has.Some.EqualTo("read back: written by init"));
        Assert.That(lines, Has.Some.Match(@"^\s*\d+:\s+\d+\s+GIC\S*\s+33 Level\s+uart-pl011$"), "/proc/interrupts lists the PL011 on SPI 1 (INTID 33)");
        Assert.That(lines, Has.Some.EqualTo($"{hash}  /etc/known.txt"));
        Assert.That(lines, Has.Some.EqualTo("init: powering off"));
    }

    private static void CompareWithQemu(string[] aegis, bool el2)
    {
        var expected = QemuConsole(el2).Select(Mask).ToArray();
        var actual = aegis.Select(Mask).ToArray();
        for (int i = 0; i < Math.Max(expected.Length, actual.Length); i++)
        {
            string e = i < expected.Length ? expected[i] : "<end of QEMU's console>";
            string a = i < actual.Length ? actual[i] : "<end of Aegis.Emu's console>";
            if (e != a)
                Assert.Fail($"console line {i + 1} differs (after masking):\n  qemu:  {e}\n  aegis: {a}\n" +
                            $"aegis context:\n{string.Join("\n", actual.Skip(Math.Max(0, i - 5)).Take(10))}");
        }
        Assert.That(actual, Has.Length.GreaterThan(100), "a whole boot log");
    }

    private static readonly Regex Timestamp = new(@"^\[\s*\d+\.\d+\] ");
    private static readonly Regex LongHex = new(@"\b(0x)?[0-9a-f]{8,16}\b");
    private static readonly Regex MemoryTotals = new(@"^Memory: \d+K/(\d+K) available \((.*), \d+K reserved");
    private static readonly Regex TimerCount = new(@"^(\s*\d+:)\s+\d+(\s+GIC\S*\s+(2[67]|30) Level\s+arch_timer)$");

    /// <summary>A console line with what legitimately differs between the two machines replaced by placeholders.</summary>
    internal static string Mask(string line)
    {
        line = Timestamp.Replace(line, "");
        line = MemoryTotals.Replace(line, "Memory: NK/$1 available ($2, NK reserved");
        line = TimerCount.Replace(line, "$1 N$2");
        return LongHex.Replace(line, "HEX");
    }

    private static string[] Lines(string output) =>
        output.Replace("\r", "").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();

    private static string Tail(MemoryStream console) =>
        string.Join("\n", Lines(Encoding.UTF8.GetString(console.ToArray())).TakeLast(20));
}
