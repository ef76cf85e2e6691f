namespace Aegis.Emulator.Cpu.SystemRegisters;

/// <summary>
/// The performance monitors as far as software can see them: PMCR_EL0, the cycle counter PMCCNTR_EL0
/// (derived from <see cref="Cpu.Cycles"/>), six event counters that only PMSWINC advances (no other
/// event is modelled yet), and the enable/overflow/interrupt-enable sets. PMCCFILTR_EL0 and PMCR_EL0.D
/// are stored but do not yet filter or divide the cycle count.
/// </summary>
public sealed class Pmu(Cpu cpu)
{
    /// <summary>PMCR_EL0.N: QEMU 7.2's cortex-a53 reads PMCR_EL0 = 0x4103_3000 (IMP 0x41, IDCODE 0x03, N = 6).</summary>
    public const int EventCounters = 6;
    public const ulong PmcrResetValue = 0x4103_3000;
    private const ulong PmcrWritable = 0x79; // LC, DP, X, D, E (QEMU PMCR_WRITABLE_MASK)
    public const ulong PMCR_E = 1, PMCR_P = 2, PMCR_C = 4;
    /// <summary>PMCEID0_EL0 as QEMU 7.2 reports it (SW_INCR and CPU_CYCLES).</summary>
    public const ulong PMCEID0 = 0x2_0001, PMCEID1 = 0;
    /// <summary>The bits of PMCNTENSET/PMOVSSET/PMINTENSET that exist: C (31) and P0..P5.</summary>
    public const ulong CounterMask = (1UL << 31) | ((1UL << EventCounters) - 1);

    private ulong _pmcr;
    private ulong _ccntBase, _ccntStart;
    public ulong PMCNTENSET, PMOVSSET, PMINTENSET, PMUSERENR_EL0, PMSELR_EL0, PMCCFILTR_EL0;
    public readonly ulong[] PMEVCNTR = new ulong[EventCounters];
    public readonly ulong[] PMEVTYPER = new ulong[EventCounters];

    public void Reset()
    {
        _pmcr = 0;
        _ccntBase = 0;
        _ccntStart = cpu.Cycles;
        PMCNTENSET = PMOVSSET = PMINTENSET = PMUSERENR_EL0 = PMSELR_EL0 = PMCCFILTR_EL0 = 0;
        Array.Clear(PMEVCNTR);
        Array.Clear(PMEVTYPER);
    }

    private bool CycleCounterRuns => (_pmcr & PMCR_E) != 0 && (PMCNTENSET & (1UL << 31)) != 0;

    public ulong PMCR_EL0
    {
        get => (PmcrResetValue & ~PmcrWritable) | _pmcr;
        set
        {
            ulong ccnt = PMCCNTR_EL0;
            if ((value & PMCR_C) != 0) ccnt = 0;
            if ((value & PMCR_P) != 0) Array.Clear(PMEVCNTR);
            _pmcr = value & PmcrWritable;
            PMCCNTR_EL0 = ccnt;
        }
    }

    public ulong PMCCNTR_EL0
    {
        get => CycleCounterRuns ? _ccntBase + (cpu.Cycles - _ccntStart) : _ccntBase;
        set { _ccntBase = value; _ccntStart = cpu.Cycles; }
    }

    /// <summary>Changes the enable set, keeping the cycle counter's value across the change.</summary>
    public void SetCountEnable(ulong value)
    {
        ulong ccnt = PMCCNTR_EL0;
        PMCNTENSET = value & CounterMask;
        PMCCNTR_EL0 = ccnt;
    }

    /// <summary>PMSWINC_EL0: increments each enabled event counter counting SW_INCR (event 0x00).</summary>
    public void SoftwareIncrement(ulong value)
    {
        if ((_pmcr & PMCR_E) == 0) return;
        for (int n = 0; n < EventCounters; n++)
        {
            if ((value & (1UL << n)) == 0 || (PMCNTENSET & (1UL << n)) == 0 || (PMEVTYPER[n] & 0x3FF) != 0) continue;
            PMEVCNTR[n] = (uint)(PMEVCNTR[n] + 1);
            if (PMEVCNTR[n] == 0) PMOVSSET |= 1UL << n;
        }
    }

    /// <summary>PMSELR_EL0.SEL picks an event counter (0..N-1) or, with 31, the cycle counter's filter.</summary>
    public int Selected => (int)(PMSELR_EL0 & 31);

    public ulong SelectedType
    {
        get => Selected == 31 ? PMCCFILTR_EL0 : Selected < EventCounters ? PMEVTYPER[Selected] : 0;
        set
        {
            if (Selected == 31) PMCCFILTR_EL0 = value & 0xF800_0000;
            else if (Selected < EventCounters) PMEVTYPER[Selected] = value & 0xF800_03FF;
        }
    }

    public ulong SelectedCounter
    {
        get => Selected < EventCounters ? PMEVCNTR[Selected] : 0;
        set { if (Selected < EventCounters) PMEVCNTR[Selected] = (uint)value; }
    }
}
