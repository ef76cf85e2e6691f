using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Mmu;

public sealed partial class Mmu : ISnapshotState
{
    /// <summary>The translation registers, the TLB, the walk log and the last walk (the bus has its own state).</summary>
    public void SaveState(SnapshotWriter w)
    {
        w.Section("mmu");
        var g = Regs;
        foreach (ulong v in (ReadOnlySpan<ulong>)[g.SCTLR_EL1, g.TCR_EL1, g.TTBR0_EL1, g.TTBR1_EL1, g.MAIR_EL1, g.SCTLR_EL2, g.TCR_EL2, g.TTBR0_EL2, g.MAIR_EL2, g.HCR_EL2])
            w.Write(v);
        var l = LastWalk;
        w.Write(l.Va); w.Write(l.DescriptorAddress); w.Write(l.Descriptor); w.Write(l.Level); w.Write((int)l.Fault);
        Tlb.SaveState(w);
        WalkLog.SaveState(w);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("mmu");
        var g = Regs;
        g.SCTLR_EL1 = r.ReadUInt64(); g.TCR_EL1 = r.ReadUInt64(); g.TTBR0_EL1 = r.ReadUInt64(); g.TTBR1_EL1 = r.ReadUInt64();
        g.MAIR_EL1 = r.ReadUInt64(); g.SCTLR_EL2 = r.ReadUInt64(); g.TCR_EL2 = r.ReadUInt64(); g.TTBR0_EL2 = r.ReadUInt64();
        g.MAIR_EL2 = r.ReadUInt64(); g.HCR_EL2 = r.ReadUInt64();
        LastWalk = new WalkRecord(r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), r.ReadInt32(), (FaultKind)r.ReadInt32());
        Tlb.RestoreState(r);
        WalkLog.RestoreState(r);
    }
}
