using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Kernel.Image;

namespace Aegis.Emu.Tracing.Checkers;

/// <summary>
/// A hook that watches one property and keeps the first violation (later ones are counted only).
/// With <see cref="StopOnViolation"/> it ends the run there (before the offending instruction for fetch checks).
/// </summary>
public abstract class Checker : CpuHook
{
    protected readonly Cpu Cpu;
    protected readonly KernelSymbols? Symbols;
    protected readonly TaskResolver Tasks;
    /// <summary>The instruction being executed (set by <see cref="NoteFetch"/>).</summary>
    protected ulong Pc;
    protected uint Encoding;
    /// <summary>The EL the instruction was fetched at (an ERET has changed PSTATE.EL by the time its hooks run).</summary>
    protected int FetchEl;

    public abstract string Name { get; }
    public Violation? First { get; private set; }
    public ulong Count { get; private set; }
    public bool StopOnViolation { get; init; }

    protected Checker(Cpu cpu, KernelSymbols? symbols, TaskResolver tasks)
    {
        Cpu = cpu;
        Symbols = symbols;
        Tasks = tasks;
    }

    protected void NoteFetch(ulong pc, uint encoding)
    {
        Pc = pc;
        Encoding = encoding;
        FetchEl = Cpu.EL;
    }

    protected string Sym(ulong va) => Symbols?.Describe(va) ?? "?";

    /// <summary>A kernel variable read from RAM through its symbol; null when the image has no such symbol.</summary>
    protected ulong? ReadKernel(string symbol, int offset, int size) =>
        Symbols?.TryGet(symbol, out var s) == true ? ReadPhysical(s.Address + (ulong)offset, size) : null;

    /// <summary>RAM at a physical address (0 outside RAM).</summary>
    protected ulong ReadPhysical(ulong pa, int size)
    {
        long off = Cpu.Bus.RamOffset(pa, size);
        return off < 0 ? 0 : Cpu.Bus.ReadRam(off, size);
    }

    protected void Report(string what)
    {
        Count++;
        if (First is not null) return;
        First = new Violation(Name, Cpu.Cycles, Pc, Encoding, Symbols?.Describe(Pc), FetchEl, Tasks.Current, what);
        if (StopOnViolation) Cpu.RequestStop();
    }

    /// <summary>"name: no violations", or the first violation and how many there were.</summary>
    public string Summary() =>
        (First is null ? $"{Name}: no violations" : $"{First} ({Count} violation{(Count == 1 ? "" : "s")} in all)") +
        (Checked is { } what ? $"; {what}" : "");

    /// <summary>What was checked, for checkers whose silence needs a count to mean something.</summary>
    protected virtual string? Checked => null;
}
