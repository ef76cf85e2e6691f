using System.Diagnostics;
using System.Text;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Guests;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Firmware;

/// <summary>
/// U-Boot 2023.01 for QEMU's arm64 virt machine, from Debian's u-boot-qemu (fetched by scripts/fetch-uboot.sh into
/// build/debian/, never committed), and the device tree it reads at 0x4000_0000: QEMU's own (dumped with
/// -M virt,dumpdtb), cut down to the devices Aegis.Emu models. A session types like a user: it answers each text
/// U-Boot prints with the next input, on our board through the PL011's receive path and on QEMU through its stdin.
/// </summary>
public static class UBoot
{
    public static string Binary => Path.Combine(GuestPrograms.RepoRoot, "build", "debian", "u-boot-qemu", "usr", "lib", "u-boot", "qemu_arm64", "u-boot.bin");

    public const string FdtPut = "fdtput", FdtGet = "fdtget";

    /// <summary>QEMU virt's nodes for devices Aegis.Emu does not model (PCIe, virtio-mmio, RTC, fw_cfg, GPIO, platform bus).</summary>
    public static readonly string[] UnmodelledNodePrefixes = ["pcie@", "virtio_mmio@", "pl031@", "fw-cfg@", "pl061@", "gpio-keys", "platform-bus@"];

    /// <summary>One exchange: when the output so far ends with <c>Expect</c>, type <c>Send</c>; null ends the session.</summary>
    public sealed record Step(string Expect, string? Send);

    public static byte[] RequireBinary()
    {
        if (File.Exists(Binary)) return File.ReadAllBytes(Binary);
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail($"{Binary} is required under CI (scripts/test.sh runs scripts/fetch-uboot.sh)");
        Assert.Ignore($"{Binary} not found: run scripts/fetch-uboot.sh (Debian's u-boot-qemu)");
        return [];
    }

