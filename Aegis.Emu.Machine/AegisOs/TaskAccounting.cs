using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.Hooks;

namespace Aegis.Emu.AegisOs;

/// <summary>
/// Per-task instruction, cycle and syscall counts of an AegisOS run, kept from the CPU's exception hooks
/// only (nothing runs per instruction). An ERET to EL0 starts a slice of the task the kernel's
/// <c>current_task</c> names at that moment; the next exception taken from EL0 ends it. Instructions
/// retired between the two are the task's (EL0 only); everything else is the kernel's. An SVC taken
/// from EL0 (EC 0x15) is a syscall of the slice's task, numbered by its x7.
/// <para>Cycles of a slice include the ERET that starts it (its cost is added after the hook) and the
/// time a WFI at EL0 sleeps, so the idle task's cycles show how long the machine idled.</para>
/// </summary>
public sealed class TaskAccounting : CpuHook
{
    public const int Tasks = 8;
    /// <summary>Syscall numbers counted one by one (AegisOS has 0..13); larger ones share the last slot.</summary>
    public const int SyscallSlots = 16;

    private readonly Cpu _cpu;
    private readonly long _currentTaskRamOffset;
    private readonly ulong[] _instructions = new ulong[Tasks];
    private readonly ulong[] _cycles = new ulong[Tasks];
    private readonly ulong[] _syscalls = new ulong[Tasks * SyscallSlots];
    private int _running = -1;
    private ulong _sliceRetired, _sliceCycles;

    /// <summary>Called after a syscall is counted: (task, x7). A benchmark may stop the run from here.</summary>
    public Action<int, ulong>? SyscallMade { get; set; }

    /// <param name="currentTaskAddress">Physical (= kernel virtual, identity-mapped) address of <c>current_task</c>.</param>
    public TaskAccounting(Cpu cpu, ulong currentTaskAddress)
    {
        _cpu = cpu;
        _currentTaskRamOffset = cpu.Bus.RamOffset(currentTaskAddress, 4);
        if (_currentTaskRamOffset < 0)
            throw new ArgumentOutOfRangeException(nameof(currentTaskAddress), $"0x{currentTaskAddress:X} is not in RAM");
        cpu.AddHook(this);
    }

    /// <summary>The task running at EL0 now, or -1 (kernel, or before the first ERET).</summary>
    public int Running => _running;

    public ulong Instructions(int task) =>
        _instructions[task] + (task == _running && _cpu.Retired > _sliceRetired ? _cpu.Retired - _sliceRetired : 0);
    public ulong Cycles(int task) => _cycles[task] + (task == _running ? _cpu.Cycles - _sliceCycles : 0);

    public ulong Syscalls(int task)
    {
        ulong n = 0;
        for (int i = 0; i < SyscallSlots; i++) n += _syscalls[task * SyscallSlots + i];
        return n;
    }

    public ulong Syscalls(int task, ulong number) => _syscalls[task * SyscallSlots + (int)Math.Min(number, SyscallSlots - 1)];

    /// <summary>Instructions retired at EL1/EL2 (and at EL0 outside any task slice).</summary>
    public ulong KernelInstructions
    {
        get
        {
            ulong user = 0;
            for (int t = 0; t < Tasks; t++) user += Instructions(t);
            return _cpu.Retired - user;
        }
    }

    /// <summary>Cycles spent outside task slices: the kernel's (and the boot's, before the first ERET to EL0).</summary>
    public ulong KernelCycles
    {
        get
        {
            ulong user = 0;
            for (int t = 0; t < Tasks; t++) user += Cycles(t);
            return _cpu.Cycles - user;
        }
    }

    /// <summary>The counts and the open slice, for a machine snapshot's "aegisos.tasks" section (host-side observer
    /// state: with it, a restored run's summary equals the uninterrupted run's).</summary>
    public byte[] SaveState()
    {
        var w = new Aegis.Emulator.Mmu.Snapshots.SnapshotWriter();
        w.Section("aegisos.tasks");
        w.Write(_currentTaskRamOffset);
        w.Write(_instructions); w.Write(_cycles); w.Write(_syscalls);
        w.Write(_running); w.Write(_sliceRetired); w.Write(_sliceCycles);
        return w.ToArray();
    }

    /// <exception cref="Aegis.Emulator.Mmu.Snapshots.SnapshotException">The section is another kernel's (current_task elsewhere) or damaged.</exception>
    public void RestoreState(byte[] state)
    {
        var r = new Aegis.Emulator.Mmu.Snapshots.SnapshotReader(state);
        r.Section("aegisos.tasks");
        if (r.ReadInt64() != _currentTaskRamOffset)
            throw new Aegis.Emulator.Mmu.Snapshots.SnapshotException("the snapshot was taken with another kernel image (its current_task is elsewhere)");
        var instructions = new ulong[Tasks]; var cycles = new ulong[Tasks]; var syscalls = new ulong[Tasks * SyscallSlots];
        r.Read<ulong>(instructions); r.Read<ulong>(cycles); r.Read<ulong>(syscalls);
        int running = r.ReadInt32();
        ulong sliceRetired = r.ReadUInt64(), sliceCycles = r.ReadUInt64();
        instructions.CopyTo(_instructions); cycles.CopyTo(_cycles); syscalls.CopyTo(_syscalls);
        _running = running; _sliceRetired = sliceRetired; _sliceCycles = sliceCycles;
    }

    public override void OnExceptionReturn(Cpu cpu)
    {
        if (_cpu.EL != 0) return;
        uint task = (uint)_cpu.Bus.ReadRam(_currentTaskRamOffset, 4);
        if (task >= Tasks) { _running = -1; return; }
        _running = (int)task;
        _sliceRetired = _cpu.Retired + 1; // the ERET itself retires after this hook: it is the kernel's
        _sliceCycles = _cpu.Cycles;
    }

    public override void OnExceptionEntry(Cpu cpu, int targetEl, ExceptionVector vector, uint esr, ulong preferredReturn)
    {
        if (_cpu.EL != 0 || _running < 0) return;
        int task = _running;
        _running = -1;
        var ec = (ExceptionClass)(esr >> 26);
        // A synchronous exception raised by an executed instruction (SVC, data abort, trapped WFI...) retires
        // that instruction after this hook; a fetch-side one (instruction abort, PC alignment, illegal state)
        // and interrupts retire nothing.
        bool retires = vector == ExceptionVector.Synchronous && ec is not (ExceptionClass.InstructionAbortLowerEl
            or ExceptionClass.InstructionAbortSameEl or ExceptionClass.PcAlignment or ExceptionClass.IllegalExecutionState);
        _instructions[task] += _cpu.Retired + (retires ? 1UL : 0UL) - _sliceRetired;
        _cycles[task] += _cpu.Cycles - _sliceCycles;
        if (vector == ExceptionVector.Synchronous && ec == ExceptionClass.Svc64)
        {
            ulong number = _cpu.X[7];
            _syscalls[task * SyscallSlots + (int)Math.Min(number, SyscallSlots - 1)]++;
            SyscallMade?.Invoke(task, number);
        }
    }
}
