using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Cpu.Timer;

public sealed partial class GenericTimer : ISnapshotState
{
    /// <summary>The control registers, CNTVOFF_EL2 and the three timers. Their deadlines are events on the clock, saved with the queue.</summary>
    public void SaveState(SnapshotWriter w)
    {
        w.Section("timer");
        w.Write(CNTFRQ_EL0); w.Write(CNTKCTL_EL1); w.Write(CNTHCTL_EL2); w.Write(_cntvoff);
        El1Physical.SaveState(w);
        El1Virtual.SaveState(w);
        El2Physical.SaveState(w);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("timer");
        CNTFRQ_EL0 = r.ReadUInt64(); CNTKCTL_EL1 = r.ReadUInt64(); CNTHCTL_EL2 = r.ReadUInt64(); _cntvoff = r.ReadUInt64();
        El1Physical.RestoreState(r);
        El1Virtual.RestoreState(r);
        El2Physical.RestoreState(r);
    }
}

public sealed partial class TimerChannel
{
    /// <summary>What the event queue calls at the deadline (the queue's owner is this channel).</summary>
    internal Action DeadlineCallback => _onDeadline;

    internal void SaveState(SnapshotWriter w)
    {
        w.Write(_ctl); w.Write(Cval); w.Write(_level);
    }

    /// <summary>Restores the registers and the output level as they were, without driving the output (the GIC has its own state).</summary>
    internal void RestoreState(SnapshotReader r)
    {
        _ctl = r.ReadUInt64(); Cval = r.ReadUInt64(); _level = r.ReadBoolean();
    }
}
