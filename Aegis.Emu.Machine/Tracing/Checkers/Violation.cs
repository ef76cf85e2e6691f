namespace Aegis.Emu.Tracing.Checkers;

/// <summary>The first violation a checker saw: the instruction (address, encoding, symbol), EL, task and what was wrong.</summary>
public sealed record Violation(string Checker, ulong Cycle, ulong Pc, uint Encoding, string? Symbol, int El, int Task, string What)
{
    public override string ToString() =>
        $"{Checker}: VIOLATION at cycle {Cycle}: instruction 0x{Pc:x16} ({Symbol ?? "?"}) encoding {Encoding:x8}, EL{El}, " +
        $"task {(Task < 0 ? "-" : Task.ToString())}: {What}";
}
