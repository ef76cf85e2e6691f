using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Emulator.Devices.Linux;
using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emu;

/// <summary>What `run` puts in RAM besides (or instead of) an ELF: a Linux boot and raw blobs.</summary>
internal sealed record RunLoads(LinuxBootOptions? Linux, IReadOnlyList<RawBlob> Blobs)
{
    public static readonly RunLoads None = new(null, []);
    /// <summary>The image is firmware for flash bank 0 (--bios), with this devicetree (or the board's) at the start of RAM.</summary>
    public bool Bios { get; init; }
    public byte[]? BiosDtb { get; init; }
}

/// <summary>
/// `run FILE.elf | --kernel IMAGE [--initrd FILE] [--append ARGS] [--dtb FILE] | --bios FILE [--dtb FILE]`, with
/// `[--load FILE@ADDR]... [--el2] [--max-instructions N] [--ram-mib N] [--uart-input FILE|-] [--gdb PORT]`: runs a
/// bare-metal ELF, boots a Linux Image (or raw binary) by the arm64 boot protocol (<see cref="LinuxBoot"/>,
/// docs/LINUX.md), or runs raw firmware from flash bank 0 as QEMU -bios, streaming the console; with --gdb the same
/// board is served to gdb stopped at the entry instead. UART input from a FILE is read whole before the run and offered
/// to the guest as its receive FIFO has room (and to semihosting's console reads), so such a run is as deterministic as
/// one without; `-` feeds stdin as it arrives (<see cref="InteractiveInput"/>), for an interactive shell.
/// </summary>
internal static class RunCommand
{
    /// <summary>The PhysicalBus keeps RAM in one .NET array, so it must stay below 2 GiB.</summary>
    public const int MaxRamMib = 2047;
    /// <summary>With interactive input, the run stops this often (in instructions) to move arrived bytes into the UART.</summary>
    public const ulong BatchInstructions = 200_000;

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var file = new Argument<string?>("file") { Description = "a bare-metal AArch64 ELF image (loaded as QEMU -kernel)", Arity = ArgumentArity.ZeroOrOne };
        var kernel = new Option<string?>("--kernel") { Description = "boot a Linux arm64 Image (gzip or not) by the boot protocol; a file without the Image header is a raw binary entered at RAM+0x80000; an ELF is run as FILE" };
        var initrd = new Option<string?>("--initrd") { Description = "with --kernel: the initial ramdisk (placed as QEMU -initrd does)" };
        var append = new Option<string?>("--append") { Description = "with --kernel: the kernel command line (/chosen/bootargs)" };
        var dtb = new Option<string?>("--dtb") { Description = "with --kernel or --bios: this devicetree blob instead of the board's own" };
        var dumpDtb = new Option<string?>("--dumpdtb") { Description = "with --kernel: write the devicetree blob the guest would get to this file and exit (as QEMU -M virt,dumpdtb=FILE)" };
        var load = new Option<string[]>("--load") { Description = "place FILE's bytes at physical ADDR (hex 0x... or decimal) before the run; repeatable", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var bios = new Option<string?>("--bios") { Description = "raw firmware for flash bank 0 at 0x0, where the CPU starts (QEMU -bios), with the board's devicetree at the start of RAM" };
        var el2 = new Option<bool>("--el2") { Description = "enter at EL2, as QEMU -M virt,virtualization=on (PSCI via SMC)" };
        var max = new Option<ulong?>("--max-instructions") { Description = "stop after this many instructions (exit status 124)" };
        var ram = new Option<int>("--ram-mib") { Description = $"RAM size in MiB at 0x40000000 (1-{MaxRamMib})", DefaultValueFactory = _ => 128 };
        var input = new Option<string?>("--uart-input") { Description = "bytes for the UART to receive: a FILE (read whole first: deterministic), or - for stdin as it arrives (interactive)" };
        var gdb = Debugging.DebugCommand.GdbOption();
        var timing = Cli.TimingOption();
        var engine = Cli.EngineOption();
        var saveAt = SnapshotOptions.SaveAtOption();
        var restore = SnapshotOptions.RestoreOption();
        var log = GuestErrorPrinter.LogOption();
        var cmd = new Command("run", "run a bare-metal ELF, boot a Linux kernel with --kernel, or firmware with --bios, on the virt board (or serve it to gdb stopped at its entry: --gdb PORT)")
            { file, kernel, initrd, append, dtb, dumpDtb, load, bios, el2, max, ram, input, gdb, timing, engine, saveAt, restore, log };
        var trace = new TraceOptions();
        trace.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var linux = new LinuxArgs(parse.GetValue(kernel), parse.GetValue(initrd), parse.GetValue(append), parse.GetValue(dtb), parse.GetValue(load) ?? [], parse.GetValue(dumpDtb), parse.GetValue(bios));
            if (SnapshotOptions.Parse(parse.GetValue(saveAt), parse.GetValue(restore), out var snapshots) is { } snapshotError)
                return Cli.Fail(stderr, snapshotError);
            return Run(parse.GetValue(file), linux, parse.GetValue(el2), parse.GetValue(max), parse.GetValue(ram),
                parse.GetValue(input), stdout, stderr, trace.Get(parse), parse.GetValue(gdb), parse.GetValue(timing)!, snapshots, parse.GetValue(log),
                Cli.Engine(parse.GetValue(engine)!));
        });
        return cmd;
    }

    /// <summary>What to load besides FILE: a Linux kernel and its files, raw blobs, firmware (--bios).</summary>
    private sealed record LinuxArgs(string? Kernel, string? Initrd, string? Append, string? Dtb, string[] Loads, string? DumpDtb, string? Bios = null);

    private static int Run(string? path, LinuxArgs linux, bool el2, ulong? maxInstructions, int ramMib, string? inputPath, Stream stdout,
        TextWriter stderr, Tracing.TraceSession.Values? trace = null, int? gdbPort = null, string timing = TimingModels.A53,
        SnapshotOptions? snapshots = null, string[]? log = null, ExecutionEngine engine = ExecutionEngine.Translator)
    {
        Cli.WarmUpTranslator(timing, engine, gdbPort);
        snapshots ??= SnapshotOptions.None;
        if (gdbPort is not null && Debugging.DebugCommand.GdbConflicts(trace, ("--max-instructions", maxInstructions is not null)) is { } conflict)
            return Cli.Fail(stderr, conflict);
        if (ramMib < 1 || ramMib > MaxRamMib) return Cli.Fail(stderr, $"--ram-mib {ramMib} is out of range: 1 to {MaxRamMib}");
        if (snapshots.Any && (gdbPort is not null || inputPath == "-")) return Cli.Fail(stderr, "--save-at and --restore do not go with --gdb or --uart-input -");
        if (snapshots.RestoreFile is { } restorePath)
            return RunRestored(restorePath, path, linux, el2, maxInstructions, ramMib, inputPath, stdout, stderr, trace, timing, snapshots, engine);
        if ((path is null ? 0 : 1) + (linux.Kernel is null ? 0 : 1) + (linux.Bios is null ? 0 : 1) != 1)
            return Cli.Fail(stderr, "give one of FILE.elf, --kernel IMAGE or --bios FILE");
        if (linux.Kernel is null && (linux.Initrd ?? linux.Append ?? linux.DumpDtb) is not null)
            return Cli.Fail(stderr, "--initrd, --append and --dumpdtb go with --kernel");
        if (linux.Kernel is null && linux.Bios is null && linux.Dtb is not null) return Cli.Fail(stderr, "--dtb goes with --kernel or --bios");
        if (linux.Bios is not null && gdbPort is not null) return Cli.Fail(stderr, "--gdb needs an ELF FILE or a --kernel, not --bios");
        string imagePath = path ?? linux.Kernel ?? linux.Bios!;
        string name = Path.GetFileName(imagePath);
        if (Cli.ReadFile(imagePath, path is not null ? "an ELF file" : linux.Bios is null ? "a kernel" : "a firmware image", out var bytes) is { } readError)
            return Cli.Fail(stderr, readError);
        if (ReadLoads(linux, bytes, out var loads) is { } loadsError) return Cli.Fail(stderr, loadsError);

        byte[] input = [];
        // With --gdb the machine is stepped by gdb, not by the run loop that polls interactive input: read stdin whole.
        bool interactive = inputPath == "-" && gdbPort is null;
        if (inputPath == "-" && !interactive)
        {
            try { input = ReadAll(Console.OpenStandardInput()); }
            catch (IOException e) { return Cli.Fail(stderr, $"cannot read UART input from stdin: {e.Message}"); }
        }
        else if (inputPath is not null && inputPath != "-")
        {
            try { input = File.ReadAllBytes(inputPath); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            { return Cli.Fail(stderr, $"cannot read UART input {inputPath}: {e.Message}"); }
        }
        var options = new VirtBoardOptions { El2 = el2, RamSize = (ulong)ramMib << 20, Timing = timing, Engine = engine };
        if (linux.DumpDtb is { } dumpPath)
        {
            if (CreateBoard(bytes, name, options, null, out var dumped, loads) is { } loadError) return Cli.Fail(stderr, loadError);
            if (dumped!.LinuxLayout is not { } layout) return Cli.Fail(stderr, $"{name}: an ELF kernel gets no devicetree blob");
            try { File.WriteAllBytes(dumpPath, layout.Dtb); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Cli.Fail(stderr, $"cannot write {dumpPath}: {e.Message}"); }
            stderr.WriteLine($"[aegis-emu] devicetree blob ({layout.Dtb.Length} bytes, at 0x{layout.DtbStart:X} in the guest) written to {dumpPath}");
            return 0;
        }
        if (gdbPort is { } port)
        {
            if (CreateBoard(bytes, name, options, input, out var board, loads) is { } loadError) return Cli.Fail(stderr, loadError);
            board!.GuestErrors = GuestErrorPrinter.For(log, stderr);
            Debugging.DebugTarget target;
            try { target = new Debugging.DebugTarget(board!, bytes, imagePath); }
            catch (InvalidDataException e) { return Cli.Fail(stderr, $"{name}: {e.Message}"); } // a symbol table gdb's stub cannot read
            return Debugging.DebugCommand.ServeGdb(target, port, stdout, stderr);
        }
        return Boot(bytes, name, options, maxInstructions, stdout, stderr, input, trace is null ? null : trace with { ImagePath = imagePath },
            loads, interactive ? new InteractiveInput(Console.OpenStandardInput()) : null, snapshots, GuestErrorPrinter.For(log, stderr));
    }

    /// <summary>
    /// `run --restore SNAPSHOT [FILE.elf]`: a board with the options given (they must be the snapshot's) takes the
    /// snapshot's whole state, RAM, flash and queued UART input included, and runs on. FILE, when given, is not loaded:
    /// it only names the symbols for --trace and the other observers, which see the run from the restore on.
    /// </summary>
    private static int RunRestored(string restorePath, string? path, LinuxArgs linux, bool el2, ulong? maxInstructions, int ramMib,
        string? inputPath, Stream stdout, TextWriter stderr, Tracing.TraceSession.Values? trace, string timing, SnapshotOptions snapshots,
        ExecutionEngine engine)
    {
        if ((linux.Kernel ?? linux.Bios ?? linux.Initrd ?? linux.Append ?? linux.Dtb ?? linux.DumpDtb) is not null || linux.Loads.Length > 0)
            return Cli.Fail(stderr, "--restore takes the whole machine from the snapshot: no --kernel, --bios, --initrd, --append, --dtb, --dumpdtb or --load");
        if (inputPath is not null) return Cli.Fail(stderr, "--restore: the snapshot holds the UART input the guest has not read yet; give no --uart-input");
        byte[] image = [];
        if (path is not null && Cli.ReadFile(path, "an ELF file", out image) is { } readError) return Cli.Fail(stderr, readError);
        if (snapshots.Read(out var snapshot) is { } snapshotError) return Cli.Fail(stderr, snapshotError);
        var board = new VirtBoard(new VirtBoardOptions { El2 = el2, RamSize = (ulong)ramMib << 20, Timing = timing, Engine = engine });
        try { board.RestoreSnapshot(snapshot!); }
        catch (SnapshotException e) { return Cli.Fail(stderr, $"{restorePath}: {e.Message}"); }
        string? traceError = null;
        using var session = trace is null ? null : (trace with { ImagePath = path }).Start(board.Cpu, image, out traceError);
        if (trace is { Any: true } && session is null) return Cli.Fail(stderr, traceError ?? "cannot start tracing");
        int status = Execute(board, maxInstructions ?? ulong.MaxValue, stdout, stderr, null, snapshots);
        session?.Report(stderr);
        return status;
    }

    /// <summary>Reads --initrd, --dtb and every --load FILE@ADDR; the error line's text, or null.</summary>
    private static string? ReadLoads(LinuxArgs args, byte[] kernel, out RunLoads loads)
    {
        loads = RunLoads.None;
        var blobs = new List<RawBlob>();
        foreach (var spec in args.Loads)
        {
            int at = spec.LastIndexOf('@');
            if (at <= 0 || at == spec.Length - 1) return $"--load {spec}: expected FILE@ADDR";
            string file = spec[..at], addr = spec[(at + 1)..];
            if (ParseAddress(addr) is not { } address) return $"--load {spec}: {addr} is not an address (hex 0x... or decimal)";
            if (Cli.ReadFile(file, "a file to load", out var blob) is { } e) return e;
            blobs.Add(new RawBlob(file, address, blob));
        }
        if (args.Bios is not null)
        {
            byte[]? biosDtb = null;
            if (args.Dtb is not null && Cli.ReadFile(args.Dtb, "a devicetree blob", out biosDtb) is { } e0) return e0;
            loads = new RunLoads(null, blobs) { Bios = true, BiosDtb = biosDtb };
            return null;
        }
        LinuxBootOptions? linux = null;
        if (args.Kernel is not null && !ElfImage.HasMagic(kernel))
        {
            byte[]? initrd = null, dtb = null;
            if (args.Initrd is not null && Cli.ReadFile(args.Initrd, "an initrd", out initrd) is { } e1) return e1;
            if (args.Dtb is not null && Cli.ReadFile(args.Dtb, "a devicetree blob", out dtb) is { } e2) return e2;
            linux = new LinuxBootOptions { Kernel = kernel, Initrd = initrd, Dtb = dtb, BootArgs = args.Append ?? "" };
        }
        else if ((args.Initrd ?? args.Append ?? args.Dtb) is not null)
            return $"{args.Kernel}: an ELF kernel takes no --initrd, --append or --dtb (only a Linux Image or raw binary does)";
        loads = new RunLoads(linux, blobs);
        return null;
    }

    private static byte[] ReadAll(Stream s)
    {
        using var buffer = new MemoryStream();
        s.CopyTo(buffer);
        return buffer.ToArray();
    }

    internal static ulong? ParseAddress(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong h) ? h : null
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong d) ? d : null;

    /// <summary>Loads an image (an ELF, a Linux boot or firmware, as <paramref name="loads"/> says) and runs it; shared by `run` and the demo guest.</summary>
    internal static int Boot(byte[] image, string name, VirtBoardOptions options, ulong? maxInstructions, Stream stdout, TextWriter stderr,
        byte[]? uartInput = null, Tracing.TraceSession.Values? trace = null, RunLoads? loads = null, InteractiveInput? interactive = null,
        SnapshotOptions? snapshots = null, GuestErrorPrinter? guestErrors = null)
    {
        if (CreateBoard(image, name, options, uartInput, out var created, loads) is { } loadError) return Cli.Fail(stderr, loadError);
        var board = created!;
        board.GuestErrors = guestErrors;
        string? traceError = null;
        using var session = trace?.Start(board.Cpu, image, out traceError);
        if (trace is { Any: true } && session is null) return Cli.Fail(stderr, traceError ?? "cannot start tracing");
        int status = Execute(board, maxInstructions ?? ulong.MaxValue, stdout, stderr, interactive, snapshots);
        guestErrors?.Finish();
        session?.Report(stderr);
        return status;
    }

    /// <summary>The board `run` runs (and serves to gdb with --gdb): the image loaded (an ELF, a Linux boot or firmware,
    /// as <paramref name="loads"/> says), the raw blobs placed, the UART input queued. Returns the error line's text
    /// for anything that does not load, else null.</summary>
    internal static string? CreateBoard(byte[] image, string name, VirtBoardOptions options, byte[]? uartInput, out VirtBoard? board,
        RunLoads? loads = null)
    {
        loads ??= RunLoads.None;
        board = new VirtBoard(options);
        try
        {
            IEnumerable<(ulong, ulong, string)> occupied;
            if (loads.Bios)
            {
                ulong dtbEnd = board.LoadBios(image, loads.BiosDtb);
                occupied = [(VirtBoard.RamBase, dtbEnd, "the DTB")];
            }
            else if (loads.Linux is { } linux)
            {
                var l = board.LoadLinux(linux);
                occupied = [(l.KernelStart, l.KernelEnd, "the kernel"), (l.InitrdStart, l.InitrdEnd, "the initrd"), (l.DtbStart, l.DtbEnd, "the DTB")];
            }
            else
            {
                var elf = board.LoadElf(image);
                occupied = elf.Segments.Select(s => (s.PhysicalAddress, s.PhysicalAddress + s.MemorySize, $"{name} segment {s.Index}")).ToList();
            }
            RawBlob.LoadAll(board, loads.Blobs, occupied);
        }
        catch (Exception e) when (e is ElfLoadException or BootLoadException or ArgumentException) { board = null; return $"{name}: {e.Message}"; }
        if (uartInput is { Length: > 0 }) board.Uart.Receive(uartInput);
        return null;
    }

    /// <summary>Runs the board to <paramref name="maxInstructions"/> steps counted from reset (so that a restored run
    /// ends where the uninterrupted one does), writing the --save-at snapshot on the way.</summary>
    internal static int Execute(VirtBoard board, ulong maxInstructions, Stream stdout, TextWriter stderr, InteractiveInput? interactive = null,
        SnapshotOptions? snapshots = null)
    {
        var console = new BufferedStream(stdout, 4096);
        var cpu = board.Cpu;
        cpu.CompileInBackground = true; // the run does not wait for RyuJIT; the same run either way
        // The progress line on a terminal (not with an interactive shell on the same terminal).
        var progress = new ProgressLine(cpu, stderr, Cpu.ClockHz, enabled: interactive is null ? null : false);
        // Interactive: a shell's prompt has no newline, so every byte is flushed at once.
        board.ConsoleOutput = interactive is null
            ? b => { console.WriteByte(b); if (b == '\n') progress.Flush(console.Flush); }
            : b => { console.WriteByte(b); console.Flush(); };
        var watch = Stopwatch.StartNew();
        StopReason reason;
        string? saveError = null;
        try
        {
            if (interactive is not null) reason = RunInteractive(board, maxInstructions, interactive);
            else
            {
                StopReason RunOn(ulong maxCycles = ulong.MaxValue) =>
                    cpu.Steps >= maxInstructions ? StopReason.InstructionLimit : cpu.Run(maxInstructions - cpu.Steps, maxCycles);
                reason = StopReason.Requested;
                bool saved = false;
                if (snapshots?.SaveAtCycle is { } saveAt)
                {
                    reason = RunOn(saveAt);
                    if (reason == StopReason.CycleLimit)
                    {
                        console.Flush();
                        saveError = snapshots.Write(board.TakeSnapshot(), stderr);
                        saved = true;
                    }
                    else stderr.WriteLine($"[aegis-emu] the run ended before cycle {saveAt}: no snapshot written");
                }
                if (snapshots?.SaveAtCycle is null || saved) reason = saveError is null ? RunOn() : reason;
            }
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
        if (saveError is not null) return Cli.Fail(stderr, saveError);
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
        if (cpu.Engine == ExecutionEngine.Translator) stderr.WriteLine($"[aegis-emu] {cpu.Translations}");
        return reason switch
        {
            StopReason.GuestExit => cpu.ExitCode,
            StopReason.InstructionLimit => Cli.ExitInstructionLimit,
            _ => Cli.ExitStuck,
        };
    }

    /// <summary>Runs in batches, moving arrived input into the UART between them; a WFI nothing can wake waits for input.</summary>
    private static StopReason RunInteractive(VirtBoard board, ulong maxInstructions, InteractiveInput input)
    {
        var cpu = board.Cpu;
        ulong start = cpu.Retired;
        while (true)
        {
            ulong done = cpu.Retired - start;
            if (done >= maxInstructions) return StopReason.InstructionLimit;
            var reason = cpu.Run(Math.Min(BatchInstructions, maxInstructions - done));
            if (reason == StopReason.WaitForever)
            {
                byte[] more = input.WaitForMore();
                if (more.Length == 0) return reason;
                board.Uart.Receive(more);
            }
            else if (reason != StopReason.InstructionLimit) return reason;
            if (input.Take() is { Length: > 0 } arrived) board.Uart.Receive(arrived);
        }
    }
}
