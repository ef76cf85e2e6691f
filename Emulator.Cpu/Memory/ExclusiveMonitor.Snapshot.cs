using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Cpu;

public sealed partial class ExclusiveMonitor : ISnapshotState
{
    public void SaveState(SnapshotWriter w)
    {
        w.Section("exclusive");
        w.Write(Open); w.Write(Address); w.Write(Size);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("exclusive");
        Open = r.ReadBoolean(); Address = r.ReadUInt64(); Size = r.ReadInt32();
    }
}
