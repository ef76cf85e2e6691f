using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Devices;

public sealed partial class Pl011 : ISnapshotState
{
    /// <summary>The registers, the receive FIFO and the host input not yet received (recorded input: a restored run
    /// reads exactly what the uninterrupted one would). The transmit sink and the interrupt wiring are host-side.</summary>
    public void SaveState(SnapshotWriter w)
    {
        w.Section("pl011");
        w.Write(_readFifo); w.Write(_readPos); w.Write(_readCount);
        w.Write(_hostRx.ToArray());
        foreach (uint v in (ReadOnlySpan<uint>)[_flags, _lcr, _rsr, _cr, _dmacr, _intEnabled, _intLevel, _ilpr, _ibrd, _fbrd, _ifl]) w.Write(v);
        w.Write(_irq);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("pl011");
        r.Read<byte>(_readFifo); int pos = r.ReadInt32(), count = r.ReadInt32();
        if ((uint)pos >= FifoDepth || (uint)count > FifoDepth) throw new SnapshotException($"PL011 receive FIFO position {pos}, count {count}");
        _readPos = pos; _readCount = count;
        var host = r.ReadArray<byte>();
        _hostRx.Clear();
        foreach (byte b in host) _hostRx.Enqueue(b);
        _flags = r.ReadUInt32(); _lcr = r.ReadUInt32(); _rsr = r.ReadUInt32(); _cr = r.ReadUInt32(); _dmacr = r.ReadUInt32();
        _intEnabled = r.ReadUInt32(); _intLevel = r.ReadUInt32(); _ilpr = r.ReadUInt32(); _ibrd = r.ReadUInt32(); _fbrd = r.ReadUInt32();
        _ifl = r.ReadUInt32();
        _irq = r.ReadBoolean();
    }
}
