namespace Aegis.Emulator.Cpu;

/// <summary>
/// Cycles and retired instructions per exception level, for the PMU's CPU_CYCLES and INST_RETIRED.
/// Nothing is done per instruction: the totals of the level being left are closed at each EL change
/// (<see cref="SetExceptionLevel"/>, <see cref="Reset"/>) and the open span is <see cref="Cycles"/> /
/// <see cref="Retired"/> minus their values at its start.
/// <para>
/// The instruction that changes the EL (SVC, HVC, ERET, a trapped or aborting instruction) belongs to the level
/// it executed at, but it retires (and is charged its cycles) after the change. So the change leaves a note and
/// an event due at once on <see cref="Events"/>; at the top of the next step, if an instruction retired since,
/// its instruction and cycles move to the level it left. A change outside an instruction (an interrupt, a fetch
/// abort, a debugger) retires nothing and moves nothing.
/// </para>
/// </summary>
public sealed partial class Cpu
{
    private readonly ulong[] _elCycles = new ulong[3];
    private readonly ulong[] _elRetired = new ulong[3];
    private ulong _spanCycles0, _spanRetired0;
    private bool _elSettlePending;
    private int _elSettleFrom;
    private ulong _elSettleRetired;
    private readonly object _elSettleOwner = new();
    private Action? _elSettle;

    /// <summary>The PMU's event totals: the timing model adds its events here (see <see cref="PerformanceEvents"/>).</summary>
    public PerformanceEvents PerfEvents { get; }

    /// <summary>The performance monitors' overflow interrupt: (INTID of the PPI, level). The board wires it to the GIC.</summary>
    public Action<int, bool> PmuOutput { get; set; } = (_, _) => { };

    /// <summary>Cycles spent at exception level <paramref name="el"/> so far (the current level's as of now).</summary>
    public ulong CyclesAtEl(int el)
    {
        SettleElChangeIfRetired();
        ulong v = _elCycles[el];
        return el == EL ? v + (Cycles - _spanCycles0) : v;
    }

    /// <summary>Instructions retired at exception level <paramref name="el"/> so far (the current level's as of now).</summary>
    public ulong RetiredAtEl(int el)
    {
        SettleElChangeIfRetired();
        ulong v = _elRetired[el];
        return el == EL ? v + (Retired - _spanRetired0) : v;
    }

    /// <summary>Called just before PSTATE.EL changes from <paramref name="from"/>.</summary>
    private void AccountElChange(int from)
    {
        SettleElChangeIfRetired();
        CloseSpan(from);
        _elSettlePending = true;
        _elSettleFrom = from;
        _elSettleRetired = Retired;
        Events.Schedule(_elSettleOwner, 0, _elSettle ??= SettleElChange);
    }

    private void CloseSpan(int el)
    {
        _elCycles[el] += Cycles - _spanCycles0;
        _elRetired[el] += Retired - _spanRetired0;
        _spanCycles0 = Cycles;
        _spanRetired0 = Retired;
    }

    /// <summary>The instruction that changed the EL has retired (nothing else can have run since): give it to its level.</summary>
    private void SettleElChangeIfRetired()
    {
        if (_elSettlePending && Retired != _elSettleRetired)
        {
            _elSettlePending = false;
            CloseSpan(_elSettleFrom);
        }
    }

    /// <summary>Due at the top of the step after an EL change.</summary>
    private void SettleElChange()
    {
        SettleElChangeIfRetired();
        _elSettlePending = false;
        _pmu?.Update();
    }
}
