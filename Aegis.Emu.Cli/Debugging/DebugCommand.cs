using System.CommandLine;
using System.Net.Sockets;
using System.Text;
using Aegis.Emu.AegisOs;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;

namespace Aegis.Emu.Debugging;

/// <summary>
/// `debug [IMAGE] [--el2] [--bundle F | --no-bundle] [--gdb PORT]`: an AegisOS kernel (default: the bundled one) is
/// booted as `boot` boots it, with the same boot bundle (default: the bundled one); any other ELF is loaded as `run`
/// loads it. The guest is stopped at its entry and either driven by debugger commands from stdin
/// (<see cref="DebugConsole"/>; piped input works) or, with --gdb, served to one gdb-multiarch connection on
/// 127.0.0.1:PORT (<see cref="ServeGdb"/>, shared with `run --gdb` and `boot --gdb`) until gdb detaches.
/// </summary>
internal static class DebugCommand
{
    public static Option<int?> GdbOption() =>
        new("--gdb") { HelpName = "PORT", Description = "serve the GDB remote protocol on 127.0.0.1:PORT (0: any free port), stopped at the entry; exit when gdb detaches" };

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var image = new Argument<string?>("image") { Description = "an AArch64 ELF: an AegisOS kernel boots as `boot` boots it (bundle included), any other loads as `run` loads it (default: the bundled AegisOS kernel)", Arity = ArgumentArity.ZeroOrOne };
        var el2 = BootCommand.El2Option();
        var bundle = BootCommand.BundleOption();
        var noBundle = BootCommand.NoBundleOption();
        var gdb = GdbOption();
        var timing = Cli.TimingOption();
        var coverage = new Option<string?>("--coverage") { HelpName = "FILE", Description = "write what executed during the session as an lcov tracefile to FILE and its summary to FILE.txt (docs/COVERAGE.md)" };
        var cmd = new Command("debug", "debug a guest: a step debugger on stdin, or a GDB stub (--gdb PORT)") { image, el2, bundle, noBundle, gdb, timing, coverage };
        cmd.SetAction(parse => Run(parse.GetValue(image), parse.GetValue(el2), parse.GetValue(gdb), Console.In, !Console.IsInputRedirected, stdout, stderr,
            parse.GetValue(bundle), parse.GetValue(noBundle), parse.GetValue(timing)!, parse.GetValue(coverage)));
        return cmd;
    }

    public static int Run(string? path, bool el2, int? gdbPort, TextReader input, bool interactive, Stream stdout, TextWriter stderr,
        string? bundlePath = null, bool noBundle = false, string timing = TimingModels.A53, string? coveragePath = null)
    {
        if (coveragePath is not null && Coverage.CoverageSession.CheckWritable(coveragePath) is { } coverageError) return Cli.Fail(stderr, coverageError);
        if (BootCommand.ReadBundle(bundlePath, noBundle, out var bundle) is { } bundleError) return Cli.Fail(stderr, bundleError);
        if (BootCommand.ReadKernel(path, out var bytes, out string name) is { } readError) return Cli.Fail(stderr, readError);
        DebugTarget target;
        if (path is null || AegisOsMachine.IsKernel(bytes))
        {
            // The real system: the machine `boot` would run, bundle and all.
            if (BootCommand.CreateMachine(bytes, name, el2, bundle, timing, out var machine) is { } loadError) return Cli.Fail(stderr, loadError);
            target = new DebugTarget(machine!, bytes, path ?? FindKernelSource(), bundle, bundlePath);
        }
        else
        {
            if (bundlePath is not null)
                return Cli.Fail(stderr, $"{name}: --bundle needs an AegisOS kernel image (this ELF has no current_task and tcbs symbols)");
            try { target = new DebugTarget(bytes, el2, path, timing); }
            catch (Exception e) when (e is ElfLoadException or InvalidDataException) { return Cli.Fail(stderr, $"{name}: {e.Message}"); }
        }

        var coverage = coveragePath is null ? null : new Coverage.CoverageSession(target.Board.Cpu, coveragePath, bytes, path ?? FindKernelSource(),
            target.Os is null ? null : bundle, bundlePath ?? (bundle is null ? null : Kernel.Image.BootBundle.FindDefault()));
        try { return Serve(target, gdbPort, input, interactive, stdout, stderr); }
        finally { if (coverage is not null) stderr.WriteLine($"[aegis-emu] {coverage.Write()}"); }
    }

    private static int Serve(DebugTarget target, int? gdbPort, TextReader input, bool interactive, Stream stdout, TextWriter stderr)
    {
        if (gdbPort is { } port) return ServeGdb(target, port, stdout, stderr);
        var output = new StreamWriter(stdout, new UTF8Encoding(false)) { AutoFlush = true };
        target.Board.ConsoleOutput = b => output.Write((char)b);
        var console = new DebugConsole(target, input, output, interactive, color: interactive && !Console.IsOutputRedirected);
        ConsoleCancelEventHandler? onCancel = null;
        if (interactive)
        {
            onCancel = (_, e) => { e.Cancel = true; console.InterruptRequested = true; };
            Console.CancelKeyPress += onCancel;
        }
        try { return console.Run(); }
        finally { if (onCancel is not null) Console.CancelKeyPress -= onCancel; }
    }

    /// <summary>The committed kernel ELF next to which `list` finds the kernel's sources; null outside the repository.</summary>
    internal static string? FindKernelSource()
    {
        try { return Kernel.Image.KernelSymbols.FindImage(); }
        catch (FileNotFoundException) { return null; }
    }

    /// <summary>
    /// The one --gdb path of `debug`, `run` and `boot`: serves <paramref name="target"/> (stopped at its entry) to one
    /// gdb client on 127.0.0.1:<paramref name="port"/> (0 = any free port, printed on stderr); the guest's console
    /// streams to <paramref name="stdout"/>. Returns 0 when gdb detaches, kills the target or disconnects.
    /// </summary>
    internal static int ServeGdb(DebugTarget target, int port, Stream stdout, TextWriter stderr)
    {
        if (port is < 0 or > 65535) return Cli.Fail(stderr, $"--gdb {port}: not a TCP port");
        // Flushed byte by byte: a line the guest has not finished (a prompt) is visible when gdb stops it.
        target.Board.ConsoleOutput = b => { stdout.WriteByte(b); stdout.Flush(); };
        TcpListener listener;
        try { listener = GdbStub.Listen(port); }
        catch (SocketException e) { return Cli.Fail(stderr, $"cannot listen on 127.0.0.1:{port}: {e.Message}"); }
        try
        {
            stderr.WriteLine($"aegis-emu: waiting for gdb on 127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}");
            stderr.Flush();
            bool killed = new GdbStub(target).Serve(listener);
            stderr.WriteLine(killed ? "aegis-emu: gdb killed the target" : "aegis-emu: gdb detached");
            return 0;
        }
        finally { listener.Stop(); }
    }

    /// <summary>
    /// The options that cannot go with --gdb: gdb controls the run, so there is no time or instruction limit, and
    /// tracing and checkers (which stop the CPU on their own) are left to undebugged runs. Null when none was given,
    /// else the usage error's text.
    /// </summary>
    internal static string? GdbConflicts(Tracing.TraceSession.Values? trace, params (string Name, bool Given)[] options)
    {
        var given = options.Where(o => o.Given).Select(o => o.Name).ToList();
        if (trace is not null) given.AddRange(trace.Given());
        return given.Count == 0 ? null
            : $"--gdb cannot be combined with {string.Join(", ", given)} (gdb controls the run: no time or instruction limit, no tracing, checkers or profiles)";
    }
}
