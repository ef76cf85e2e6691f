using System.CommandLine;
using System.Globalization;

namespace Aegis.Emu.Coverage;

/// <summary>
/// `coverage merge TRACEFILE... -o OUT [--only PREFIX]... [--fail-under-lines P] [--fail-under-functions P]`: adds the
/// counts of several runs' tracefiles (ours or lcov's) into OUT, with its plain-text summary OUT.txt (line-level: the
/// object code is not in a tracefile). Exit status 1 when a --fail-under figure is not reached, 2 for a bad input.
/// </summary>
internal static class CoverageCommand
{
    public static Command Create(TextWriter stderr)
    {
        var inputs = new Argument<string[]>("tracefiles") { Description = "lcov tracefiles (from --coverage or lcov)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "the merged tracefile (and OUT.txt, its summary)", Required = true };
        var only = new Option<string[]>("--only") { Description = "keep only source files whose path contains this text (repeatable)" };
        var lines = new Option<double?>("--fail-under-lines") { Description = "exit 1 when line coverage (percent) is below this" };
        var functions = new Option<double?>("--fail-under-functions") { Description = "exit 1 when function coverage (percent) is below this" };
        var merge = new Command("merge", "add tracefiles of several runs into one, with its summary") { inputs, output, only, lines, functions };
        merge.SetAction(p => Merge(p.GetValue(inputs)!, p.GetValue(output)!, p.GetValue(only) ?? [], p.GetValue(lines), p.GetValue(functions), stderr));
        return new Command("coverage", "work with coverage tracefiles") { merge };
    }

    public static int Merge(string[] inputs, string output, string[] only, double? failLines, double? failFunctions, TextWriter stderr)
    {
        var total = new Tracefile();
        foreach (string path in inputs)
        {
            if (Cli.ReadFile(path, "a tracefile", out var bytes) is { } error) return Cli.Fail(stderr, error);
            try { total.Merge(Tracefile.Parse(new StringReader(System.Text.Encoding.UTF8.GetString(bytes)), path)); }
            catch (InvalidDataException e) { return Cli.Fail(stderr, e.Message); }
        }
        if (only.Length > 0) total = total.Where(f => only.Any(o => f.Contains(o, StringComparison.Ordinal)));
        try
        {
            using (var w = new StreamWriter(output)) total.Write(w);
            using (var w = new StreamWriter(output + ".txt")) CoverageSummary.Write(w, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Cli.Fail(stderr, $"cannot write {output}: {e.Message}"); }
        stderr.WriteLine($"[aegis-emu] coverage: {CoverageSummary.Headline(total)}; {output}, {output}.txt");
        int status = 0;
        status |= Under(stderr, "lines", total.LinesHit, total.LinesFound, failLines);
        status |= Under(stderr, "functions", total.FunctionsHit, total.FunctionsFound, failFunctions);
        return status;
    }

    private static int Under(TextWriter stderr, string what, int hit, int found, double? floor)
    {
        if (floor is not { } f) return 0;
        double pct = found == 0 ? 100 : 100.0 * hit / found;
        if (pct >= f) return 0;
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"aegis-emu: {what} coverage {pct:F2}% is below {f:F2}%"));
        return 1;
    }
}
