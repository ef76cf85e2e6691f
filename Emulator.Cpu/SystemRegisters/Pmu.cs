namespace Aegis.Emulator.Cpu.SystemRegisters;

/// <summary>
/// The performance monitors (Arm ARM D7 and D13.5, PMUv3 of Armv8.0; A53 TRM chapter 12): PMCR_EL0, the cycle
/// counter PMCCNTR_EL0 with its filter PMCCFILTR_EL0, six 32-bit event counters PMEVCNTR&lt;n&gt;_EL0 with their
/// PMEVTYPER&lt;n&gt;_EL0, the enable, overflow and interrupt-enable sets, and the overflow interrupt (PPI 23 on
/// the virt board, through <see cref="Cpu.PmuOutput"/>).
/// <para>
/// Counters are computed lazily from monotonic per-EL totals (<see cref="PerformanceEvents.Total"/>): a
/// counter holds a base value and the filtered total at its baseline, and reads as
/// base + (filtered total now - filtered total at the baseline). Every register write that changes what or
/// whether a counter counts first folds the counts so far into the base (with overflow detection), then takes
/// a new baseline. Overflow is found exactly: a deadline on <see cref="Cpu.Events"/> for cycle-counting counters
/// (and a poll for INST_RETIRED, exact while every instruction costs at least one cycle), and alarm thresholds in
/// <see cref="PerformanceEvents"/> for the events that are added there.
/// </para>
/// <para>
/// A write takes effect during the writing instruction: that instruction's own retirement and cycles count
/// (as the existing PmccntrCountsCycles test and QEMU's cycle counter have it); a read returns the counts up to
/// the instruction before the reading one. Not modelled: CHAIN (event 0x1E, an odd counter counting the even
/// one's overflows), MDCR_EL2.HPMN/HPME partitioning (HPMN stays 6, so PMCR_EL0.E enables every counter),
/// the EL3/Secure filter bits NSK/NSU/M (stored, ignored: there is no EL3).
/// </para>
/// </summary>
public sealed partial class Pmu
{
    /// <summary>PMCR_EL0.N: QEMU 7.2's cortex-a53 reads PMCR_EL0 = 0x4103_3000 (IMP 0x41, IDCODE 0x03, N = 6).</summary>
    public const int EventCounters = 6;
    public const ulong PmcrResetValue = 0x4103_3000;
    private const ulong PmcrWritable = 0x79; // LC, DP, X, D, E (QEMU PMCR_WRITABLE_MASK)
    public const ulong PMCR_E = 1, PMCR_P = 2, PMCR_C = 4, PMCR_D = 8, PMCR_LC = 1UL << 6;
    /// <summary>The bits of PMCNTENSET/PMOVSSET/PMINTENSET that exist: C (31) and P0..P5.</summary>
    public const ulong CounterMask = (1UL << 31) | ((1UL << EventCounters) - 1);
    /// <summary>PMEVTYPER/PMCCFILTR filter bits: P (do not count EL1), U (do not count EL0), NSH (count EL2).</summary>
    public const ulong FILTER_P = 1UL << 31, FILTER_U = 1UL << 30, FILTER_NSH = 1UL << 27;
    public const ulong EventTypeMask = 0xF800_03FF, CycleFilterMask = 0xF800_0000;
    /// <summary>The PMU interrupt on QEMU's virt board: PPI 7 = INTID 23 (VIRTUAL_PMU_IRQ).</summary>
    public const int InterruptId = 23;

    private const int Cycle = EventCounters; // index of the cycle counter in the per-counter arrays
    private const int Slots = EventCounters + 1;

    private readonly Cpu _cpu;
    private readonly PerformanceEvents _events;
    private readonly Action _onDeadline;
    private ulong _pmcr, _cntEn, _ovs, _intEn, _ccfiltr;
    private readonly ulong[] _evtyper = new ulong[EventCounters];

    // Per counter (0..5 event counters, 6 the cycle counter): the value at the baseline, the filtered total at
    // the baseline, and the configuration the baseline was taken with (running, event, EL mask).
    private readonly ulong[] _base = new ulong[Slots];
    private readonly ulong[] _f0 = new ulong[Slots];
    private readonly bool[] _running = new bool[Slots];
    private readonly int[] _event = new int[Slots];
    private readonly int[] _elMask = new int[Slots];
    private bool _level;

    public ulong PMUSERENR_EL0, PMSELR_EL0;

    public Pmu(Cpu cpu)
    {
        _cpu = cpu;
        _events = cpu.PerfEvents;
        _events.AlarmCrossed = (_, _) => Update();
        _onDeadline = Update;
    }

    public void Reset()
    {
        _pmcr = _cntEn = _ovs = _intEn = _ccfiltr = 0;
        PMUSERENR_EL0 = PMSELR_EL0 = 0;
        Array.Clear(_evtyper);
        Array.Clear(_base);
        Array.Clear(_running);
        Rebase(force: true);
        Reschedule();
        SetLevel();
    }

