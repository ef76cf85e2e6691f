using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Devices;

public sealed partial class Semihosting : ISnapshotState
{
    /// <summary>The open handles, errno and the figures SYS_HEAPINFO reports (the clocks run at the CPU's fixed rate). Output and input are host wiring.</summary>
    public void SaveState(SnapshotWriter w)
    {
        w.Section("semihosting");
        w.Write(_handles.Select(h => (byte)h).ToArray());
        w.Write(Errno); w.Write(RamBase); w.Write(RamSize); w.Write(ImageEnd);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("semihosting");
        var handles = r.ReadArray<byte>();
        if (handles.Length == 0 || handles.Any(h => h > (byte)Handle.ConsoleOut)) throw new SnapshotException("semihosting handles out of range");
        _handles.Clear();
        _handles.AddRange(handles.Select(h => (Handle)h));
        Errno = r.ReadInt32(); RamBase = r.ReadUInt64(); RamSize = r.ReadUInt64(); ImageEnd = r.ReadUInt64();
    }
}
