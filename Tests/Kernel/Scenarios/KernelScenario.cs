using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Tests.Guests;
using NUnit.Framework;

namespace Aegis.Tests.Kernel.Scenarios;

/// <summary>One line the kernel image printed, with the machine time at its '\n'.</summary>
/// <param name="Cycles">CPU cycles (1 GHz clock: one kernel tick = 10 ms = 10,000,000 cycles).</param>
/// <param name="Tick">The kernel's own tick counter (timer.c <c>tick_count</c>) at that moment.</param>
public sealed record ScenarioLine(string Text, ulong Cycles, ulong Tick);

/// <summary>
/// A scenario image of the kernel (Kernel.Image/bin/scenarios/&lt;name&gt;.elf, built by
/// <c>Kernel.Image/build.sh --scenarios</c>) booted on Aegis.Emu's VirtBoard. Everything the PL011
/// transmits is kept, split into lines stamped with cycles and the kernel tick.
/// </summary>
public sealed class EmuScenario
{
    public const ulong CyclesPerTick = 10_000_000;
    /// <summary>Guards the host only: no scenario needs this many instructions.</summary>
    public const ulong InstructionBudget = 600_000_000;

    public VirtBoard Board { get; }
    public string Name { get; }
    public List<ScenarioLine> Lines { get; } = new();
    private readonly List<byte> _output = new();
    private readonly List<byte> _line = new();
    private readonly ulong _tickCountAddress;

    /// <param name="bundle">A boot bundle placed at 0x4200_0000 (docs/BOOT-BUNDLE.md), as `boot --bundle` does; null: none.</param>
    public EmuScenario(string name, bool el2 = false, byte[]? bundle = null)
    {
        Name = name;
        var image = Image = File.ReadAllBytes(KernelScenarioImages.Path(name));
        _tickCountAddress = ElfSymbols.Find(image, "tick_count");
        Board = new VirtBoard(new VirtBoardOptions { El2 = el2 });
        Board.Uart.Transmit = OnTransmit;
        Board.LoadElf(image);
        Support.KernelCoverage.Attach(Board.Cpu, image);
        if (bundle is not null) Board.Bus.Load(Aegis.Kernel.Image.BootBundle.Address, bundle);
    }

    /// <summary>Called at each '\n', inside the guest's store to UARTDR (the machine is between two instructions' effects).</summary>
    public Action<ScenarioLine>? LineDone { get; set; }
    public byte[] Image { get; }

    public ulong Symbol(string name) => ElfSymbols.Find(Image, name);

    /// <summary>Per-task syscall and instruction counts from now on (the `boot` command's accounting: exception entry
    /// and return hooks only); for the J4 ping-pong, whose round trips the client reports only every 0.5 s.</summary>
    public Aegis.Emu.AegisOs.TaskAccounting AttachAccounting() => new(Board.Cpu, Symbol("current_task"));
    public ulong ReadPhysical(ulong address, int size) =>
        Board.Bus.Read(address, size, out var v) ? v : throw new InvalidOperationException($"0x{address:X} unreadable");

    public string Output => Encoding.UTF8.GetString(_output.ToArray());
    /// <summary>Every byte the UART sent, undecoded (a leak may be binary).</summary>
    public byte[] OutputBytes => _output.ToArray();
    public ulong Cycles => Board.Cpu.Cycles;
    public ulong Tick => Board.Bus.Read(_tickCountAddress, 8, out var v) ? v : throw new InvalidOperationException("tick_count unreadable");

    private void OnTransmit(byte b)
    {
        _output.Add(b);
        if (b != (byte)'\n') { _line.Add(b); return; }
        var line = new ScenarioLine(Encoding.UTF8.GetString(_line.ToArray()), Board.Cpu.Cycles, Tick);
        Lines.Add(line);
        _line.Clear();
        LineDone?.Invoke(line);
    }