    /// <summary>PMCEID0_EL0: the events 0-31 that are counted (<see cref="PerformanceEvents.Implemented"/>).</summary>
    public ulong PMCEID0 => _events.Implemented & 0xFFFF_FFFF;
    /// <summary>PMCEID1_EL0: the events 32-63 that are counted.</summary>
    public ulong PMCEID1 => _events.Implemented >> 32;

    // ---- registers ------------------------------------------------------------------------------------------

    public ulong PMCR_EL0
    {
        get => (PmcrResetValue & ~PmcrWritable) | _pmcr;
        set
        {
            Fold();
            if ((value & PMCR_C) != 0) { _base[Cycle] = 0; _running[Cycle] = false; } // new baseline below
            if ((value & PMCR_P) != 0)
                for (int n = 0; n < EventCounters; n++) { _base[n] = 0; _running[n] = false; }
            if (((value ^ _pmcr) & PMCR_D) != 0) _running[Cycle] = false;          // the divider restarts
            _pmcr = value & PmcrWritable;
            Changed();
        }
    }

    /// <summary>PMCNTENSET_EL0 (PMCNTENCLR_EL0 reads the same).</summary>
    public ulong PMCNTENSET
    {
        get => _cntEn;
        set { Fold(); _cntEn = value & CounterMask; Changed(); }
    }

    /// <summary>Changes the enable set, keeping every counter's value across the change.</summary>
    public void SetCountEnable(ulong value) => PMCNTENSET = value;

    /// <summary>PMOVSSET_EL0 / PMOVSCLR_EL0: the overflow flags as of now.</summary>
    public ulong PMOVSSET
    {
        get { Update(); return _ovs; }
        set { Update(); _ovs = value & CounterMask; SetLevel(); }
    }

    /// <summary>PMINTENSET_EL1 / PMINTENCLR_EL1.</summary>
    public ulong PMINTENSET
    {
        get => _intEn;
        set { _intEn = value & CounterMask; SetLevel(); }
    }

    public ulong PMCCFILTR_EL0
    {
        get => _ccfiltr;
        set { Fold(); _ccfiltr = value & CycleFilterMask; Changed(); }
    }

    public ulong PMCCNTR_EL0
    {
        get => Value(Cycle);
        set { Fold(); _base[Cycle] = value; _running[Cycle] = false; Changed(); }
    }

    public ulong GetEventCounter(int n) => Value(n);

    public void SetEventCounter(int n, ulong value)
    {
        Fold();
        _base[n] = (uint)value;
        _running[n] = false;
        Changed();
    }

    public ulong GetEventType(int n) => _evtyper[n];

    public void SetEventType(int n, ulong value)
    {
        Fold();
        _evtyper[n] = value & EventTypeMask;
        Changed();
    }

    /// <summary>PMSWINC_EL0: increments each enabled event counter counting SW_INCR (event 0x00) whose filter admits the current EL.</summary>
    public void SoftwareIncrement(ulong value)
    {
        Fold();
        for (int n = 0; n < EventCounters; n++)
        {
            if ((value & (1UL << n)) == 0 || !Enabled(n) || (_evtyper[n] & 0x3FF) != (ulong)PmuEvent.SW_INCR) continue;
            if ((ElMask(_evtyper[n]) & (1 << _cpu.EL)) == 0) continue;
            _base[n] = (uint)(_base[n] + 1);
            if (_base[n] == 0) _ovs |= 1UL << n;
        }
        SetLevel();
    }

    /// <summary>PMSELR_EL0.SEL picks an event counter (0..N-1) or, with 31, the cycle counter's filter.</summary>
    public int Selected => (int)(PMSELR_EL0 & 31);

    public ulong SelectedType
    {
        get => Selected == 31 ? PMCCFILTR_EL0 : Selected < EventCounters ? _evtyper[Selected] : 0;
        set
        {
            if (Selected == 31) PMCCFILTR_EL0 = value;
            else if (Selected < EventCounters) SetEventType(Selected, value);
        }
    }

    public ulong SelectedCounter
    {
        get => Selected < EventCounters ? GetEventCounter(Selected) : 0;
        set { if (Selected < EventCounters) SetEventCounter(Selected, value); }
    }

    /// <summary>The overflow interrupt's level: PMCR_EL0.E and some counter with both its PMOVSSET and PMINTENSET bits.</summary>
    public bool InterruptLevel => _level;

    // ---- counting -------------------------------------------------------------------------------------------

    /// <summary>Folds the counts so far (detecting overflow), re-arms the deadlines and updates the interrupt.</summary>
    public void Update()
    {
        Fold();
        Reschedule();
        SetLevel();
    }

    private bool Enabled(int n) => (_pmcr & PMCR_E) != 0 && (_cntEn & (n == Cycle ? 1UL << 31 : 1UL << n)) != 0;

    /// <summary>The ELs a filter admits (Armv8.0, Non-secure, no EL3): EL0 unless U, EL1 unless P, EL2 only with NSH.</summary>
    private static int ElMask(ulong filter) =>
        ((filter & FILTER_U) == 0 ? 1 : 0) | ((filter & FILTER_P) == 0 ? 2 : 0) | ((filter & FILTER_NSH) != 0 ? 4 : 0);

