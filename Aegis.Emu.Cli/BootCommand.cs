using System.CommandLine;
using System.Diagnostics;
using Aegis.Emu.AegisOs;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;

namespace Aegis.Emu;

/// <summary>
/// `boot [IMAGE] [--el2] [--seconds S | --max-cycles N] [--bundle F | --no-bundle] [--gdb PORT]`, and `aegis-emu` with no arguments: boots an AegisOS
/// kernel (default: the bundled Kernel.Image/bin/aegis.elf), streams its UART, stops after a bounded
/// simulated time (default 0.5 s = 5e8 cycles of the 1 GHz clock) or when the guest powers off, and prints
/// a summary with per-task state, instructions and syscalls.
/// With --gdb the same machine is served to gdb stopped at its entry instead (<see cref="Debugging.DebugCommand.ServeGdb"/>).
/// <para>Exit status: 0 when the time limit ended the run (a kernel never returns), the guest's status
/// on a power-off, <see cref="Cli.ExitStuck"/> for WFI with nothing to wake it.</para>
/// </summary>
internal static class BootCommand
{
    /// <summary>Half a second of guest time: the boot, the phase O tasks and thousands of IPC round trips, in about 25 s of host time under the a53 model.</summary>
    public const double DefaultSeconds = 0.5;

    public static Option<bool> El2Option() =>
        new("--el2") { Description = "enter at EL2, as QEMU -M virt,virtualization=on" };
    public static Option<double?> SecondsOption() =>
        new("--seconds") { Description = $"stop after this much simulated time (default {DefaultSeconds} s; 1 GHz clock)" };
    public static Option<ulong?> MaxCyclesOption() =>
        new("--max-cycles") { Description = "stop after this many cycles (instead of --seconds)" };

