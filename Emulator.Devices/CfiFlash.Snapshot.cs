using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Devices;

public sealed partial class CfiFlash : ISnapshotState
{
    /// <summary>The command state machine and the write buffer. The array lives in the bus's code space, whose pages
    /// the snapshot's memory image carries (dirty-tracked like RAM).</summary>
    public void SaveState(SnapshotWriter w)
    {
        w.Section("cfiflash");
        w.Write(_wcycle); w.Write(_cmd); w.Write(_status); w.Write(_counter); w.Write(_romd);
        w.Write(_blockBytes); w.Write(_blockOffset);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("cfiflash");
        _wcycle = r.ReadInt32(); _cmd = r.ReadByte(); _status = r.ReadByte(); _counter = r.ReadUInt64();
        bool romd = r.ReadBoolean();
        r.Read<byte>(_blockBytes); _blockOffset = r.ReadInt64();
        if (romd != _romd)
        {
            _romd = romd;
            _storage?.ArrayModeChanged();
        }
    }
}
