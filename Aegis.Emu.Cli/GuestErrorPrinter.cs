using System.CommandLine;
using Aegis.Emulator.Mmu;

namespace Aegis.Emu;

/// <summary>
/// `--log guest-errors` (run, boot): each device access no register answers, one line on stderr as it happens
/// (QEMU's `-d guest_errors`), printed once per (device, offset, size, direction, PC) and at most
/// <see cref="Limit"/> lines, so that a guest polling a missing register in a loop cannot flood the terminal; at the
/// end of the run one line counts what was not printed.
/// </summary>
internal sealed class GuestErrorPrinter(TextWriter output) : IGuestErrorLog
{
    public const int Limit = 100;
    public const string GuestErrors = "guest-errors";

    private readonly HashSet<GuestError> _printed = new();
    private long _total;

    /// <summary>`--log ITEM[,ITEM]`: what to log (today only guest-errors).</summary>
    public static Option<string[]> LogOption()
    {
        var o = new Option<string[]>("--log")
        {
            HelpName = GuestErrors,
            Description = "log to stderr: guest-errors (device accesses to offsets with no register, as QEMU -d guest_errors: device, offset, size, read/write, PC; each once, at most 100 lines)",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToArray(),
        };
        o.Validators.Add(r =>
        {
            foreach (string item in r.GetValueOrDefault<string[]>() ?? [])
                if (item != GuestErrors) r.AddError($"--log {item}: unknown item (known: {GuestErrors})");
        });
        return o;
    }

    /// <summary>A printer on <paramref name="stderr"/> when <paramref name="log"/> (the --log items) asks for guest errors, else null.</summary>
    public static GuestErrorPrinter? For(string[]? log, TextWriter stderr) =>
        log is not null && log.Contains(GuestErrors) ? new GuestErrorPrinter(stderr) : null;

    public void Report(in GuestError error)
    {
        _total++;
        if (_printed.Count >= Limit || !_printed.Add(error)) return;
        output.WriteLine($"[aegis-emu] guest error: {error}");
        if (_printed.Count == Limit) output.WriteLine($"[aegis-emu] guest errors: {Limit} printed, the rest are only counted");
    }

    /// <summary>After the run: how many guest errors were not printed (repeats, and those past the limit).</summary>
    public void Finish()
    {
        if (_total > _printed.Count)
            output.WriteLine($"[aegis-emu] guest errors: {_total} in all, {_printed.Count} printed (each device, offset, size, direction and PC once)");
    }
}
