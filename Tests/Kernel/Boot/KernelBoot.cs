using System.Diagnostics;
using System.Text;
using Aegis.Emu.AegisOs;
using Aegis.Emulator.Cpu;
using Aegis.Kernel.Image;
using Aegis.Kernel.Image.Abi;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Kernel.Boot;

/// <summary>Boots of the committed Kernel.Image/bin/aegis.elf on Aegis.Emu and on QEMU, and the checkpoint check.</summary>
internal static class KernelBoot
{
    public static string ImagePath => KernelSymbols.FindImage(TestContext.CurrentContext.TestDirectory);
    public static byte[] Image() => File.ReadAllBytes(ImagePath);

    /// <summary>The committed default boot bundle UserImages/bin/bundle.bin (hello, sensor, logger; phase O).</summary>
    public static string BundlePath => BootBundle.FindDefault(TestContext.CurrentContext.TestDirectory)
        ?? throw new FileNotFoundException("UserImages/bin/bundle.bin not found above the test directory");
    public static byte[] Bundle() => File.ReadAllBytes(BundlePath);

    /// <summary>The first line the J4 ping-pong prints; everything before it is the boot transcript.</summary>
    public const string PingPong = "J4:UserDrv";

    /// <summary>The client's report of its round trips with the driver (src/user_tasks.c), printed through the driver
    /// after the first round trip and then at the first one after each 0.5 s mark of guest time.</summary>
    public const string RoundTripReport = "J4:UserDrv round trips: ";

    /// <summary>The counts of the client's round-trip reports, in order.</summary>
    public static List<ulong> RoundTrips(string output) =>
        System.Text.RegularExpressions.Regex.Matches(output, RoundTripReport + "([0-9]+)\n").Select(m => ulong.Parse(m.Groups[1].Value)).ToList();

    /// <summary>Whether each count is larger than the one before.</summary>
    public static bool Grows(IReadOnlyList<ulong> counts) => counts.Zip(counts.Skip(1)).All(p => p.Second > p.First);

    public sealed record EmuBoot(string Uart, byte[] UartBytes, ulong Instructions, ulong Cycles, StopReason Stop, AegisOsMachine Machine);

    /// <summary>Boots on Aegis.Emu for <paramref name="cycles"/> cycles of guest time (1 GHz).</summary>
    /// <remarks>Default 300 M cycles (30 ticks): since phase O, sensor and logger (priority 5, budget 10) run
    /// first in each 100-tick epoch, so the J4 ping-pong starts about 20 ticks after the boot.</remarks>
    public static EmuBoot OnEmulator(bool el2, ulong cycles = 300_000_000) => OnEmulator(Image(), Bundle(), el2, cycles);

    /// <summary>Boots <paramref name="image"/> with <paramref name="bundle"/> at 0x42000000 (null: none).</summary>
    public static EmuBoot OnEmulator(byte[] image, byte[]? bundle, bool el2, ulong cycles)
    {
        var machine = new AegisOsMachine(image, el2, bundle);
        Support.KernelCoverage.Attach(machine.Cpu, image);
        var uart = new MemoryStream();
        machine.Board.ConsoleOutput = uart.WriteByte;
        var stop = machine.Run(cycles);
        var bytes = uart.ToArray();
        return new EmuBoot(Encoding.ASCII.GetString(bytes), bytes, machine.Cpu.Retired, machine.Cpu.Cycles, stop, machine);
    }

    /// <summary>
    /// Boots on qemu-system-aarch64 -M virt (virtualization=on for EL2) -cpu cortex-a53 -nographic -nic none and
    /// returns its console once <paramref name="reports"/> round-trip reports of the J4 ping-pong arrived (or 30 s
    /// passed; the second comes 0.5 s of QEMU's clock after the boot). QEMU never exits by itself: the
    /// kernel runs forever.
    /// </summary>
    public static string OnQemu(bool el2, int reports = 2) =>
        OnQemu(ImagePath, BundlePath, el2, text => RoundTrips(text).Count >= reports);

    /// <summary>Boots <paramref name="imagePath"/> on QEMU with the bundle file loaded at 0x42000000 by
    /// <c>-device loader</c> (null: none) until <paramref name="done"/> holds for the console, or 30 s.</summary>
    public static string OnQemu(string imagePath, string? bundlePath, bool el2, Func<string, bool> done)
    {
        string qemu = ReferenceTools.Require(ReferenceTools.QemuSystem);
        string machine = el2 ? "virt,virtualization=on" : "virt";
        string loader = bundlePath is null ? "" : $" -device loader,file=\"{bundlePath}\",addr=0x{BootBundle.Address:X}";
        // -icount: QEMU's clock counts instructions while the guest runs (see QemuScenario.Run), not host time.
        var psi = new ProcessStartInfo(qemu, $"-M {machine} -cpu cortex-a53 -icount shift=0,align=off -nographic -nic none -kernel \"{imagePath}\"{loader}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var output = new StringBuilder();
        var stderr = p.StandardError.ReadToEndAsync();
        var reader = Task.Run(() =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = p.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
                lock (output) output.Append(buffer, 0, n);
        });
        var watch = Stopwatch.StartNew();
        try
        {
            while (watch.Elapsed < TimeSpan.FromSeconds(30) && !p.HasExited)
            {
                lock (output)
                    if (done(output.ToString())) break;
                Thread.Sleep(50);
            }
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
        reader.Wait(10_000);
        lock (output) return output.ToString();
    }

    public static int Count(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    /// <summary>The first checkpoint of <paramref name="numbers"/> that is missing or out of order, or null.</summary>
    public static string? FirstMissing(string output, IEnumerable<int> numbers)
    {
        int pos = 0;
        foreach (int n in numbers)
        {
            string cp = BootCheckpoints.Get(n);
            int i = output.IndexOf(cp, pos, StringComparison.Ordinal);
            if (i < 0) return $"#{n} \"{cp}\"";
            pos = i + cp.Length;
        }
        return null;
    }

    /// <summary>The line hello's SYS_EXIT prints (REF §9); before any timer tick, so its position is deterministic.</summary>
    public const string HelloExited = "[AegisOS] task 2 exited (code=0)\n";

    /// <summary>The boot transcript: everything up to the end of hello's exit line (phase O), else up to the first
    /// ping-pong line (the rest repeats it, and its interleaving with the sensor/logger output depends on tick timing).</summary>
    public static string Transcript(string output)
    {
        int e = output.IndexOf(HelloExited, StringComparison.Ordinal);
        if (e >= 0) return output[..(e + HelloExited.Length)];
        int i = output.IndexOf(PingPong, StringComparison.Ordinal);
        return i < 0 ? output : output[..i];
    }

    /// <summary>At most the first 3000 characters, for failure messages.</summary>
    public static string Head(string output) => output.Length <= 3000 ? output : output[..3000] + "...";
}
