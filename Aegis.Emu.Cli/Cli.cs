using System.CommandLine;
using Aegis.Emulator.Cpu;

namespace Aegis.Emu;

/// <summary>
/// The command line. With no arguments (options: --el2, --seconds S, --max-cycles N) it boots the bundled
/// AegisOS kernel (<see cref="BootCommand"/>); `boot [IMAGE]` boots any AegisOS image;
/// `run FILE.elf [--el2] [--max-instructions N] [--ram-mib N] [--uart-input FILE|-]` runs any bare-metal ELF, and
/// `run --kernel Image [--initrd FILE] [--append ARGS] [--dtb FILE]` boots Linux (docs/LINUX.md);
/// `debug [IMAGE]` debugs a guest (console or GDB stub); `run` and `boot` serve their machine to gdb with --gdb PORT;
/// `bundle` builds a boot bundle; `coverage merge` adds coverage tracefiles; `demo` runs the bundled hello-world guest. Callable in-process (tests) with any output stream.
/// <para>Exit status: the guest's own (semihosting SYS_EXIT subcode, PSCI SYSTEM_OFF 0, SYSTEM_RESET 0x52,
/// CPU_OFF 0x4F); <see cref="ExitInstructionLimit"/> when --max-instructions ran out first;
/// <see cref="ExitStuck"/> when the run stopped for another reason (WFI with nothing to wake it);
/// <see cref="ExitUsage"/> for a file that cannot be read or loaded; <see cref="ExitInternalError"/> when
/// the emulator itself failed.</para>
/// </summary>
public static class Cli
{
    public const int ExitStuck = 1;
    public const int ExitUsage = 2;
    public const int ExitInternalError = 3;
    /// <summary>As timeout(1): the guest did not finish within --max-instructions.</summary>
    public const int ExitInstructionLimit = 124;

    /// <param name="stdout">Receives the guest's console (UART and semihosting) byte by byte.</param>
    /// <param name="stderr">Receives errors and the one-line run summary.</param>
    public static int Run(string[] args, Stream stdout, TextWriter stderr)
    {
        // A command that runs a machine (no command boots) has the translator warm up for the default model before its
        // options are read: the earliest point, 0.2 s before the run, whose first block otherwise waited for the
        // warm-up's end. Another model or engine wastes it on the compiler's thread, idle then (WarmUpTranslator).
        if (args is [] or ["boot" or "run", ..] || args[0].StartsWith('-')) Cpu.WarmUpTranslator(TimingModels.A53);
        var root = new RootCommand("Aegis.Emu: a cycle-accurate Cortex-A53 emulator of QEMU's virt board. With no command it boots the bundled AegisOS kernel (as `boot`).");
        root.Subcommands.Add(RunCommand.Create(stdout, stderr));
        root.Subcommands.Add(BootCommand.Create(stdout, stderr));
        root.Subcommands.Add(Debugging.DebugCommand.Create(stdout, stderr));
        root.Subcommands.Add(BundleCommand.Create(stdout, stderr));
        root.Subcommands.Add(Coverage.CoverageCommand.Create(stderr));
        var demo = new Command("demo", "run the bundled demo guest (samples/bin/hello-O2.elf)");
        demo.SetAction(_ => DemoGuest.Run(stdout, stderr));
        root.Subcommands.Add(demo);
        var el2 = BootCommand.El2Option();
        var seconds = BootCommand.SecondsOption();
        var maxCycles = BootCommand.MaxCyclesOption();
        root.Options.Add(el2);
        root.Options.Add(seconds);
        root.Options.Add(maxCycles);
        var timing = TimingOption();
        root.Options.Add(timing);
        root.SetAction(parse => BootCommand.Run(null, parse.GetValue(el2), parse.GetValue(seconds), parse.GetValue(maxCycles), stdout, stderr,
            timing: parse.GetValue(timing)!));
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = stderr, Error = stderr });
    }

    /// <summary>Reads a file named on the command line; the error line's text (exit <see cref="ExitUsage"/>) or null.</summary>
    /// <param name="what">What the file should be, for "PATH: is a directory, not WHAT".</param>
    internal static string? ReadFile(string path, string what, out byte[] bytes)
    {
        bytes = [];
        if (Directory.Exists(path)) return $"{path}: is a directory, not {what}";
        if (!File.Exists(path)) return $"{path}: no such file";
        try { bytes = File.ReadAllBytes(path); return null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"cannot read {path}: {e.Message}"; }
    }

    /// <summary>`--timing a53|simple`: which model owns the clock (run, boot, debug and the bare command; default a53).</summary>
    public static Option<string> TimingOption()
    {
        var o = new Option<string>("--timing")
        {
            Description = "timing model: a53 (the Cortex-A53 r0p4 cycle model) or simple (one cycle per instruction, the fastest)",
            DefaultValueFactory = _ => TimingModels.A53,
        };
        o.AcceptOnlyFromAmong(TimingModels.Names);
        return o;
    }

    /// <summary>`--engine interp|jit`: how the CPU executes (run and boot; both engines give the same run).</summary>
    public static Option<string> EngineOption()
    {
        var o = new Option<string>("--engine")
        {
            Description = "execution engine: jit (guest blocks translated to .NET methods, the default) or interp (the interpreter, the reference); both give the same run",
            DefaultValueFactory = _ => "jit",
        };
        o.AcceptOnlyFromAmong("interp", "jit");
        return o;
    }

    internal static ExecutionEngine Engine(string name) => name == "jit" ? ExecutionEngine.Translator : ExecutionEngine.Interpreter;

    /// <summary>First thing in a command that runs a machine: when the run will translate blocks in the background (the
    /// translator, not under gdb), the translator warms up on that thread during the command's set-up
    /// (<see cref="Cpu.WarmUpTranslator"/>).</summary>
    internal static void WarmUpTranslator(string timing, ExecutionEngine engine, int? gdbPort)
    {
        if (gdbPort is null && engine == ExecutionEngine.Translator && TimingModels.Names.Contains(timing)) Cpu.WarmUpTranslator(timing);
    }

    internal static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"aegis-emu: error: {message}");
        return ExitUsage;
    }
}
