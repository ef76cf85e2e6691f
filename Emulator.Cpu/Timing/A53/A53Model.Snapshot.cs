using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Cpu.Timing.A53;

/// <summary>
/// The A53 model's part of a machine snapshot: the pipeline (issue cycle, slots, scoreboard, unit reservations, front
/// end), what it last saw of the CPU's counters, its statistics, the caches with their replacement state, the micro-TLBs
/// and walk cache, the translation context and the hit memo, and the branch predictor. The configuration is not state
/// (the snapshot file checks that the boards' configurations are the same); the pipeline observer is host wiring.
/// </summary>
public sealed partial class A53Model : ISnapshotState
{
    public void SaveState(SnapshotWriter w)
    {
        w.Section("a53");
        w.Write(_cycle); w.Write(_slotsUsed); w.Write((int)_slot0); w.Write(LastSlot);
        _ready[Sink] = 0; // written but never read, so not state (translated blocks skip the write)
        w.Write(_ready); w.Write(_unitFree);
        w.Write(_fetchReady); w.Write(_drained); w.Write(_accessSeen); w.Write(_walkSeen); w.Write(_exceptionsSeen); w.Write(_returnsSeen);
        Stats.SaveState(w);
        _memory.SaveState(w);
        _front.SaveState(w);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("a53");
        _cycle = r.ReadUInt64(); _slotsUsed = r.ReadInt32(); _slot0 = (IssueUnit)r.ReadInt32(); LastSlot = r.ReadInt32();
        r.Read<ulong>(_ready); r.Read<ulong>(_unitFree);
        _fetchReady = r.ReadUInt64(); _drained = r.ReadUInt64(); _accessSeen = r.ReadUInt64(); _walkSeen = r.ReadUInt64();
        _exceptionsSeen = r.ReadUInt64(); _returnsSeen = r.ReadUInt64();
        Stats.RestoreState(r);
        _memory.RestoreState(r);
        _front.RestoreState(r);
    }
}

public sealed partial class A53Statistics
{
    internal void SaveState(SnapshotWriter w)
    {
        w.Write(DualIssued); w.Write(SleptCycles); w.Write(Walks); w.Write(WalkReads); w.Write(MispredictsByKind);
    }

    internal void RestoreState(SnapshotReader r)
    {
        DualIssued = r.ReadUInt64(); SleptCycles = r.ReadUInt64(); Walks = r.ReadUInt64(); WalkReads = r.ReadUInt64();
        r.Read<ulong>(MispredictsByKind);
    }
}

internal sealed partial class MemoryTiming
{
    internal void SaveState(SnapshotWriter w)
    {
        w.Section("a53.memory");
        Caches.SaveState(w);
        _itlb.SaveState(w); _dtlb.SaveState(w); _walkCache.SaveState(w);
        // The translation context is remembered against the CPU's translation epoch: exact in a snapshot, left out of a
        // fingerprint. The hit memo is not state (it only ever returns what the lookups would): a restore forgets it.
        bool c = w.Canonical;
        w.WriteCacheKey(_epoch); w.Write(c ? 0 : _sctlr); w.Write(c ? 0 : _el); w.Write(c ? (ushort)0 : _asid); w.Write(c ? (byte)0 : _regime); w.Write(_stall);
    }

    internal void RestoreState(SnapshotReader r)
    {
        r.Section("a53.memory");
        Caches.RestoreState(r);
        _itlb.RestoreState(r); _dtlb.RestoreState(r); _walkCache.RestoreState(r);
        _epoch = r.ReadUInt64(); _sctlr = r.ReadUInt64(); _el = r.ReadInt32(); _asid = r.ReadUInt16(); _regime = r.ReadByte(); _stall = r.ReadUInt64();
        Forget();
    }
}

public sealed partial class MemorySystem
{
    internal void SaveState(SnapshotWriter w) { L1I.SaveState(w); L1D.SaveState(w); L2.SaveState(w); }
    internal void RestoreState(SnapshotReader r) { L1I.RestoreState(r); L1D.RestoreState(r); L2.RestoreState(r); }
}

