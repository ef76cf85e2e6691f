using Aegis.Emulator.Cpu;

namespace Aegis.Emu.Tracing;

/// <summary>
/// Which AegisOS task is executing: the kernel's <c>current_task</c> (a u32 at a known physical address) when the
/// image has that symbol, else at EL0 the ASID of TTBR0_EL1 minus one (AegisOS gives task t ASID t + 1).
/// -1 when unknown (EL1/EL2 code of an image without <c>current_task</c>).
/// </summary>
public sealed class TaskResolver
{
    private readonly Cpu _cpu;
    private readonly long _currentTaskRamOffset = -1;

    public TaskResolver(Cpu cpu, ulong? currentTaskAddress)
    {
        _cpu = cpu;
        if (currentTaskAddress is { } a) _currentTaskRamOffset = cpu.Bus.RamOffset(a, 4);
    }

    public bool KnowsKernelTask => _currentTaskRamOffset >= 0;

    public int Current
    {
        get
        {
            if (_currentTaskRamOffset >= 0) return (int)(uint)_cpu.Bus.ReadRam(_currentTaskRamOffset, 4);
            if (_cpu.EL == 0) return (int)(_cpu.MmuRegs.TTBR0_EL1 >> 48) - 1;
            return -1;
        }
    }
}