    /// <summary>Runs until the clock reaches <paramref name="cycles"/> (or <paramref name="until"/> holds after a slice).</summary>
    public void RunTo(ulong cycles, Func<bool>? until = null)
    {
        var cpu = Board.Cpu;
        while (cpu.Cycles < cycles)
        {
            if (cpu.Retired >= InstructionBudget) Assert.Fail($"{Name}: instruction budget exhausted at cycle {cpu.Cycles}");
            var reason = cpu.Run(2_000_000, cycles);
            if (reason is not (StopReason.InstructionLimit or StopReason.CycleLimit))
                Assert.Fail($"{Name}: the machine stopped ({reason}) at PC 0x{cpu.PC:X}\n{Output}");
            if (until?.Invoke() == true) return;
        }
    }

    public void RunTicks(ulong ticks) => RunTo(Cycles + ticks * CyclesPerTick);

    /// <summary>Runs until a line containing <paramref name="text"/> appears; fails after <paramref name="maxTicks"/>.</summary>
    public ScenarioLine RunUntilLine(string text, ulong maxTicks)
    {
        RunTo(Cycles + maxTicks * CyclesPerTick, () => Lines.Any(l => l.Text.Contains(text, StringComparison.Ordinal)));
        var line = Lines.FirstOrDefault(l => l.Text.Contains(text, StringComparison.Ordinal));
        Assert.That(line, Is.Not.Null, $"{Name}: no line with \"{text}\" within {maxTicks} ticks:\n{Output}");
        return line!;
    }
}

/// <summary>Where the committed scenario images are and which lines of their output the checks compare.</summary>
public static class KernelScenarioImages
{
    public static string KernelDir => System.IO.Path.Combine(GuestPrograms.RepoRoot, "Kernel.Image");
    public static string Path(string name) => System.IO.Path.Combine(KernelDir, "bin", "scenarios", name + ".elf");
    public static readonly string[] Names = { "faults", "elf", "ipc", "misc", "exit", "attack", "fuzz" };

    /// <summary>The text from the bootstrap line on, split in lines (drops the boot banner, whose timer line differs: freq).</summary>
    public static List<string> AfterBootstrap(string output)
    {
        int i = output.IndexOf("[AegisOS] bootstrapping", StringComparison.Ordinal);
        Assert.That(i, Is.GreaterThanOrEqualTo(0), "no bootstrap line:\n" + output);
        return output[i..].Split('\n').ToList();
    }

    /// <summary>Whether every text of <paramref name="expected"/> appears in <paramref name="output"/>, in this order.</summary>
    public static bool InOrder(string output, IEnumerable<string> expected)
    {
        int pos = 0;
        foreach (var e in expected)
        {
            int i = output.IndexOf(e, pos, StringComparison.Ordinal);
            if (i < 0) return false;
            pos = i + e.Length;
        }
        return true;
    }

    /// <summary>The index just after each expected substring, found in order; fails naming the first one missing.</summary>
    public static void AssertInOrder(string output, IEnumerable<string> expected, string where)
    {
        int pos = 0;
        foreach (var e in expected)
        {
            int i = output.IndexOf(e, pos, StringComparison.Ordinal);
            Assert.That(i, Is.GreaterThanOrEqualTo(0), $"{where}: missing or out of order: \"{e}\"\n--- output from there:\n{output[pos..Math.Min(output.Length, pos + 3000)]}");
            pos = i + e.Length;
        }
    }
}

