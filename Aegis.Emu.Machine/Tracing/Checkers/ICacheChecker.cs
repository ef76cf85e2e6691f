using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Cpu.Instructions;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Kernel.Image;

namespace Aegis.Emu.Tracing.Checkers;

/// <summary>
/// Instruction-cache maintenance (Arm ARM B2.4.4 "Concurrent modification and execution of instructions",
/// D4.4.7): code written by the CPU may be executed only after the written lines were cleaned to the PoU
/// (DC CVAU; DC CVAC/CIVAC clean further, so they count) and then invalidated from the instruction cache
/// (IC IVAU of the line, or IC IALLU/IALLUIS). Tracked per 64-byte line (CTR_EL0 DminLine/IminLine of the A53)
/// of RAM: 0 = consistent, 1 = written, 2 = cleaned but not invalidated; a mask per line records which 4-byte
/// words were written, so that only executing a written word counts (not its unchanged neighbours in the line).
/// </summary>
public sealed class ICacheChecker : Checker
{
    private const int LineShift = 6;
    private readonly byte[] _state;
    private readonly ulong[] _writerPc;
    private readonly ushort[] _words;
    private readonly List<int> _cleaned = [];
    private int _dirty;

    public override string Name => "icache";

    public ICacheChecker(Cpu cpu, KernelSymbols? symbols, TaskResolver tasks) : base(cpu, symbols, tasks)
    {
        long lines = (long)(cpu.Bus.RamSize >> LineShift);
        _state = new byte[lines];
        _writerPc = new ulong[lines];
        _words = new ushort[lines];
    }

    private int Line(ulong pa)
    {
        long off = Cpu.Bus.RamOffset(pa, 1);
        return off < 0 ? -1 : (int)(off >> LineShift);
    }

    public override void OnMemoryAccess(Cpu cpu, in MemoryAccess a)
    {
        if (!a.IsWrite) return;
        for (ulong p = a.Pa & ~63UL; p < a.Pa + (ulong)a.Size; p += 64)
        {
            int line = Line(p);
            if (line < 0) continue;
            if (_state[line] == 0) { _dirty++; _words[line] = 0; }
            _state[line] = 1;
            ulong from = Math.Max(p, a.Pa), to = Math.Min(p + 64, a.Pa + (ulong)a.Size);
            for (ulong b = from & ~3UL; b < to; b += 4) _words[line] |= (ushort)(1 << (int)((b >> 2) & 15));
            _writerPc[line] = cpu.PC;
        }
    }

    public override void OnMaintenance(Cpu cpu, SystemRegister op, ulong operand)
    {
        if (_dirty == 0) return;
        switch (op.Name)
        {
            case "DC CVAU" or "DC CVAC" or "DC CIVAC":
                if (PaOf(operand) is { } pa && Line(pa) is var l && l >= 0 && _state[l] == 1)
                {
                    _state[l] = 2;
                    _cleaned.Add(l);
                }
                break;
            case "IC IVAU":
                if (PaOf(operand) is { } pb && Line(pb) is var m && m >= 0 && _state[m] == 2)
                {
                    _state[m] = 0;
                    _dirty--;
                }
                break;
            case "IC IALLU" or "IC IALLUIS":
                foreach (int c in _cleaned)
                    if (_state[c] == 2) { _state[c] = 0; _dirty--; }
                _cleaned.Clear();
                break;
        }
    }

    /// <summary>The PA a by-VA operation just used: its TLB entry (the operation translated it), or the flat map with the MMU off.</summary>
    private ulong? PaOf(ulong va)
    {
        if (Cpu.Mmu.TryGetTlbEntry(va, Cpu.EL, out var e))
            return e.PaBase + (va & (e.Size - 1));
        bool mmuOn = ((Cpu.EL == 2 ? Cpu.MmuRegs.SCTLR_EL2 : Cpu.MmuRegs.SCTLR_EL1) & 1) != 0;
        return mmuOn ? null : va;
    }

    public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding)
    {
        NoteFetch(pc, encoding);
        if (_dirty == 0) return;
        int line = Line(pa);
        if (line < 0 || _state[line] == 0 || (_words[line] & (1 << (int)((pa >> 2) & 15))) == 0) return;
        ulong w = _writerPc[line];
        Report($"executes PA 0x{pa:x} (line 0x{pa & ~63UL:x}) written by the instruction at 0x{w:x} ({Sym(w)}) " +
            (_state[line] == 1 ? "without DC CVAU + IC IVAU/IALLU since" : "cleaned (DC CVAU) but not invalidated (IC IVAU/IALLU) since"));
        _state[line] = 0; // report each write once
        _dirty--;
    }
}
