using Aegis.Emulator.Cpu;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.DataProcessing;

/// <summary>
/// Runs a short straight-line snippet (assembled by llvm-mc) with registers, SP and NZCV preset, on a
/// harness reused per thread (a fresh board per case would clear 128 MB each time). The snippet must
/// run to its end without an exception, which also proves every instruction decoded.
/// </summary>
internal sealed class Exec
{
    [ThreadStatic] private static CpuHarness? _shared;

    private readonly uint[] _code;
    private readonly List<(int Reg, ulong Value)> _regs = [];
    private ulong _sp = CpuHarness.DataBase + 0x8_0000;
    private uint _nzcv;
    private ulong _at = CpuHarness.CodeBase;
    private CpuHarness? _h;

    private Exec(uint[] code) => _code = code;

    // Single instructions assembled up front in one llvm-mc run (see DataProcessingSetup).
    private static readonly Dictionary<string, uint> Preassembled = [];

    /// <summary>Assembles many one-instruction lines with one llvm-mc run, for <see cref="Of(string[])"/> to reuse.</summary>
    public static void Preassemble(string[] lines)
    {
        var words = Llvm.Assemble(lines);
        if (words.Length != lines.Length) return; // some line was not a single instruction: keep assembling per test
        lock (Preassembled)
            for (int k = 0; k < lines.Length; k++) Preassembled[lines[k]] = words[k];
    }

    public static Exec Of(params string[] lines)
    {
        lock (Preassembled)
            if (lines.Length == 1 && Preassembled.TryGetValue(lines[0], out uint word)) return new([word]);
        return new(Llvm.Assemble(lines));
    }

    public static Exec Of(uint[] words) => new(words);

    public Exec X(int n, ulong value) { _regs.Add((n, value)); return this; }

    public Exec Sp(ulong value) { _sp = value; return this; }

    /// <summary>The flags as the 4-bit NZCV value (N = 8, Z = 4, C = 2, V = 1).</summary>
    public Exec Flags(uint nzcv) { _nzcv = nzcv << 28; return this; }

    /// <summary>Places the code at another RAM address (for ADR/ADRP).</summary>
    public Exec At(ulong address) { _at = address; return this; }

    public Exec Run()
    {
        var h = RunUnchecked();
        Assert.That(h.Cpu.PC, Is.EqualTo(_at + (ulong)_code.Length * 4), "the snippet ran to its end (no exception taken)");
        return this;
    }

    /// <summary>Runs the snippet's instruction count without requiring it to complete (for exception tests).</summary>
    public CpuHarness RunUnchecked(Action<Cpu>? setup = null)
    {
        var h = _shared ??= new CpuHarness([0]);
        for (int k = 0; k < _code.Length; k++) h.Write(_at + (ulong)k * 4, 4, _code[k]);
        h.Cpu.Reset(_at);
        foreach (var (reg, value) in _regs) h.Cpu.SetX(reg, value);
        h.Cpu.SP = _sp;
        h.Cpu.Nzcv = _nzcv;
        setup?.Invoke(h.Cpu);
        h.Cpu.Run((ulong)_code.Length);
        _h = h;
        return h;
    }

    private Cpu Cpu => (_h ?? throw new InvalidOperationException("Run() first")).Cpu;

    public ulong this[int n] => Cpu.Xr(n);

    public ulong SpValue => Cpu.SP;

    /// <summary>NZCV as a 4-bit value.</summary>
    public uint Nzcv => Cpu.Nzcv >> 28;

    /// <summary>Runs and returns X0.</summary>
    public ulong X0() => Run()[0];
}
