using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Cpu;

public sealed partial class PerformanceEvents : ISnapshotState
{
    /// <summary>Every (EL, event) total with its alarm threshold, and the implemented set.</summary>
    public void SaveState(SnapshotWriter w)
    {
        w.Section("perfevents");
        w.Write(_slots);
        w.Write(Implemented);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("perfevents");
        r.Read<ulong>(_slots);
        Implemented = r.ReadUInt64();
        Armed = 0;
        for (int i = 1; i < _slots.Length; i += 2)
            if (_slots[i] != ulong.MaxValue) Armed |= EventBit(i >> 1);
    }
}
