using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Devices;

public sealed partial class Psci : ISnapshotState
{
    public void SaveState(SnapshotWriter w)
    {
        w.Section("psci");
        w.Write((int)Conduit);
        w.Write((int)LastEvent);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("psci");
        if ((PsciConduit)r.ReadInt32() != Conduit) throw new SnapshotException("the snapshot's PSCI conduit differs from this board's");
        LastEvent = (PowerEvent)r.ReadInt32();
    }
}
