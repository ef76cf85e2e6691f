namespace Aegis.Emulator.Cpu.Timer;

/// <summary>
/// The Armv8 generic timer (Arm ARM D11): the system counter derived from the machine clock, and the
/// EL1 physical, EL1 virtual and EL2 physical timers. Each timer drives its PPI through
/// <see cref="Cpu.TimerOutput"/> and keeps one deadline on <see cref="Cpu.Events"/>, recomputed on every
/// CTL/CVAL/TVAL (and CNTVOFF_EL2) write.
/// </summary>
public sealed partial class GenericTimer
{
    /// <summary>CNTFRQ_EL0 as QEMU 7.2 reports it for -M virt (62.5 MHz).</summary>
    public const ulong CounterFrequencyHz = 62_500_000;
    /// <summary>Core cycles per system-counter tick (16).</summary>
    public const ulong CyclesPerTick = Cpu.ClockHz / CounterFrequencyHz;

    // PPIs of the timers on the virt board (INTIDs as QEMU wires them to the GIC).
    public const int El1PhysicalPpi = 30;
    public const int El1VirtualPpi = 27;
    public const int El2PhysicalPpi = 26;

    // CNTx_CTL bits.
    public const ulong CtlEnable = 1, CtlImask = 2, CtlIstatus = 4;

    private readonly Cpu _cpu;

    public TimerChannel El1Physical { get; }
    public TimerChannel El1Virtual { get; }
    public TimerChannel El2Physical { get; }

    /// <summary>CNTFRQ_EL0: only a register (the counter's real rate is <see cref="CounterFrequencyHz"/>).</summary>
    public ulong CNTFRQ_EL0;
    public ulong CNTKCTL_EL1;
    public ulong CNTHCTL_EL2;
    private ulong _cntvoff;

    public GenericTimer(Cpu cpu)
    {
        _cpu = cpu;
        El1Physical = new TimerChannel(this, El1PhysicalPpi, virtualCounter: false);
        El1Virtual = new TimerChannel(this, El1VirtualPpi, virtualCounter: true);
        El2Physical = new TimerChannel(this, El2PhysicalPpi, virtualCounter: false);
    }

    public void Reset()
    {
        CNTFRQ_EL0 = CounterFrequencyHz;
        CNTKCTL_EL1 = 0;
        // QEMU 7.2 enters an EL2 -kernel image with CNTHCTL_EL2 = 3 (EL1PCEN | EL1PCTEN).
        CNTHCTL_EL2 = _cpu.HasEl2 ? 3UL : 0;
        _cntvoff = 0;
        El1Physical.Reset();
        El1Virtual.Reset();
        El2Physical.Reset();
    }

    /// <summary>CNTPCT_EL0: the physical count.</summary>
    public ulong PhysicalCount => _cpu.Cycles / CyclesPerTick;

    /// <summary>CNTVCT_EL0: the physical count minus CNTVOFF_EL2.</summary>
    public ulong VirtualCount => PhysicalCount - _cntvoff;

    public ulong CNTVOFF_EL2
    {
        get => _cntvoff;
        set { _cntvoff = value; El1Virtual.Update(); }
    }

    internal Cpu Cpu => _cpu;
    internal ulong OffsetOf(TimerChannel t) => t.VirtualCounter ? _cntvoff : 0;
}

/// <summary>One timer: CTL, CVAL (TVAL is a view of CVAL), its interrupt level and its pending deadline.</summary>
public sealed partial class TimerChannel
{
    private readonly GenericTimer _timer;
    private readonly Action _onDeadline;
    private bool _level;
    private ulong _ctl;

    public int Intid { get; }
    public bool VirtualCounter { get; }
    public ulong Cval { get; private set; }

    internal TimerChannel(GenericTimer timer, int intid, bool virtualCounter)
    {
        _timer = timer;
        Intid = intid;
        VirtualCounter = virtualCounter;
        _onDeadline = Update;
    }

    internal void Reset()
    {
        _ctl = 0;
        Cval = 0;
        Update();
    }

    private ulong Count => _timer.PhysicalCount - _timer.OffsetOf(this);

    /// <summary>ISTATUS: enabled and the counter has reached CVAL (0 while disabled, as QEMU).</summary>
    public bool Istatus => (_ctl & GenericTimer.CtlEnable) != 0 && Count >= Cval;

    /// <summary>The PPI level: ISTATUS and not IMASK.</summary>
    public bool Level => _level;

    public ulong Ctl
    {
        get => _ctl | (Istatus ? GenericTimer.CtlIstatus : 0);
        set { _ctl = value & (GenericTimer.CtlEnable | GenericTimer.CtlImask); Update(); }
    }

    public ulong CvalRegister
    {
        get => Cval;
        set { Cval = value; Update(); }
    }

    /// <summary>TVAL: the signed 32-bit distance from the count to CVAL; a write sets CVAL = count + SignExtend(TVAL).</summary>
    public ulong Tval
    {
        get => (uint)(Cval - Count);
        set { Cval = Count + (ulong)(long)(int)(uint)value; Update(); }
    }

    /// <summary>Re-evaluates the output level and reschedules the deadline (Arm ARM D11.2.4).</summary>
    public void Update()
    {
        var cpu = _timer.Cpu;
        bool istatus = Istatus;
        bool level = istatus && (_ctl & GenericTimer.CtlImask) == 0;
        if (level != _level)
        {
            _level = level;
            cpu.TimerOutput(Intid, level);
        }
        if ((_ctl & GenericTimer.CtlEnable) == 0 || istatus)
        {
            cpu.Events.Cancel(this);
            return;
        }
        // The first cycle at which (cycles / CyclesPerTick) - offset >= CVAL.
        ulong offset = _timer.OffsetOf(this);
        ulong physicalTarget = Cval + offset;
        if (physicalTarget < Cval || physicalTarget > ulong.MaxValue / GenericTimer.CyclesPerTick)
        {
            cpu.Events.Cancel(this); // beyond the end of time (or only reached by the virtual count wrapping)
            return;
        }
        cpu.Events.Schedule(this, physicalTarget * GenericTimer.CyclesPerTick, _onDeadline);
    }
}
