using System.Text;
using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Emulator.Cpu.Timing.A53;
using Aegis.Kernel.Image;

namespace Aegis.Emu.Tracing;

/// <summary>
/// One line per executed instruction that passes the <see cref="TraceFilter"/>:
/// <c>cycle EL task address symbol+off encoding disassembly ; registers written ; memory accessed ; exception</c>.
/// The cycle is when the instruction issued: with the a53 model its issue cycle and slot
/// (<see cref="A53Model.LastIssueCycle"/>/<see cref="A53Model.LastSlot"/>, "1234/1"), with any other model the clock
/// before it (<see cref="Cpu.Cycles"/> at fetch).
/// Registers written are found by comparing X0-X30, SP, NZCV, V0-V31 and FPSR before and after the instruction; a V
/// register is printed as 32 hex digits, bits 127:0; system-register
/// writes (MSR) and maintenance operations (TLBI, DC, IC, AT) are appended as reported by their hooks.
/// </summary>
public sealed class InstructionTracer : CpuHook, IDisposable
{
    private readonly TextWriter _out;
    private readonly KernelSymbols? _symbols;
    private readonly TraceFilter _filter;
    private readonly TaskResolver _tasks;
    private readonly Debugging.Disassembler _dis = new();
    /// <summary>The disassembly column of an encoding Capstone does not decode (the encoding is on the line already).</summary>
    internal const string Undefined = "(undefined)";
    private readonly ulong[] _before = new ulong[33];
    private readonly ulong[] _vBefore = new ulong[64];
    private ulong _fpsrBefore;
    private readonly StringBuilder _line = new();
    private bool _active;
    private ulong _cycle;
    private int _el, _task;

    /// <summary>Instructions written so far.</summary>
    public ulong Lines { get; private set; }

    public InstructionTracer(TextWriter output, KernelSymbols? symbols, TraceFilter filter, TaskResolver tasks)
    {
        _out = output;
        _symbols = symbols;
        _filter = filter;
        _tasks = tasks;
    }

    public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding)
    {
        _active = pc >= _filter.Lo && pc <= _filter.Hi && (_filter.El is not { } el || el == cpu.EL);
        if (!_active) return;
        _task = _tasks.Current;
        if (_filter.Task is { } t && t != _task) { _active = false; return; }
        _cycle = cpu.Cycles;
        _el = cpu.EL;
        Array.Copy(cpu.X, _before, 31);
        _before[31] = cpu.SP;
        _before[32] = cpu.Nzcv;
        Array.Copy(cpu.Vreg, _vBefore, 64);
        _fpsrBefore = cpu.Sys.FPSR;
        _line.Clear();
        string sym = _symbols?.Describe(pc) ?? "?";
        _line.Append($" EL{_el} T{(_task < 0 ? "-" : _task.ToString())} {pc:x16} {sym,-28} {encoding:x8}  {_dis.Disassemble(pc, encoding, Undefined),-36}");
    }

    public override void OnMemoryAccess(Cpu cpu, in MemoryAccess a)
    {
        if (!_active) return;
        _line.Append($" ; {(a.IsWrite ? "W" : "R")}{a.Size} [{a.Va:x}] (pa {a.Pa:x}) = {a.Value:x}");
    }

    public override void OnExceptionEntry(Cpu cpu, int targetEl, ExceptionVector vector, uint esr, ulong preferredReturn)
    {
        if (_active)
            _line.Append($" ; EXCEPTION {vector} to EL{targetEl} ESR {esr:x8} ELR {preferredReturn:x}");
        else if (_filter.El is null && _filter.Task is null && preferredReturn >= _filter.Lo && preferredReturn <= _filter.Hi)
            _out.WriteLine($"{cpu.Cycles,12} EL{cpu.EL} exception {vector} to EL{targetEl} ESR {esr:x8} ELR {preferredReturn:x} (no instruction)");
    }

    public override void OnSystemRegisterWrite(Cpu cpu, SystemRegister register, ulong value)
    {
        if (_active) _line.Append($" ; {register.Name}={value:x}");
    }

    public override void OnMaintenance(Cpu cpu, SystemRegister operation, ulong operand)
    {
        if (_active) _line.Append($" ; {operation.Name} {operand:x}");
    }

    public override void OnRetire(Cpu cpu, ulong pc, uint encoding)
    {
        if (!_active) return;
        for (int r = 0; r < 31; r++)
            if (cpu.X[r] != _before[r]) _line.Append($" ; x{r}={cpu.X[r]:x}");
        if (cpu.SP != _before[31]) _line.Append($" ; sp={cpu.SP:x}");
        if (cpu.Nzcv != _before[32]) _line.Append($" ; nzcv={cpu.Nzcv >> 28:x}");
        for (int v = 0; v < 32; v++)
            if (cpu.Vreg[2 * v] != _vBefore[2 * v] || cpu.Vreg[2 * v + 1] != _vBefore[2 * v + 1])
                _line.Append($" ; v{v}={cpu.Vreg[2 * v + 1]:x16}{cpu.Vreg[2 * v]:x16}");
        if (cpu.Sys.FPSR != _fpsrBefore) _line.Append($" ; fpsr={cpu.Sys.FPSR:x}");
        if (cpu.Timing is A53Model a53) _out.Write($"{a53.LastIssueCycle,10}/{a53.LastSlot}");
        else _out.Write($"{_cycle,12}");
        _out.WriteLine(_line.ToString());
        _active = false;
        Lines++;
    }

    public void Dispose()
    {
        _out.Flush();
        _dis.Dispose();
    }
}
