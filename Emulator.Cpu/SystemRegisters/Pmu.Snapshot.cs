using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Cpu.SystemRegisters;

public sealed partial class Pmu : ISnapshotState
{
    /// <summary>What the event queue calls at the overflow deadline (the queue's owner is the PMU).</summary>
    internal Action DeadlineCallback => _onDeadline;

    /// <summary>Registers and each counter's baseline; the event totals are <see cref="PerformanceEvents"/>' and the CPU's.</summary>
    public void SaveState(SnapshotWriter w)
    {
        w.Section("pmu");
        w.Write(_pmcr); w.Write(_cntEn); w.Write(_ovs); w.Write(_intEn); w.Write(_ccfiltr);
        w.Write(_evtyper); w.Write(_base); w.Write(_f0); w.Write(_running); w.Write(_event); w.Write(_elMask);
        w.Write(_level);
        w.Write(PMUSERENR_EL0); w.Write(PMSELR_EL0);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("pmu");
        _pmcr = r.ReadUInt64(); _cntEn = r.ReadUInt64(); _ovs = r.ReadUInt64(); _intEn = r.ReadUInt64(); _ccfiltr = r.ReadUInt64();
        r.Read<ulong>(_evtyper); r.Read<ulong>(_base); r.Read<ulong>(_f0); r.Read<bool>(_running); r.Read<int>(_event); r.Read<int>(_elMask);
        _level = r.ReadBoolean();
        PMUSERENR_EL0 = r.ReadUInt64(); PMSELR_EL0 = r.ReadUInt64();
    }
}
