using System.CommandLine;
using System.Net.Sockets;
using System.Text;
using Aegis.Emulator.Devices;

namespace Aegis.Emu.Debugging;

/// <summary>
/// `debug [IMAGE] [--el2] [--gdb PORT]`: loads an ELF (default: the bundled AegisOS kernel) stopped at its entry
/// and either reads debugger commands from stdin (<see cref="DebugConsole"/>; piped input works) or, with --gdb,
/// waits for one gdb-multiarch connection on 127.0.0.1:PORT (<see cref="GdbStub"/>) and exits when gdb detaches.
/// </summary>
internal static class DebugCommand
{
    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var image = new Argument<string?>("image") { Description = "an AArch64 ELF (default: the bundled AegisOS kernel)", Arity = ArgumentArity.ZeroOrOne };
        var el2 = new Option<bool>("--el2") { Description = "enter at EL2, as QEMU -M virt,virtualization=on" };
        var gdb = new Option<int?>("--gdb") { Description = "serve the GDB remote protocol on 127.0.0.1:PORT instead of the console" };
        var cmd = new Command("debug", "debug a guest: a step debugger on stdin, or a GDB stub (--gdb PORT)") { image, el2, gdb };
        cmd.SetAction(parse => Run(parse.GetValue(image), parse.GetValue(el2), parse.GetValue(gdb), Console.In, !Console.IsInputRedirected, stdout, stderr));
        return cmd;
    }

    public static int Run(string? path, bool el2, int? gdbPort, TextReader input, bool interactive, Stream stdout, TextWriter stderr)
    {
        byte[] bytes;
        if (path is null)
        {
            bytes = KernelGuest.Load() ?? throw new InvalidOperationException("this build bundles no AegisOS image (resource aegis.elf)");
        }
        else
        {
            if (!File.Exists(path)) return Cli.Fail(stderr, $"{path}: no such file");
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Cli.Fail(stderr, $"cannot read {path}: {e.Message}"); }
        }
        DebugTarget target;
        try { target = new DebugTarget(bytes, el2, path ?? Kernel.Image.KernelSymbols.FindImage()); }
        catch (Exception e) when (e is ElfLoadException or InvalidDataException or FileNotFoundException)
        { return Cli.Fail(stderr, $"{path ?? KernelGuest.ResourceName}: {e.Message}"); }

        var output = new StreamWriter(stdout, new UTF8Encoding(false)) { AutoFlush = true };
        target.Board.ConsoleOutput = b => output.Write((char)b);
        if (gdbPort is { } port)
        {
            if (port is < 0 or > 65535) return Cli.Fail(stderr, $"--gdb {port}: not a TCP port");
            TcpListener listener;
            try { listener = GdbStub.Listen(port); }
            catch (SocketException e) { return Cli.Fail(stderr, $"cannot listen on 127.0.0.1:{port}: {e.Message}"); }
            try
            {
                stderr.WriteLine($"aegis-emu: waiting for gdb on 127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}");
                bool killed = new GdbStub(target).Serve(listener);
                stderr.WriteLine(killed ? "aegis-emu: gdb killed the target" : "aegis-emu: gdb detached");
                return 0;
            }
            finally { listener.Stop(); }
        }
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
}
