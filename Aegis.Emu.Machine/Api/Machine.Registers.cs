using System.Globalization;
using Aegis.Emulator.Cpu.SystemRegisters;

namespace Aegis.Emu;

public sealed partial class Machine
{
    /// <summary>
    /// Reads a register by name (case-insensitive): <c>x0</c>-<c>x30</c>, <c>sp</c> (the current stack pointer),
    /// <c>sp_el0</c>-<c>sp_el2</c>, <c>pc</c>, <c>pstate</c> (as SPSR packs it), <c>nzcv</c>, <c>daif</c>, <c>currentel</c>,
    /// <c>elr_el1</c>/<c>el2</c>, <c>spsr_el1</c>/<c>el2</c>, and every system register by its Arm ARM name
    /// (<c>sctlr_el1</c>, <c>ttbr0_el1</c>, <c>fpcr</c>, <c>pmccntr_el0</c>, ...), read without access checks or traps.
    /// Throws <see cref="ArgumentException"/> for an unknown name. V registers: <see cref="ReadVector"/>.
    /// </summary>
    public ulong ReadRegister(string name)
    {
        var cpu = Cpu;
        string n = name.ToLowerInvariant();
        if (TryGeneral(n, out int x)) return cpu.X[x];
        switch (n)
        {
            case "sp": return cpu.SP;
            case "pc": return cpu.PC;
            case "pstate": return cpu.PstateToSpsr();
            case "nzcv": return cpu.Nzcv;
            case "daif": return cpu.Daif;
            case "currentel": return (ulong)cpu.EL << 2;
        }
        if (TrySpecial(n, "sp_el", out int el)) return cpu.GetSpEl(el);
        if (TrySpecial(n, "elr_el", out el) && el > 0) return cpu.ElrEl[el];
        if (TrySpecial(n, "spsr_el", out el) && el > 0) return cpu.SpsrEl[el];
        var r = SystemRegisterNamed(name);
        return r.Read is { } read ? read(cpu) : throw new ArgumentException($"{r.Name} is not readable (an operation, or write-only)");
    }

    /// <summary>
    /// Writes a register by name (the names of <see cref="ReadRegister"/>). <c>pstate</c> sets NZCV, DAIF, the
    /// exception level and SPSel as an exception return would (no checks: an embedder may start code at EL0).
    /// A system register is written as an MSR would, with its side effects (a TTBR write drops cached translations)
    /// but without access checks or traps. Throws <see cref="ArgumentException"/> for an unknown or read-only name.
    /// </summary>
    public void WriteRegister(string name, ulong value)
    {
        var cpu = Cpu;
        string n = name.ToLowerInvariant();
        if (TryGeneral(n, out int x)) { cpu.X[x] = value; return; }
        switch (n)
        {
            case "sp": cpu.SP = value; return;
            case "pc": cpu.PC = value; cpu.InvalidateFetch(); return;
            case "nzcv": cpu.Nzcv = (uint)value & 0xF000_0000; return;
            case "daif": cpu.Daif = (uint)value & 0x3C0; return;
            case "pstate":
                cpu.Nzcv = (uint)value & 0xF000_0000;
                cpu.Daif = (uint)value & 0x3C0;
                int target = (int)(value >> 2) & 3;
                if (target > (cpu.HasEl2 ? 2 : 1)) throw new ArgumentException($"pstate 0x{value:X}: EL{target} is not implemented");
                cpu.SetExceptionLevel(target, (value & 1) != 0);
                cpu.InvalidateFetch();
                return;
        }
        if (TrySpecial(n, "sp_el", out int el)) { cpu.SetSpEl(el, value); return; }
        if (TrySpecial(n, "elr_el", out el) && el > 0) { cpu.ElrEl[el] = value; return; }
        if (TrySpecial(n, "spsr_el", out el) && el > 0) { cpu.SpsrEl[el] = value; return; }
        var r = SystemRegisterNamed(name);
        if (r.Write is not { } write || (r.Key >> 14) == 1) throw new ArgumentException($"{r.Name} is not a writable register");
        write(cpu, value);
    }

    /// <summary>The 128-bit SIMD&amp;FP register Vn (n = 0-31).</summary>
    public UInt128 ReadVector(int n) => Cpu.Q(CheckVector(n));

    public void WriteVector(int n, UInt128 value) => Cpu.SetQ(CheckVector(n), value);

    private static int CheckVector(int n) =>
        n is >= 0 and < 32 ? n : throw new ArgumentOutOfRangeException(nameof(n), $"V{n}: there are V0-V31");

    private static bool TryGeneral(string n, out int x)
    {
        x = -1;
        return n.Length is 2 or 3 && n[0] == 'x' && int.TryParse(n.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out x) && x <= 30;
    }

    private static bool TrySpecial(string n, string prefix, out int el)
    {
        el = -1;
        return n.Length == prefix.Length + 1 && n.StartsWith(prefix, StringComparison.Ordinal) && (el = n[^1] - '0') is >= 0 and <= 2;
    }

    private SystemRegister SystemRegisterNamed(string name)
    {
        foreach (var r in SystemRegisterTable.All)
            if (string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)) return r;
        throw new ArgumentException($"unknown register \"{name}\" (x0-x30, sp, sp_el0-2, pc, pstate, nzcv, daif, currentel, elr_elN, spsr_elN, or a system register's name)");
    }
}