public sealed partial class SetAssociativeCache
{
    internal void SaveState(SnapshotWriter w)
    {
        w.Write(_entries); w.WriteOptional(_stamps); w.WriteOptional(_nextWay);
        w.Write(_clock); w.Write(Changes); w.Write(_lfsr.State);
    }

    internal void RestoreState(SnapshotReader r)
    {
        r.Read<ulong>(_entries); r.ReadOptional(_stamps); r.ReadOptional(_nextWay);
        _clock = r.ReadUInt64(); Changes = r.ReadUInt64();
        ushort lfsr = r.ReadUInt16();
        if (lfsr == 0) throw new SnapshotException("a cache's victim LFSR is 0");
        _lfsr = new VictimLfsr(lfsr);
    }
}

public sealed partial class MicroTlb
{
    internal void SaveState(SnapshotWriter w) => _entries.SaveState(w);
    internal void RestoreState(SnapshotReader r) => _entries.RestoreState(r);
}

public sealed partial class WalkCache
{
    internal void SaveState(SnapshotWriter w) => _entries.SaveState(w);
    internal void RestoreState(SnapshotReader r) => _entries.RestoreState(r);
}

internal sealed partial class TranslationCacheArray
{
    internal void SaveState(SnapshotWriter w)
    {
        w.Write(_keys); w.Write(_asids); w.Write(_regimes); w.Write(_global); w.Write(_valid); w.Write(_nextWay);
        w.Write(Changes);
    }

    internal void RestoreState(SnapshotReader r)
    {
        r.Read<ulong>(_keys); r.Read<ushort>(_asids); r.Read<byte>(_regimes); r.Read<bool>(_global); r.Read<bool>(_valid); r.Read<int>(_nextWay);
        _last = 0; Changes = r.ReadUInt64();
        for (int i = 0; i < _valid.Length; i++) Restamp(i); // the entries hold other contents now
    }
}

internal sealed partial class FrontEnd
{
    internal void SaveState(SnapshotWriter w)
    {
        w.Section("a53.frontend");
        w.Write(_line); w.Write(_page);
        _predictor.SaveState(w);
    }

    internal void RestoreState(SnapshotReader r)
    {
        r.Section("a53.frontend");
        _line = r.ReadUInt64(); _page = r.ReadUInt64();
        _predictor.RestoreState(r);
    }
}

public sealed partial class BranchPredictor
{
    internal void SaveState(SnapshotWriter w)
    {
        _conditional.SaveState(w); _btic.SaveState(w); _btac.SaveState(w); _returnStack.SaveState(w);
    }

    internal void RestoreState(SnapshotReader r)
    {
        _conditional.RestoreState(r); _btic.RestoreState(r); _btac.RestoreState(r); _returnStack.RestoreState(r);
    }
}

internal sealed partial class ConditionalPredictor
{
    internal void SaveState(SnapshotWriter w) { w.Write(_counters); w.Write(_history); }
    internal void RestoreState(SnapshotReader r) { r.Read<byte>(_counters); _history = r.ReadUInt32(); }
}

internal sealed partial class BranchTargetInstructionCache
{
    internal void SaveState(SnapshotWriter w) { w.Write(_pc); w.Write(_target); w.Write(_next); }
    internal void RestoreState(SnapshotReader r) { r.Read<ulong>(_pc); r.Read<ulong>(_target); _next = r.ReadInt32(); }
}

internal sealed partial class BranchTargetAddressCache
{
    internal void SaveState(SnapshotWriter w) { w.Write(_tag); w.Write(_target); }
    internal void RestoreState(SnapshotReader r) { r.Read<ulong>(_tag); r.Read<ulong>(_target); }
}

internal sealed partial class ReturnStack
{
    internal void SaveState(SnapshotWriter w) { w.Write(_entries); w.Write(_top); w.Write(_count); }
    internal void RestoreState(SnapshotReader r) { r.Read<ulong>(_entries); _top = r.ReadInt32(); _count = r.ReadInt32(); }
}