    private int Width(int i) => i == Cycle && (_pmcr & PMCR_LC) != 0 ? 64 : 32;
    private ulong Divider(int i) => i == Cycle && (_pmcr & PMCR_D) != 0 ? 64UL : 1UL;

    /// <summary>The filtered total of counter <paramref name="i"/>'s event; 0 for an event nobody counts.</summary>
    private ulong Filtered(int i)
    {
        int e = _event[i];
        if (e >= PerformanceEvents.EventSlots || (_events.Implemented & (1UL << e)) == 0) return 0;
        ulong t = 0;
        for (int el = 0; el < 3; el++)
            if ((_elMask[i] & (1 << el)) != 0) t += _events.Total((PmuEvent)e, el);
        return t;
    }

    private ulong Value(int i)
    {
        if (!_running[i]) return _base[i];
        ulong v = _base[i] + (Filtered(i) - _f0[i]) / Divider(i);
        return i == Cycle ? v : (uint)v;
    }

    /// <summary>Moves each running counter's counts into its base, setting its overflow flag if it wrapped.</summary>
    private void Fold()
    {
        for (int i = 0; i < Slots; i++)
        {
            if (!_running[i]) continue;
            ulong div = Divider(i);
            ulong ticks = (Filtered(i) - _f0[i]) / div;
            if (ticks == 0) continue;
            _f0[i] += ticks * div; // keeps the divider's remainder
            int w = Width(i);
            UInt128 raw = (UInt128)_base[i] + ticks;
            if ((raw >> w) != ((UInt128)_base[i] >> w)) _ovs |= i == Cycle ? 1UL << 31 : 1UL << i;
            _base[i] = i == Cycle ? (ulong)raw : (uint)raw;
        }
    }

    /// <summary>After a register change: counters whose configuration changed take a new baseline.</summary>
    private void Changed()
    {
        Rebase(force: false);
        Reschedule();
        SetLevel();
    }

    private void Rebase(bool force)
    {
        for (int i = 0; i < Slots; i++)
        {
            bool running = Enabled(i);
            int e = i == Cycle ? (int)PmuEvent.CPU_CYCLES : (int)(_evtyper[i] & 0x3FF);
            int mask = ElMask(i == Cycle ? _ccfiltr : _evtyper[i]);
            if (!force && running == _running[i] && e == _event[i] && mask == _elMask[i]) continue;
            _running[i] = running;
            _event[i] = e;
            _elMask[i] = mask;
            _f0[i] = Filtered(i);
        }
    }

    /// <summary>
    /// Arms what finds the next overflow: for counters of CPU_CYCLES/BUS_CYCLES a deadline at the cycle they
    /// overflow, for INST_RETIRED a poll after as many cycles as instructions remain, for the other events the
    /// alarm thresholds of <see cref="PerformanceEvents"/> (for every EL the counter admits).
    /// </summary>
    private void Reschedule()
    {
        _events.ClearAlarms();
        ulong deadline = ulong.MaxValue;
        ulong now = _cpu.Cycles;
        int curEl = 1 << _cpu.EL;
        for (int i = 0; i < Slots; i++)
        {
            if (!_running[i]) continue;
            int e = _event[i];
            if (e >= PerformanceEvents.EventSlots || (_events.Implemented & (1UL << e)) == 0) continue;
            int w = Width(i);
            UInt128 toWrap = (UInt128.One << w) - (w == 64 ? _base[i] : _base[i] & 0xFFFF_FFFF);
            UInt128 units = toWrap * Divider(i) - (Filtered(i) - _f0[i]); // event units until the wrap (>= 1 after Fold)
            ulong remaining = units > ulong.MaxValue ? ulong.MaxValue : (ulong)units;
            var ev = (PmuEvent)e;
            bool cpuCounted = ev is PmuEvent.CPU_CYCLES or PmuEvent.BUS_CYCLES or PmuEvent.INST_RETIRED;
            if (cpuCounted && (_elMask[i] & curEl) != 0)
                deadline = Math.Min(deadline, now > ulong.MaxValue - remaining ? ulong.MaxValue : now + remaining);
            for (int el = 0; el < 3; el++)
            {
                if ((_elMask[i] & (1 << el)) == 0) continue;
                ulong added = _events.Added(ev, el);
                ulong alarm = added > ulong.MaxValue - remaining ? ulong.MaxValue : added + remaining;
                if (alarm < _events.Alarm(el, ev)) _events.SetAlarm(el, ev, alarm);
            }
        }
        if (deadline == ulong.MaxValue) _cpu.Events.Cancel(this);
        else _cpu.Events.Schedule(this, deadline, _onDeadline);
    }

    private void SetLevel()
    {
        bool level = (_pmcr & PMCR_E) != 0 && (_ovs & _intEn & CounterMask) != 0;
        if (level == _level) return;
        _level = level;
        _cpu.PmuOutput(InterruptId, level);
    }
}
