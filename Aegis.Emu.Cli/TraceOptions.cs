using System.CommandLine;
using Aegis.Emu.Tracing;

namespace Aegis.Emu;

/// <summary>The command-line options, shared by `run` and `boot`.</summary>
public sealed class TraceOptions
{
    public Option<string?> Trace { get; } = new("--trace") { Description = "write one line per executed instruction to FILE" };
    public Option<string?> Range { get; } = new("--trace-range") { Description = "trace only PCs in LO-HI (hex, inclusive)" };
    public Option<int?> El { get; } = new("--trace-el") { Description = "trace only at this exception level" };
    public Option<int?> Task { get; } = new("--trace-task") { Description = "trace only while this AegisOS task is current" };
    public Option<string?> Check { get; } = new("--check") { Description = "checkers: wx,exit,tlb,icache,kwrite,context or all (report the first violation of each and stop)" };
    public Option<string?> Profile { get; } = new("--profile")
    {
        HelpName = "FILE",
        Description = "cycles and instructions per function and task: the top 15 on stderr, all in FILE, flame-graph folded stacks in FILE.folded (FILE ending in .folded: only those)",
    };
    public Option<string?> Pipeview { get; } = new("--pipeview")
    {
        HelpName = "FILE",
        Description = "write the a53 model's pipeline timeline of the traced instructions (--trace-range/-el/-task) to FILE in the Kanata format (Konata viewer)",
    };

    public Option<string?> Coverage { get; } = new("--coverage")
    {
        HelpName = "FILE",
        Description = "write what executed as an lcov tracefile (lines, functions, taken/not-taken of every conditional branch) to FILE, and a plain-text summary of what never ran to FILE.txt",
    };

    public void AddTo(Command cmd)
    {
        cmd.Options.Add(Trace);
        cmd.Options.Add(Range);
        cmd.Options.Add(El);
        cmd.Options.Add(Task);
        cmd.Options.Add(Check);
        cmd.Options.Add(Profile);
        cmd.Options.Add(Pipeview);
        cmd.Options.Add(Coverage);
    }

    public TraceSession.Values Get(ParseResult p) => new(p.GetValue(Trace), p.GetValue(Range), p.GetValue(El), p.GetValue(Task), p.GetValue(Check),
        p.GetValue(Profile), p.GetValue(Pipeview), p.GetValue(Coverage));
}
