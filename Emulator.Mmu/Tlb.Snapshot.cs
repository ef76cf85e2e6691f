using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Mmu;

public sealed partial class Tlb : ISnapshotState
{
    /// <summary>Every entry field by field, the round-robin victims, the sizes present, the generation and the count.</summary>
    public void SaveState(SnapshotWriter w)
    {
        w.Section("tlb");
        w.Write(_entries.Length);
        foreach (ref readonly var e in _entries.AsSpan())
        {
            w.Write(e.VaBase); w.Write(e.PaBase); w.Write(e.DescriptorAddress); w.Write(e.Descriptor);
            w.Write(e.SizeShift); w.Write(e.Level); w.Write((byte)e.Regime); w.Write(e.Global); w.Write(e.Asid);
            w.Write(e.ReadOnly); w.Write(e.UserAccess); w.Write(e.Uxn); w.Write(e.Pxn); w.Write(e.AttrIndx);
        }
        w.Write(_victim);
        w.Write(_shiftsPresent);
        w.Write(Generation);
        w.Write(Count);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("tlb");
        if (r.ReadInt32() != _entries.Length) throw new SnapshotException("the TLB has another number of entries");
        foreach (ref var e in _entries.AsSpan())
        {
            e.VaBase = r.ReadUInt64(); e.PaBase = r.ReadUInt64(); e.DescriptorAddress = r.ReadUInt64(); e.Descriptor = r.ReadUInt64();
            e.SizeShift = r.ReadByte(); e.Level = r.ReadByte(); e.Regime = (TranslationRegime)r.ReadByte(); e.Global = r.ReadBoolean();
            e.Asid = r.ReadUInt16(); e.ReadOnly = r.ReadBoolean(); e.UserAccess = r.ReadBoolean(); e.Uxn = r.ReadBoolean();
            e.Pxn = r.ReadBoolean(); e.AttrIndx = r.ReadByte();
        }
        r.Read<byte>(_victim);
        _shiftsPresent = r.ReadUInt64();
        Generation = r.ReadUInt64();
        Count = r.ReadInt32();
    }
}
