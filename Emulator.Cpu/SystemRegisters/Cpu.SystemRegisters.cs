using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Emulator.Cpu.Timer;

namespace Aegis.Emulator.Cpu;

public sealed partial class Cpu
{
    private GenericTimer? _timer;
    private Pmu? _pmu;

    /// <summary>System registers without a home elsewhere (see <see cref="SystemRegisterState"/>).</summary>
    public SystemRegisterState Sys { get; } = new();

    /// <summary>The generic timer: counters, the EL1 physical/virtual and EL2 physical timers.</summary>
    public GenericTimer Timer => _timer!;

    /// <summary>The performance monitors (cycle counter and the event counter registers).</summary>
    public Pmu Pmu => _pmu!;

    /// <summary>Reset values of the system registers (filled in by the system-register table).</summary>
    partial void SystemRegisterReset();

    partial void SystemRegisterReset()
    {
        Sys.Reset();
        _timer ??= new GenericTimer(this);
        _timer.Reset();
        _pmu ??= new Pmu(this);
        _pmu.Reset();
        DebugConfigurationChanged();
    }

    /// <summary>Ends the run: WFI with nothing that could ever wake the core (no interrupt pending, nothing scheduled).</summary>
    public void RequestWaitForever() => StopRequest ??= StopReason.WaitForever;
}
