using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// The core's part of a machine snapshot (docs/SNAPSHOTS.md): the architectural state (general, SIMD&amp;FP and banked
/// registers, PSTATE), the clock and the counters derived from it (per-EL accounting, PMU, access log, exception counts),
/// the system registers, the generic timer, the exclusive monitor, the MMU with its TLB, the event queue and the timing
/// model's state. Host-side wiring (hooks, observer delegates, the firmware) is kept. Host caches derived from the state
/// (the fetch window, the RAM fast-path pages) are dropped on restore; the decoded pages of memory that a restore
/// changes are dropped by the bus, as any write to them would.
/// </summary>
public sealed partial class Cpu : ISnapshotState
{
    /// <summary>Steps made without retiring an instruction (exceptions entered between instructions).</summary>
    private ulong _stepsWithoutRetire;

    /// <summary>
    /// Steps (as <see cref="Run"/> counts them: retired instructions and exceptions entered between instructions)
    /// since the core was created. A run limit counted from reset stays the same across a snapshot with it.
    /// </summary>
    public ulong Steps => Retired + _stepsWithoutRetire;

    private object[] EventOwners() => [Timer.El1Physical, Timer.El1Virtual, Timer.El2Physical, Pmu, _elSettleOwner];

    private Action[] EventCallbacks() =>
        [Timer.El1Physical.DeadlineCallback, Timer.El1Virtual.DeadlineCallback, Timer.El2Physical.DeadlineCallback,
         Pmu.DeadlineCallback, _elSettle ??= SettleElChange];

    public void SaveState(SnapshotWriter w)
    {
        if (_timing is not ISnapshotState model)
            throw new SnapshotException($"the timing model '{_timing.Name}' ({_timing.GetType().Name}) cannot be saved in a snapshot");
        w.Section("cpu");
        w.Write(HasEl2);
        w.Write(X); w.Write(Vreg);
        w.Write(SP); w.Write(PC); w.Write(NextPc); w.Write(Nzcv); w.Write(Daif); w.Write(EL); w.Write(SpSel); w.Write(IllegalState);
        w.Write(SpEl); w.Write(ElrEl); w.Write(SpsrEl); w.Write(EsrEl); w.Write(FarEl); w.Write(VbarEl);
        w.Write(Cycles); w.Write(Retired); w.Write(_stepsWithoutRetire); w.Write(IrqLine); w.Write(FiqLine);
        w.WriteCacheKey(TranslationEpoch); w.WriteCacheKey(ContextEpoch); w.Write(ExitCode);
        w.Write(SoftwareStepState); w.Write(DebugArmed); w.Write(WatchpointsArmed);
        // What the timing model reads: the counters, the fetch page's PA and memory type. Not the access log's ring: the
        // model consumes each entry at the instruction that made it, so between instructions it holds nothing pending
        // (and a translated block charges its inline accesses without writing it).
        w.Write(AccessCount); w.Write(ExceptionsTaken); w.Write(ExceptionReturns);
        w.Write(_fetchPaPage); w.Write(_fetchMemAttr);
        // Per-EL accounting (Cpu.ElAccounting.cs).
        w.Write(_elCycles); w.Write(_elRetired); w.Write(_spanCycles0); w.Write(_spanRetired0);
        w.Write(_elSettlePending); w.Write(_elSettleFrom); w.Write(_elSettleRetired);
        Sys.SaveState(w);
        Timer.SaveState(w);
        PerfEvents.SaveState(w);
        Pmu.SaveState(w);
        Exclusive.SaveState(w);
        Mmu.SaveState(w);
        Events.SaveState(w, EventOwners());
        w.Section("timing");
        w.Write(_timing.Name);
        model.SaveState(w);
    }

    public void RestoreState(SnapshotReader r)
    {
        if (_timing is not ISnapshotState model)
            throw new SnapshotException($"the timing model '{_timing.Name}' ({_timing.GetType().Name}) cannot be restored from a snapshot");
        r.Section("cpu");
        if (r.ReadBoolean() != HasEl2) throw new SnapshotException("the snapshot's core and this one differ in EL2");
        r.Read<ulong>(X); r.Read<ulong>(Vreg);
        SP = r.ReadUInt64(); PC = r.ReadUInt64(); NextPc = r.ReadUInt64(); Nzcv = r.ReadUInt32(); Daif = r.ReadUInt32();
        EL = r.ReadInt32(); SelectFastPages(); SpSel = r.ReadBoolean(); IllegalState = r.ReadBoolean();
        r.Read<ulong>(SpEl); r.Read<ulong>(ElrEl); r.Read<ulong>(SpsrEl); r.Read<ulong>(EsrEl); r.Read<ulong>(FarEl); r.Read<ulong>(VbarEl);
        Cycles = r.ReadUInt64(); Retired = r.ReadUInt64(); _stepsWithoutRetire = r.ReadUInt64(); IrqLine = r.ReadBoolean(); FiqLine = r.ReadBoolean();
        TranslationEpoch = r.ReadUInt64(); ContextEpoch = r.ReadUInt64(); ExitCode = r.ReadInt32();
        SoftwareStepState = r.ReadBoolean(); DebugArmed = r.ReadBoolean(); WatchpointsArmed = r.ReadBoolean();
        AccessCount = r.ReadUInt64(); ExceptionsTaken = r.ReadUInt64(); ExceptionReturns = r.ReadUInt64();
        _fetchPaPage = r.ReadUInt64(); _fetchMemAttr = r.ReadByte();
        r.Read<ulong>(_elCycles); r.Read<ulong>(_elRetired); _spanCycles0 = r.ReadUInt64(); _spanRetired0 = r.ReadUInt64();
        _elSettlePending = r.ReadBoolean(); _elSettleFrom = r.ReadInt32(); _elSettleRetired = r.ReadUInt64();
        Sys.RestoreState(r);
        Timer.RestoreState(r);
        PerfEvents.RestoreState(r);
        Pmu.RestoreState(r);
        Exclusive.RestoreState(r);
        Mmu.RestoreState(r);
        Events.RestoreState(r, EventOwners(), EventCallbacks());
        r.Section("timing");
        string name = r.ReadString();
        if (name != _timing.Name) throw new SnapshotException($"the snapshot's timing model is '{name}', this machine's is '{_timing.Name}'");
        model.RestoreState(r);
        DropHostCaches();
    }

    /// <summary>
    /// For snapshots only: after the bus has restored memory (which drops decoded pages and so moves the translation
    /// epoch), puts the restored epoch back and drops the host caches again, so that every cache keyed on the epoch
    /// (the timing model's translation context) sees exactly the saved state.
    /// </summary>
    public void FinishRestore(ulong translationEpoch, ulong contextEpoch)
    {
        TranslationEpoch = translationEpoch;
        ContextEpoch = contextEpoch;
        DropHostCaches();
    }

    /// <summary>Forgets the fetch window and the RAM fast-path pages (they are rebuilt from the restored state), and any stop request.</summary>
    private void DropHostCaches()
    {
        _fetchInsts = [];
        _fetchVaPage = ulong.MaxValue;
        _fetchCodeBase = 0;
        _fetchBlocksBase = -1;
        _coldNext = ulong.MaxValue;
        _fetchEpoch = ulong.MaxValue;
        foreach (var pages in _fastReadAt) Array.Clear(pages);
        foreach (var pages in _fastWriteAt) Array.Clear(pages);
        _fastAsid = Mmu.El10Asid;
        Array.Clear(_recentWindows);
        StopRequest = null;
        _redispatch = false;
    }
}