/// <summary>A minimal ELF64 .symtab lookup (local symbols too), for kernel variables read from RAM.</summary>
public static class ElfSymbols
{
    public static ulong Find(byte[] elf, string name) => BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(ValueOffset(elf, name)));

    /// <summary>Where the symbol's st_value lies in the file (a test may move the symbol: a malformed image).</summary>
    public static int ValueOffset(byte[] elf, string name)
    {
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        for (int s = 0; s < shnum; s++)
        {
            var sh = elf.AsSpan((int)shoff + s * shentsize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != 2) continue; // SHT_SYMTAB
            ulong off = BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]);
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(sh[0x20..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]);
            var strSh = elf.AsSpan((int)shoff + link * shentsize);
            int strOff = (int)BinaryPrimitives.ReadUInt64LittleEndian(strSh[0x18..]);
            for (ulong e = off; e < off + size; e += 24)
            {
                int nameOff = (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan((int)e));
                int start = strOff + nameOff, end = start;
                while (elf[end] != 0) end++;
                if (Encoding.ASCII.GetString(elf, start, end - start) == name)
                    return (int)e + 8;
            }
        }
        throw new KeyNotFoundException($"symbol {name} not in the image's .symtab");
    }
}

/// <summary>The same image on qemu-system-aarch64 7.2 (-M virt -cpu cortex-a53, -icount), stdout kept, for a wall time.</summary>
public static class QemuScenario
{
    /// <summary>
    /// Boots the scenario image for <paramref name="milliseconds"/>. <paramref name="input"/>: bytes written to
    /// QEMU's stdin (the PL011 with -nographic) once the output contains the given text, after the given delay.
    /// </summary>
    /// <param name="bundle">A boot bundle file placed at 0x4200_0000 with QEMU's generic loader (docs/BOOT-BUNDLE.md).</param>
    /// <param name="until">Texts that end the run early once all appear in this order: a run compared line for line
    /// then ends where the emulator's ends however slowly a loaded host runs QEMU (its clock follows host time), and
    /// <paramref name="milliseconds"/> only bounds it.</param>
    public static string Run(string name, int milliseconds, bool el2 = false, (string after, int delayMs, string bytes)[]? input = null,
        string? bundle = null, string[]? until = null)
    {
        var qemu = Aegis.Tests.Support.ReferenceTools.Require(Aegis.Tests.Support.ReferenceTools.QemuSystem);
        var machine = el2 ? "virt,virtualization=on" : "virt";
        // QEMU's virtual clock counts instructions (-icount shift=0: 1 ns each, the emulator's "simple" model at 1 GHz),
        // so where a tick lands in running code does not depend on how busy the host is. Waits last host time
        // (sleep=on, QEMU's default): input, timed in host milliseconds, still arrives while the guest waits for it.
        const string virtualClock = " -icount shift=0,align=off";
        string loader = bundle is null ? "" : $" -device loader,file=\"{bundle}\",addr=0x{Aegis.Kernel.Image.BootBundle.Address:X}";
        var psi = new ProcessStartInfo(qemu, $"-M {machine} -cpu cortex-a53{virtualClock} -nographic -nic none -kernel \"{KernelScenarioImages.Path(name)}\"{loader}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var output = new StringBuilder();
        var stdout = Task.Run(() =>
        {
            var buf = new char[4096];
            int n;
            while ((n = p.StandardOutput.Read(buf, 0, buf.Length)) > 0)
                lock (output) output.Append(buf, 0, n);
        });
        _ = p.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew(); // host time only bounds the reference run; the emulator never sees it
        foreach (var (after, delayMs, bytes) in input ?? [])
        {
            while (clock.ElapsedMilliseconds < milliseconds)
            {
                lock (output) if (output.ToString().Contains(after, StringComparison.Ordinal)) break;
                Thread.Sleep(20);
            }
            Thread.Sleep(delayMs);
            p.StandardInput.Write(bytes);
            p.StandardInput.Flush();
        }
        if (until is null)
        {
            int left = milliseconds - (int)clock.ElapsedMilliseconds;
            if (left > 0) p.WaitForExit(left);
        }
        else
            while (clock.ElapsedMilliseconds < milliseconds && !p.HasExited)
            {
                lock (output) if (KernelScenarioImages.InOrder(output.ToString(), until)) break;
                Thread.Sleep(20);
            }
        if (!p.HasExited) p.Kill(true);
        p.WaitForExit();
        stdout.Wait(5000);
        lock (output) return output.ToString();
    }
}
