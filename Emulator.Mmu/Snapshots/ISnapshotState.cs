namespace Aegis.Emulator.Mmu.Snapshots;

/// <summary>
/// A component whose mutable state a machine snapshot carries (QEMU's VMStateDescription): it writes every field that
/// can change while the machine runs and reads them back in the same order. Host-side wiring (delegates, hooks,
/// observers) is not state and stays as it is; derived caches are dropped, not saved.
/// </summary>
public interface ISnapshotState
{
    void SaveState(SnapshotWriter w);
    void RestoreState(SnapshotReader r);
}
