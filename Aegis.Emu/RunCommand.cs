using System.CommandLine;
using System.Diagnostics;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;

namespace Aegis.Emu;

/// <summary>
/// `run FILE.elf|--bios FILE [--el2] [--max-instructions N] [--ram-mib N] [--uart-input FILE|-] [--gdb PORT]`: runs a
/// bare-metal ELF, or raw firmware from flash bank 0 as QEMU -bios (one or the other), streaming its console; with --gdb
/// the ELF's board is served to gdb stopped at the entry instead. UART input is read whole before the run and offered
/// to the guest as its receive FIFO has room (and to semihosting's console reads), so a run with input is as
/// deterministic as one without.
/// </summary>
internal static class RunCommand
{
    /// <summary>The PhysicalBus keeps RAM in one .NET array, so it must stay below 2 GiB.</summary>
    public const int MaxRamMib = 2047;

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var file = new Argument<string?>("file") { Description = "a bare-metal AArch64 ELF image (loaded as QEMU -kernel)", Arity = ArgumentArity.ZeroOrOne };
        var bios = new Option<string?>("--bios") { Description = "raw firmware for flash bank 0 at 0x0, where the CPU starts (QEMU -bios), instead of an ELF" };
        var el2 = new Option<bool>("--el2") { Description = "enter at EL2, as QEMU -M virt,virtualization=on (PSCI via SMC)" };
        var max = new Option<ulong?>("--max-instructions") { Description = "stop after this many instructions (exit status 124)" };
        var ram = new Option<int>("--ram-mib") { Description = $"RAM size in MiB at 0x40000000 (1-{MaxRamMib})", DefaultValueFactory = _ => 128 };
        var input = new Option<string?>("--uart-input") { Description = "bytes for the UART to receive: a file, or - for stdin (read to its end first)" };
        var gdb = Debugging.DebugCommand.GdbOption();
        var timing = Cli.TimingOption();
        var cmd = new Command("run", "run a bare-metal ELF, or --bios firmware from flash, on the virt board (or serve the ELF to gdb stopped at its entry: --gdb PORT)")
            { file, bios, el2, max, ram, input, gdb, timing };
        var trace = new Tracing.TraceSession.Options();
        trace.AddTo(cmd);
        cmd.SetAction(parse => Run(parse.GetValue(file), parse.GetValue(bios), parse.GetValue(el2), parse.GetValue(max), parse.GetValue(ram),
            parse.GetValue(input), stdout, stderr, trace.Get(parse), parse.GetValue(gdb), parse.GetValue(timing)!));
        return cmd;
    }

    private static int Run(string? elfPath, string? biosPath, bool el2, ulong? maxInstructions, int ramMib, string? inputPath, Stream stdout,
        TextWriter stderr, Tracing.TraceSession.Values? trace = null, int? gdbPort = null, string timing = TimingModels.A53)
    {
        if ((elfPath is null) == (biosPath is null)) return Cli.Fail(stderr, "run takes an ELF FILE or --bios FILE (one of them)");
        if (biosPath is not null && gdbPort is not null) return Cli.Fail(stderr, "--gdb needs an ELF FILE (symbols and entry), not --bios");
        string path = elfPath ?? biosPath!;
        if (gdbPort is not null && Debugging.DebugCommand.GdbConflicts(trace, ("--max-instructions", maxInstructions is not null)) is { } conflict)
            return Cli.Fail(stderr, conflict);
        if (ramMib < 1 || ramMib > MaxRamMib) return Cli.Fail(stderr, $"--ram-mib {ramMib} is out of range: 1 to {MaxRamMib}");
        string name = Path.GetFileName(path);
        if (Cli.ReadFile(path, biosPath is null ? "an ELF file" : "a firmware image", out var bytes) is { } readError) return Cli.Fail(stderr, readError);
        byte[] input = [];
        if (inputPath is not null)
        {
            try { input = inputPath == "-" ? ReadAll(Console.OpenStandardInput()) : File.ReadAllBytes(inputPath); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            { return Cli.Fail(stderr, $"cannot read UART input {inputPath}: {e.Message}"); }
        }
        var options = new VirtBoardOptions { El2 = el2, RamSize = (ulong)ramMib << 20, Timing = timing };
        if (gdbPort is { } port)
        {
            if (CreateBoard(bytes, name, options, input, out var board) is { } loadError) return Cli.Fail(stderr, loadError);
            Debugging.DebugTarget target;
            try { target = new Debugging.DebugTarget(board!, bytes, path); }
            catch (InvalidDataException e) { return Cli.Fail(stderr, $"{name}: {e.Message}"); } // a symbol table gdb's stub cannot read
            return Debugging.DebugCommand.ServeGdb(target, port, stdout, stderr);
        }
        return Boot(bytes, name, options, maxInstructions, stdout, stderr, input, trace is null ? null : trace with { ImagePath = path },
            bios: biosPath is not null);
    }

    private static byte[] ReadAll(Stream s)
    {
        using var buffer = new MemoryStream();
        s.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Loads an image (an ELF, or firmware for flash with <paramref name="bios"/>) and runs it; shared by `run` and the demo guest.</summary>
    internal static int Boot(byte[] image, string name, VirtBoardOptions options, ulong? maxInstructions, Stream stdout, TextWriter stderr,
        byte[]? uartInput = null, Tracing.TraceSession.Values? trace = null, bool bios = false)
    {
        if (CreateBoard(image, name, options, uartInput, out var created, bios) is { } loadError) return Cli.Fail(stderr, loadError);
        var board = created!;
        string? traceError = null;
        using var session = trace?.Start(board.Cpu, image, out traceError);
        if (trace is { Any: true } && session is null) return Cli.Fail(stderr, traceError ?? "cannot start tracing");
        int status = Execute(board, maxInstructions ?? ulong.MaxValue, stdout, stderr);
        session?.Report(stderr);
        return status;
    }

    /// <summary>The board `run` runs (and serves to gdb with --gdb): the image loaded, the UART input queued.
    /// Returns the error line's text for an image that does not load, else null.</summary>
    internal static string? CreateBoard(byte[] image, string name, VirtBoardOptions options, byte[]? uartInput, out VirtBoard? board,
        bool bios = false)
    {
        board = new VirtBoard(options);
        try
        {
            if (bios) board.LoadBios(image);
            else board.LoadElf(image);
        }
        catch (Exception e) when (e is ElfLoadException or ArgumentException) { board = null; return $"{name}: {e.Message}"; }
        if (uartInput is { Length: > 0 }) board.Uart.Receive(uartInput);
        return null;
    }

    internal static int Execute(VirtBoard board, ulong maxInstructions, Stream stdout, TextWriter stderr)
    {
        var console = new BufferedStream(stdout, 4096);
        board.ConsoleOutput = b => { console.WriteByte(b); if (b == '\n') console.Flush(); };
        var cpu = board.Cpu;
        var watch = Stopwatch.StartNew();
        StopReason reason;
        try { reason = cpu.Run(maxInstructions); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            console.Flush();
            stderr.WriteLine($"aegis-emu: internal error at PC 0x{cpu.PC:X} after {cpu.Retired} instructions: {e.GetType().Name}: {e.Message}");
            return Cli.ExitInternalError;
        }
        watch.Stop();
        console.Flush();
        double seconds = watch.Elapsed.TotalSeconds;
        string what = reason switch
        {
            StopReason.GuestExit => board.Psci.LastEvent switch
            {
                PowerEvent.SystemOff => "PSCI SYSTEM_OFF",
                PowerEvent.SystemReset => "PSCI SYSTEM_RESET",
                PowerEvent.CpuOff => "PSCI CPU_OFF",
                _ => "guest exit",
            } + $", status {cpu.ExitCode}",
            StopReason.InstructionLimit => "instruction limit reached",
            StopReason.WaitForever => "WFI with nothing left to wake the CPU",
            _ => reason.ToString(),
        };
        stderr.WriteLine(
            $"[aegis-emu] {what}: {cpu.Retired} instructions, {cpu.Cycles} cycles, {seconds:F3} s host, " +
            $"{cpu.Retired / Math.Max(seconds, 1e-9) / 1e6:F1} guest MIPS");
        stderr.WriteLine($"[aegis-emu] {TimingSummary.Of(cpu)}");
        return reason switch
        {
            StopReason.GuestExit => cpu.ExitCode,
            StopReason.InstructionLimit => Cli.ExitInstructionLimit,
            _ => Cli.ExitStuck,
        };
    }
}