    /// <summary>
    /// A device tree as QEMU 7.2 places it at 0x4000_0000 for -bios: its own virt DTB (-cpu cortex-a53 -m 128) or, with
    /// <paramref name="trim"/>, that DTB less the unmodelled devices' nodes given back through -dtb, which QEMU opens
    /// into a larger buffer ((size + 10000) * 2, the blob's totalsize) and edits (memory node) before placing it. Both
    /// come from -M virt,dumpdtb, which writes exactly the bytes QEMU would place. <c>File</c> is what QEMU's -dtb takes.
    /// </summary>
    public static (string? File, byte[] Memory) Dtb(string dir, bool trim)
    {
        string generated = Path.Combine(dir, "virt.dtb"), trimmed = Path.Combine(dir, "virt-aegis.dtb"), placed = Path.Combine(dir, "placed.dtb");
        const string machine = "-cpu cortex-a53 -nic none -m 128";
        ReferenceTools.Run(ReferenceTools.QemuSystem, $"-M virt,dumpdtb={generated} {machine}");
        if (!trim) return (null, File.ReadAllBytes(generated));
        ReferenceTools.Require(FdtGet);
        File.Copy(generated, trimmed);
        foreach (var node in ReferenceTools.Run(FdtGet, $"-l {generated} /").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (UnmodelledNodePrefixes.Any(node.StartsWith))
                ReferenceTools.Run(FdtPut, $"-r {trimmed} /{node}");
        ReferenceTools.Run(ReferenceTools.QemuSystem, $"-M virt,dumpdtb={placed} {machine} -dtb {trimmed} -bios {Binary}");
        return (trimmed, File.ReadAllBytes(placed));
    }

    /// <summary>The result of a session on our board: the transcript and where the run stood at the first prompt.</summary>
    public sealed record AegisRun(string Output, StopReason Reason, ulong Instructions, ulong InstructionsToFirstPrompt, double HostSeconds, VirtBoard Board);

    /// <summary>Boots U-Boot as -bios with the DTB at the start of RAM and runs the session; a watchdog and an instruction limit end a run that stalls.</summary>
    public static AegisRun RunOnAegis(byte[] uboot, byte[] dtb, IReadOnlyList<Step> steps, ulong maxInstructions = 3_000_000_000, int seconds = 120)
    {
        var board = new VirtBoard();
        board.LoadBios(uboot);
        board.LoadBlob(VirtBoard.RamBase, dtb);
        var output = new StringBuilder();
        var session = new Session(steps, output);
        ulong firstPrompt = 0;
        board.ConsoleOutput = b =>
        {
            output.Append((char)b);
            if (firstPrompt == 0 && output.Length >= 3 && EndsWith(output, "=> ")) firstPrompt = board.Cpu.Retired;
            switch (session.Next())
            {
                case Session.Action.Type: board.Uart.Receive(Encoding.ASCII.GetBytes(session.Typed!)); break;
                case Session.Action.Stop: board.Cpu.RequestStop(); break;
            }
        };
        using var watchdog = new Timer(_ => board.Cpu.RequestStop(), null, seconds * 1000, Timeout.Infinite);
        var clock = Stopwatch.StartNew();
        var reason = board.Cpu.Run(maxInstructions);
        return new AegisRun(output.ToString(), session.Finished ? StopReason.GuestExit : reason, board.Cpu.Retired, firstPrompt, clock.Elapsed.TotalSeconds, board);
    }

    /// <summary>The same session on qemu-system-aarch64 -M virt -cpu cortex-a53 -nic none -nographic -m 128 -bios -dtb.</summary>
    public static string RunOnQemu(string ubootPath, string dtbPath, IReadOnlyList<Step> steps, int seconds = 60)
    {
        var psi = new ProcessStartInfo(ReferenceTools.Require(ReferenceTools.QemuSystem),
            $"-M virt -cpu cortex-a53 -nic none -nographic -m 128 -bios {ubootPath} -dtb {dtbPath}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        _ = p.StandardError.ReadToEndAsync();
        var output = new StringBuilder();
        var session = new Session(steps, output);
        var deadline = Stopwatch.StartNew();
        var buffer = new char[1];
        try
        {
            while (!session.Finished)
            {
                var read = p.StandardOutput.ReadAsync(buffer, 0, 1);
                if (!read.Wait(TimeSpan.FromSeconds(Math.Max(1, seconds - deadline.Elapsed.TotalSeconds))) || read.Result == 0)
                    throw new TimeoutException($"QEMU's U-Boot session stalled; it printed:\n{output}");
                output.Append(buffer[0]);
                if (session.Next() == Session.Action.Type) { p.StandardInput.Write(session.Typed); p.StandardInput.Flush(); }
            }
        }
        finally { if (!p.HasExited) p.Kill(true); }
        return output.ToString();
    }

    /// <summary>Lines without the CR of U-Boot's CRLF and without trailing blanks.</summary>
    public static string[] Lines(string transcript) =>
        transcript.Replace("\r", "").Split('\n').Select(l => l.TrimEnd()).ToArray();

    private static bool EndsWith(StringBuilder sb, string s)
    {
        if (sb.Length < s.Length) return false;
        for (int i = 0; i < s.Length; i++) if (sb[sb.Length - s.Length + i] != s[i]) return false;
        return true;
    }

    /// <summary>Walks the steps as output arrives.</summary>
    private sealed class Session(IReadOnlyList<Step> steps, StringBuilder output)
    {
        public enum Action { None, Type, Stop }
        private int _step;
        public string? Typed { get; private set; }
        public bool Finished => _step >= steps.Count;

        public Action Next()
        {
            if (Finished) return Action.None;
            var step = steps[_step];
            if (!EndsWith(output, step.Expect)) return Action.None;
            _step++;
            Typed = step.Send;
            return step.Send is null ? Action.Stop : Action.Type;
        }
    }
}
