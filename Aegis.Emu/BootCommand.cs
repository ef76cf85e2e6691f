using System.CommandLine;
using System.Diagnostics;
using Aegis.Emu.AegisOs;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;

namespace Aegis.Emu;

/// <summary>
/// `boot [IMAGE] [--el2] [--seconds S | --max-cycles N]`, and `aegis-emu` with no arguments: boots an AegisOS
/// kernel (default: the bundled Kernel.Image/bin/aegis.elf), streams its UART, stops after a bounded
/// simulated time (default 2 s = 2e9 cycles at the model's 1 GHz) or when the guest powers off, and prints
/// a summary with per-task state, instructions and syscalls.
/// <para>Exit status: 0 when the time limit ended the run (a kernel never returns), the guest's status
/// on a power-off, <see cref="Cli.ExitStuck"/> for WFI with nothing to wake it.</para>
/// </summary>
internal static class BootCommand
{
    public const double DefaultSeconds = 2.0;

    public static Option<bool> El2Option() =>
        new("--el2") { Description = "enter at EL2, as QEMU -M virt,virtualization=on" };
    public static Option<double?> SecondsOption() =>
        new("--seconds") { Description = $"stop after this much simulated time (default {DefaultSeconds} s; 1 GHz clock)" };
    public static Option<ulong?> MaxCyclesOption() =>
        new("--max-cycles") { Description = "stop after this many cycles (instead of --seconds)" };

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var image = new Argument<string?>("image")
        {
            Description = "an AegisOS kernel ELF (default: the bundled Kernel.Image/bin/aegis.elf)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var el2 = El2Option();
        var seconds = SecondsOption();
        var maxCycles = MaxCyclesOption();
        var bundle = new Option<string?>("--bundle") { Description = "boot bundle of user ELF images placed at 0x42000000 (default: the bundled UserImages/bin/bundle.bin)" };
        var noBundle = new Option<bool>("--no-bundle") { Description = "boot without a boot bundle (tasks 2-4 stay on the idle placeholder)" };
        var cmd = new Command("boot", "boot an AegisOS kernel and summarise its tasks") { image, el2, seconds, maxCycles, bundle, noBundle };
        var trace = new Tracing.TraceSession.Options();
        trace.AddTo(cmd);
        cmd.SetAction(parse => Run(parse.GetValue(image), parse.GetValue(el2), parse.GetValue(seconds), parse.GetValue(maxCycles), stdout, stderr,
            parse.GetValue(bundle), parse.GetValue(noBundle), trace.Get(parse)));
        return cmd;
    }

    public static int Run(string? path, bool el2, double? seconds, ulong? maxCycles, Stream stdout, TextWriter stderr,
        string? bundlePath = null, bool noBundle = false, Tracing.TraceSession.Values? trace = null)
    {
        if (bundlePath is not null && noBundle) return Cli.Fail(stderr, "give --bundle or --no-bundle, not both");
        byte[]? bundle = null;
        if (bundlePath is not null)
        {
            if (!File.Exists(bundlePath)) return Cli.Fail(stderr, $"{bundlePath}: no such file");
            try { bundle = File.ReadAllBytes(bundlePath); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Cli.Fail(stderr, $"cannot read {bundlePath}: {e.Message}"); }
        }
        else if (!noBundle) bundle = KernelGuest.LoadBundle();
        if (seconds is not null && maxCycles is not null) return Cli.Fail(stderr, "give --seconds or --max-cycles, not both");
        if (seconds is { } s && !(s > 0 && s <= 1e9)) return Cli.Fail(stderr, $"--seconds {s} is out of range: above 0, at most 1e9");
        ulong limit = maxCycles ?? (ulong)Math.Round((seconds ?? DefaultSeconds) * AegisOsMachine.CyclesPerSecond);

        byte[] bytes;
        string name;
        if (path is null)
        {
            bytes = KernelGuest.Load() ?? throw new InvalidOperationException("this build bundles no AegisOS image (resource aegis.elf)");
            name = KernelGuest.ResourceName;
        }
        else
        {
            if (Directory.Exists(path)) return Cli.Fail(stderr, $"{path}: is a directory, not an ELF file");
            if (!File.Exists(path)) return Cli.Fail(stderr, $"{path}: no such file");
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Cli.Fail(stderr, $"cannot read {path}: {e.Message}"); }
            name = Path.GetFileName(path);
        }

        AegisOsMachine machine;
        try { machine = new AegisOsMachine(bytes, el2, bundle); }
        catch (ElfLoadException e) { return Cli.Fail(stderr, $"{name}: {e.Message}"); }
        catch (InvalidDataException e) { return Cli.Fail(stderr, $"{name}: {e.Message}"); }

        var console = new BufferedStream(stdout, 4096);
        machine.Board.ConsoleOutput = b => { console.WriteByte(b); if (b == '\n') console.Flush(); };
        var cpu = machine.Cpu;
        string? traceError = null;
        using var session = trace?.Start(cpu, bytes, out traceError);
        if (trace is { Any: true } && session is null) return Cli.Fail(stderr, traceError ?? "cannot start tracing");
        var watch = Stopwatch.StartNew();
        StopReason reason;
        try { reason = machine.Run(limit); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            console.Flush();
            stderr.WriteLine($"aegis-emu: internal error at PC 0x{cpu.PC:X} after {cpu.Retired} instructions: {e.GetType().Name}: {e.Message}");
            return Cli.ExitInternalError;
        }
        watch.Stop();
        console.Flush();
        stdout.Flush();
        WriteSummary(stderr, name, machine, reason, watch.Elapsed.TotalSeconds);
        session?.Report(stderr);
        return reason switch
        {
            StopReason.CycleLimit => 0,
            StopReason.GuestExit => cpu.ExitCode,
            StopReason.InstructionLimit => Cli.ExitInstructionLimit,
            _ => Cli.ExitStuck,
        };
    }

    /// <summary>The run summary: one line for the machine, then a table of tasks 0..7 and the kernel.</summary>
    internal static void WriteSummary(TextWriter w, string name, AegisOsMachine machine, StopReason reason, double hostSeconds)
    {
        var cpu = machine.Cpu;
        string what = reason switch
        {
            StopReason.CycleLimit => "time limit reached",
            StopReason.GuestExit => $"guest powered off, status {cpu.ExitCode}",
            StopReason.WaitForever => "WFI with nothing left to wake the CPU",
            _ => reason.ToString(),
        };
        w.WriteLine();
        w.WriteLine($"[aegis-emu] {name}: {what} after {cpu.Cycles / AegisOsMachine.CyclesPerSecond:F3} s guest time");
        w.WriteLine($"[aegis-emu] {cpu.Retired} instructions, {cpu.Cycles} cycles, {hostSeconds:F3} s host, " +
            $"{cpu.Retired / Math.Max(hostSeconds, 1e-9) / 1e6:F1} guest MIPS");
        w.WriteLine($"{"task",-4} {"name",-12} {"state",-9} {"instructions",14} {"cycles",14} {"syscalls",10}");
        foreach (var t in machine.Tasks())
            w.WriteLine($"{t.Id,-4} {t.Name,-12} {t.State,-9} {t.Instructions,14} {t.Cycles,14} {t.Syscalls,10}");
        w.WriteLine($"{"-",-4} {"kernel",-12} {"EL1",-9} {machine.Accounting.KernelInstructions,14} {machine.Accounting.KernelCycles,14} {"",10}");
    }
}
