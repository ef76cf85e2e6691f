using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Mmu;

public sealed partial class WalkLog : ISnapshotState
{
    /// <summary>The ring and the count: a timing model charges the reads after the count it last saw.</summary>
    public void SaveState(SnapshotWriter w)
    {
        w.Section("walklog");
        w.Write(_descriptorPa);
        w.Write(_va);
        w.Write(Reads);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("walklog");
        r.Read<ulong>(_descriptorPa);
        r.Read<ulong>(_va);
        Reads = r.ReadUInt64();
    }
}
