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

    /// <summary>The first line the J4 ping-pong prints; everything before it is the boot transcript.</summary>
    public const string PingPong = "J4:UserDrv";

    public sealed record EmuBoot(string Uart, byte[] UartBytes, ulong Instructions, ulong Cycles, StopReason Stop, AegisOsMachine Machine);

    /// <summary>Boots on Aegis.Emu for <paramref name="cycles"/> cycles of guest time (1 GHz).</summary>
    public static EmuBoot OnEmulator(bool el2, ulong cycles = 100_000_000)
    {
        var machine = new AegisOsMachine(Image(), el2);
        var uart = new MemoryStream();
        machine.Board.ConsoleOutput = uart.WriteByte;
        var stop = machine.Run(cycles);
        var bytes = uart.ToArray();
        return new EmuBoot(Encoding.ASCII.GetString(bytes), bytes, machine.Cpu.Retired, machine.Cpu.Cycles, stop, machine);
    }

    /// <summary>
    /// Boots on qemu-system-aarch64 -M virt (virtualization=on for EL2) -cpu cortex-a53 -nographic -nic none and
    /// returns its console once <paramref name="pingPongs"/> J4:UserDrv lines arrived (or 30 s passed). QEMU never
    /// exits by itself: the kernel runs forever.
    /// </summary>
    public static string OnQemu(bool el2, int pingPongs = 20)
    {
        string qemu = ReferenceTools.Require(ReferenceTools.QemuSystem);
        string machine = el2 ? "virt,virtualization=on" : "virt";
        var psi = new ProcessStartInfo(qemu, $"-M {machine} -cpu cortex-a53 -nographic -nic none -kernel \"{ImagePath}\"")
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
                    if (Count(output.ToString(), PingPong) >= pingPongs) break;
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

    /// <summary>The boot transcript: everything up to the first ping-pong line (the rest repeats it).</summary>
    public static string Transcript(string output)
    {
        int i = output.IndexOf(PingPong, StringComparison.Ordinal);
        return i < 0 ? output : output[..i];
    }

    /// <summary>At most the first 3000 characters, for failure messages.</summary>
    public static string Head(string output) => output.Length <= 3000 ? output : output[..3000] + "...";
}
