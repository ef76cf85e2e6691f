using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Devices;

public sealed partial class GicV2 : ISnapshotState
{
    /// <summary>Every per-interrupt bitmap and priority, the distributor and CPU interface registers, the active
    /// priorities and the outputs. Restoring does not drive the outputs: the CPU's lines are restored with the CPU.</summary>
    public void SaveState(SnapshotWriter w)
    {
        w.Section("gic");
        w.Write(_enabled); w.Write(_pendingLatch); w.Write(_active); w.Write(_level); w.Write(_edge); w.Write(_group);
        w.Write(_priority); w.Write(_sgiSources);
        w.Write(_ctlr); w.Write(_cpuCtlr); w.Write(_pmr); w.Write(_bpr); w.Write(_abpr);
        w.Write(_apr); w.Write(_nsapr); w.Write(_currentPending);
        w.Write(IrqOut); w.Write(FiqOut);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("gic");
        r.Read<uint>(_enabled); r.Read<uint>(_pendingLatch); r.Read<uint>(_active); r.Read<uint>(_level); r.Read<uint>(_edge); r.Read<uint>(_group);
        r.Read<byte>(_priority); r.Read<byte>(_sgiSources);
        _ctlr = r.ReadUInt32(); _cpuCtlr = r.ReadUInt32(); _pmr = r.ReadUInt32(); _bpr = r.ReadUInt32(); _abpr = r.ReadUInt32();
        r.Read<uint>(_apr); r.Read<uint>(_nsapr); _currentPending = r.ReadInt32();
        IrqOut = r.ReadBoolean(); FiqOut = r.ReadBoolean();
    }
}
