using System.CommandLine;

namespace Aegis.Emu;

/// <summary>
/// The command line: `aegis-emu run FILE.elf [--el2] [--max-instructions N] [--ram-mib N] [--uart-input FILE|-]`, and with
/// no arguments the bundled demo guest. Callable in-process (tests) with any output stream.
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
        var root = new RootCommand("Aegis.Emu: a cycle-accurate Cortex-A53 emulator of QEMU's virt board");
        root.Subcommands.Add(RunCommand.Create(stdout, stderr));
        root.SetAction(_ => DemoGuest.Run(stdout, stderr));
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = stderr, Error = stderr });
    }

    internal static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"aegis-emu: error: {message}");
        return ExitUsage;
    }
}