    public static Option<string?> BundleOption() =>
        new("--bundle") { HelpName = "FILE", Description = "boot bundle of user ELF images placed at 0x42000000 (default: the bundled UserImages/bin/bundle.bin)" };
    public static Option<bool> NoBundleOption() =>
        new("--no-bundle") { Description = "boot without a boot bundle (tasks 2-4 stay on the idle placeholder)" };

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
        var bundle = BundleOption();
        var noBundle = NoBundleOption();
        var gdb = Debugging.DebugCommand.GdbOption();
        var timing = Cli.TimingOption();
        var engine = Cli.EngineOption();
        var saveAt = SnapshotOptions.SaveAtOption();
        var restore = SnapshotOptions.RestoreOption();
        var log = GuestErrorPrinter.LogOption();
        var cmd = new Command("boot", "boot an AegisOS kernel and summarise its tasks (or serve it to gdb stopped at its entry: --gdb PORT)")
            { image, el2, seconds, maxCycles, bundle, noBundle, gdb, timing, engine, saveAt, restore, log };
        var trace = new TraceOptions();
        trace.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            if (SnapshotOptions.Parse(parse.GetValue(saveAt), parse.GetValue(restore), out var snapshots) is { } snapshotError)
                return Cli.Fail(stderr, snapshotError);
            return Run(parse.GetValue(image), parse.GetValue(el2), parse.GetValue(seconds), parse.GetValue(maxCycles), stdout, stderr,
                parse.GetValue(bundle), parse.GetValue(noBundle), trace.Get(parse), parse.GetValue(gdb), parse.GetValue(timing)!, snapshots, parse.GetValue(log),
                Cli.Engine(parse.GetValue(engine)!));
        });
        return cmd;
    }

    /// <summary>The boot bundle chosen by --bundle FILE / --no-bundle (default: the bundled UserImages/bin/bundle.bin).
    /// Returns an error message for a bad choice or file (the caller exits with <see cref="Cli.ExitUsage"/>), else null.</summary>
    internal static string? ReadBundle(string? bundlePath, bool noBundle, out byte[]? bundle)
    {
        bundle = null;
        if (bundlePath is not null && noBundle) return "give --bundle or --no-bundle, not both";
        if (bundlePath is null)
        {
            if (!noBundle) bundle = KernelGuest.LoadBundle();
            return null;
        }
        if (Cli.ReadFile(bundlePath, "a boot bundle", out var bytes) is { } error) return error;
        // The kernel checks the header and every entry itself (and boots without a bad bundle); the board can only
        // place what fits the bundle area.
        if (bytes.Length > Kernel.Image.BootBundle.MaxSize)
            return $"{bundlePath}: {bytes.Length} bytes, a boot bundle is at most {Kernel.Image.BootBundle.MaxSize}";
        bundle = bytes;
        return null;
    }

    /// <summary>An AegisOS kernel image: the file at <paramref name="path"/>, or the bundled one when null.</summary>
    internal static string? ReadKernel(string? path, out byte[] bytes, out string name)
    {
        if (path is null)
        {
            bytes = KernelGuest.Load() ?? throw new InvalidOperationException("this build bundles no AegisOS image (resource aegis.elf)");
            name = KernelGuest.ResourceName;
            return null;
        }
        name = Path.GetFileName(path);
        return Cli.ReadFile(path, "an ELF file", out bytes);
    }

    /// <summary>The machine `boot` runs: the kernel loaded, the bundle placed (<see cref="AegisOsMachine"/>).</summary>
    internal static string? CreateMachine(byte[] bytes, string name, bool el2, byte[]? bundle, string timing, out AegisOsMachine? machine)
    {
        machine = null;
        try { machine = new AegisOsMachine(bytes, el2, bundle, timing); return null; }
        catch (ElfLoadException e) { return $"{name}: {e.Message}"; }
        catch (InvalidDataException e) { return $"{name}: {e.Message}"; }
    }

    public static int Run(string? path, bool el2, double? seconds, ulong? maxCycles, Stream stdout, TextWriter stderr,
        string? bundlePath = null, bool noBundle = false, Tracing.TraceSession.Values? trace = null, int? gdbPort = null,
        string timing = TimingModels.A53, SnapshotOptions? snapshots = null, string[]? log = null, ExecutionEngine engine = ExecutionEngine.Translator)
    {
        Cli.WarmUpTranslator(timing, engine, gdbPort);
        if (gdbPort is not null && Debugging.DebugCommand.GdbConflicts(trace, ("--seconds", seconds is not null), ("--max-cycles", maxCycles is not null)) is { } conflict)
            return Cli.Fail(stderr, conflict);
        if (gdbPort is not null && snapshots is { Any: true }) return Cli.Fail(stderr, "--save-at and --restore do not go with --gdb");
        if (ReadBundle(bundlePath, noBundle, out var bundle) is { } bundleError) return Cli.Fail(stderr, bundleError);
        if (seconds is not null && maxCycles is not null) return Cli.Fail(stderr, "give --seconds or --max-cycles, not both");
        if (seconds is { } s && !(s > 0 && s <= 1e9)) return Cli.Fail(stderr, $"--seconds {s} is out of range: above 0, at most 1e9");
        ulong limit = maxCycles ?? (ulong)Math.Round((seconds ?? DefaultSeconds) * (double)Cpu.ClockHz);

        if (ReadKernel(path, out var bytes, out string name) is { } readError) return Cli.Fail(stderr, readError);
        if (gdbPort is { } port)
        {
            if (CreateMachine(bytes, name, el2, bundle, timing, out var served) is { } serveError) return Cli.Fail(stderr, serveError);
            served!.Board.GuestErrors = GuestErrorPrinter.For(log, stderr);
            return Debugging.DebugCommand.ServeGdb(new Debugging.DebugTarget(served!, bytes, path, bundle, bundlePath), port, stdout, stderr);
        }
        trace = trace is null ? null : trace with
        {
            ImagePath = path ?? Debugging.DebugCommand.FindKernelSource(),
            BundlePath = bundlePath ?? (bundle is null ? null : Kernel.Image.BootBundle.FindDefault()),
        };
        return Boot(bytes, name, el2, bundle, limit, timing, stdout, stderr, trace, snapshots, GuestErrorPrinter.For(log, stderr), engine);
    }

    /// <summary>
    /// `boot` once its options are read: creates the machine for <paramref name="bytes"/> (a bad image: the one-line
    /// error, <see cref="Cli.ExitUsage"/>), runs it to <paramref name="limit"/> cycles, writes the summary. Tests call
    /// it in-process with images they made (Tests/Robustness), so they take the command's own path.
    /// </summary>
    internal static int Boot(byte[] bytes, string name, bool el2, byte[]? bundle, ulong limit, string timing, Stream stdout, TextWriter stderr,
        Tracing.TraceSession.Values? trace = null, SnapshotOptions? snapshots = null, GuestErrorPrinter? guestErrors = null,
        ExecutionEngine engine = ExecutionEngine.Translator)
    {
        snapshots ??= SnapshotOptions.None;
        if (CreateMachine(bytes, name, el2, bundle, timing, out var created) is { } loadError) return Cli.Fail(stderr, loadError);
        var machine = created!;
        machine.Cpu.Engine = engine;
        machine.Cpu.CompileInBackground = true; // the run does not wait for RyuJIT; the same run either way
        machine.Board.GuestErrors = guestErrors;
        // --restore: the machine booted from the same image (for its symbols) takes the snapshot's whole state.
        if (snapshots.Read(out var restored) is { } readError) return Cli.Fail(stderr, readError);
        if (restored is not null)
        {
            try { machine.RestoreSnapshot(restored); }
            catch (Emulator.Mmu.Snapshots.SnapshotException e) { return Cli.Fail(stderr, $"{snapshots.RestoreFile}: {e.Message}"); }
        }
        var console = new BufferedStream(stdout, 4096);
        var cpu = machine.Cpu;
        string? traceError = null;
        using var session = trace?.Start(cpu, bytes, out traceError, bundle);
        if (trace is { Any: true } && session is null) return Cli.Fail(stderr, traceError ?? "cannot start tracing");
        var progress = new ProgressLine(cpu, stderr, Cpu.ClockHz);
        machine.Board.ConsoleOutput = b => { console.WriteByte(b); if (b == '\n') progress.Flush(console.Flush); };
        var watch = Stopwatch.StartNew();
        StopReason reason;
        string? saveError = null;
        try
        {
            reason = StopReason.CycleLimit;
            if (snapshots.SaveAtCycle is { } saveAt && saveAt < limit)
            {
                reason = machine.Run(saveAt);
                if (reason == StopReason.CycleLimit)
                {
                    console.Flush();
                    saveError = snapshots.Write(machine.TakeSnapshot(), stderr);
                }
                else stderr.WriteLine($"[aegis-emu] the run ended before cycle {saveAt}: no snapshot written");
            }
            else if (snapshots.SaveAtCycle is { } late) stderr.WriteLine($"[aegis-emu] --save-at {late} is not before the limit ({limit} cycles): no snapshot written");
            if (reason == StopReason.CycleLimit && saveError is null) reason = machine.Run(limit);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            progress.Dispose();
            console.Flush();
            stderr.WriteLine($"aegis-emu: internal error at PC 0x{cpu.PC:X} after {cpu.Retired} instructions: {e.GetType().Name}: {e.Message}");
            return Cli.ExitInternalError;
        }
        watch.Stop();
        progress.Dispose();
        console.Flush();
        stdout.Flush();
        guestErrors?.Finish();
        if (saveError is not null) return Cli.Fail(stderr, saveError);
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
        w.WriteLine($"[aegis-emu] {name}: {what} after {cpu.Cycles / (double)Cpu.ClockHz:F3} s guest time");
        w.WriteLine($"[aegis-emu] {cpu.Retired} instructions, {cpu.Cycles} cycles, {hostSeconds:F3} s host, " +
            $"{cpu.Retired / Math.Max(hostSeconds, 1e-9) / 1e6:F1} guest MIPS");
        w.WriteLine($"[aegis-emu] {TimingSummary.Of(cpu)}");
        if (cpu.Engine == ExecutionEngine.Translator) w.WriteLine($"[aegis-emu] {cpu.Translations}");
        w.WriteLine($"{"task",-4} {"name",-12} {"state",-9} {"instructions",14} {"cycles",14} {"syscalls",10}");
        foreach (var t in machine.Tasks())
            w.WriteLine($"{t.Id,-4} {t.Name,-12} {t.State,-9} {t.Instructions,14} {t.Cycles,14} {t.Syscalls,10}");
        w.WriteLine($"{"-",-4} {"kernel",-12} {"EL1",-9} {machine.Accounting.KernelInstructions,14} {machine.Accounting.KernelCycles,14} {"",10}");
    }
}
