using System.Runtime.CompilerServices;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Cpu;

/// <summary>Why <see cref="Cpu.Run"/> returned.</summary>
public enum StopReason
{
    InstructionLimit,
    CycleLimit,
    /// <summary>The guest powered off or exited (PSCI SYSTEM_OFF, semihosting SYS_EXIT); see <see cref="Cpu.ExitCode"/>.</summary>
    GuestExit,
    /// <summary>WFI with interrupts impossible to arrive: nothing is scheduled on the clock.</summary>
    WaitForever,
    /// <summary>Someone outside the guest (a debugger, a hook) asked the run to stop.</summary>
    Requested,
}

public sealed unsafe partial class Cpu
{
    // Decoded instructions per code-space page (PhysicalBus.FetchOffset), dropped when the page is written: RAM pages,
    // then the ROM arrays' pages, whose table is made on the first fetch from one (most boards never run from flash,
    // and test campaigns create thousands of boards).
    private readonly DecodedInst[]?[] _decodedPages;
    private DecodedInst[]?[]? _decodedRomPages;

    private ref DecodedInst[]? DecodedPage(long page)
    {
        if (page < _decodedPages.Length) return ref _decodedPages[page];
        _decodedRomPages ??= new DecodedInst[]?[((long)Bus.CodeSpaceSize >> PhysicalBus.PageShift) - _decodedPages.Length];
        return ref _decodedRomPages[page - _decodedPages.Length];
    }
    // The fetch window: the VA page currently being executed and its decoded page.
    private DecodedInst[] _fetchInsts = [];
    private ulong _fetchVaPage = ulong.MaxValue;
    private long _fetchCodeBase;
    private ulong _fetchEpoch;
    private ulong _fetchPaPage;
    // Whether a fetch or retire hook covers the fetch window's page: it then runs in the hooked loop (RunHooked).
    private bool _fetchHooked;

    /// <summary>Bumped by anything that may change what a VA fetches: TLB maintenance, translation-register writes, EL changes, code writes.</summary>
    public ulong TranslationEpoch { get; private set; }

    /// <summary>Bumped with <see cref="TranslationEpoch"/> except at an exception entry or return that stays in one
    /// translation regime (EL0 and EL1 share EL1&amp;0's): what is kept per EL against it (the RAM fast path's pages)
    /// or depends only on the regime (the A53 model's translation context and its memos of recent hits) survives a
    /// system call.</summary>
    public ulong ContextEpoch { get; private set; }

    public StopReason? StopRequest { get; private set; }

    public int ExitCode { get; private set; }

    /// <summary>Ends the run after the current instruction (PSCI SYSTEM_OFF, semihosting exit).</summary>
    public void RequestExit(int exitCode)
    {
        ExitCode = exitCode;
        StopRequest = StopReason.GuestExit;
    }

    public void RequestStop()
    {
        _redispatch = false; // a real request: Run returns it
        StopRequest ??= StopReason.Requested;
    }

    // Set with StopRequest = Requested when the run must move from the fast loop to the checked one (a breakpoint,
    // watchpoint or step was configured mid-run): Run goes on in the other loop instead of returning.
    private bool _redispatch;
    private ulong _runSteps;

    /// <summary>Forces the next fetch to translate its PC again, and every translation to be looked up again.</summary>
    public void InvalidateFetch()
    {
        _fastEpoch++;
        TranslationTablesChanged();
    }

    /// <summary><see cref="InvalidateFetch"/> for a TTBR0_EL1 or TTBR1_EL1 write, which changes no TLB entry, only the
    /// tables a miss walks and the ASID a lookup matches: the RAM fast path's pages stay, compared with the new ASID
    /// (Memory/Cpu.Memory.cs).</summary>
    internal void TranslationTablesChanged()
    {
        TranslationEpoch++;
        ContextEpoch++;
        _fastAsid = Mmu.El10Asid;
    }

    // The RAM fast path's epochs and ASID (Memory/Cpu.Memory.cs).
    private ulong _fastEpoch;
    private int _fastAsid;

    /// <summary>Forces the next fetch to translate its PC again, translations unchanged: an exception entry or return
    /// within one translation regime (<see cref="SetExceptionLevel"/> moves <see cref="ContextEpoch"/> when the regime
    /// changes).</summary>
    private void RefetchPc() => TranslationEpoch++;

    private void OnCodePageWritten(ulong page)
    {
        DecodedPage((long)page) = null;
        DropBlocks((long)page);
        InvalidateFetch();
        if (_codeWriteHooks != null) HookCodePageWrite(Bus.CodeSpaceAddress((long)page << PhysicalBus.PageShift));
    }

    /// <summary>
    /// Runs until the guest exits, <paramref name="maxSteps"/> steps have been made, or the clock
    /// reaches <paramref name="maxCycles"/>. A step is one retired instruction or one exception
    /// entered without executing an instruction (a fetch abort, an interrupt), so that a vector
    /// which itself faults cannot hold the run forever.
    /// </summary>
    public StopReason Run(ulong maxSteps = ulong.MaxValue, ulong maxCycles = ulong.MaxValue)
    {
        StopRequest = null;
        _redispatch = false;
        ulong steps = 0;
        while (true)
        {
            var reason = DebugArmed || (_fetchHooked && FetchWindowHolds(PC)) ? RunHooked(steps, maxSteps, maxCycles)
                : _engine == ExecutionEngine.Translator && !TimingObserved ? RunTranslated(steps, maxSteps, maxCycles)
                : RunFast(steps, maxSteps, maxCycles);
            if (reason != StopReason.Requested || !_redispatch) return reason;
            _redispatch = false;
            StopRequest = null;
            steps = _runSteps;
        }
    }

    /// <summary>The loop without hooks or debug checks; <see cref="_runSteps"/> holds its step count when it returns.</summary>
    private StopReason RunFast(ulong steps, ulong maxSteps, ulong maxCycles)
    {
        for (; ; steps++)
        {
            if (StopRequest is { } stop) { _runSteps = steps; return stop; }
            if (steps >= maxSteps) return StopReason.InstructionLimit;
            if (Cycles >= maxCycles) return StopReason.CycleLimit;
            if (Cycles >= Events.NextCycle) Events.RunDue(Cycles);
            if (InterruptPending && TryTakeInterrupt()) { Cycles += _timing.ExceptionBetweenInstructions(this); _stepsWithoutRetire++; continue; }

            ulong pc = PC;
            if (!FetchWindowHolds(pc))
            {
                if (!RefillFetch(pc)) { Cycles += _timing.ExceptionBetweenInstructions(this); _stepsWithoutRetire++; continue; } // an exception was taken instead
                if (_fetchHooked) { _runSteps = steps; _redispatch = true; return StopReason.Requested; } // on to RunHooked
            }
            Execute(pc, ref FetchDecoded((int)((pc >> 2) & 0x3FF)));
        }
    }

    /// <summary>The fetch window's instruction at <paramref name="index"/>, decoded at its first use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref DecodedInst FetchDecoded(int index)
    {
        ref DecodedInst inst = ref _fetchInsts[index];
        if (inst.Execute == null) Decoder.Decode(Bus.FetchWord(_fetchCodeBase + ((long)index << 2)), ref inst);
        return ref inst;
    }

    /// <summary>One decoded instruction at <paramref name="pc"/>, retired and timed: the step of both engines.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Execute(ulong pc, ref DecodedInst inst)
    {
        NextPc = pc + 4;
        inst.Execute(this, ref inst);
        PC = NextPc;
        Retired++;
        Cycles += _timing.Retire(this, ref inst, pc);
    }

    /// <summary>Whether the fetch window (translated page, decoded instructions) is the one for <paramref name="pc"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FetchWindowHolds(ulong pc) => ((pc ^ _fetchVaPage) & ~0xFFCUL) == 0 && _fetchEpoch == TranslationEpoch;

    /// <summary>Translates a new fetch PC; false when an exception was taken instead (PC then points at its vector).</summary>
    private bool RefillFetch(ulong pc)
    {
        if (IllegalState)
        {
            TakeSyncException(ExceptionClass.IllegalExecutionState, 0, pc);
            return false;
        }
        if ((pc & 3) != 0)
        {
            TakeSyncException(ExceptionClass.PcAlignment, 0, pc, far: pc);
            return false;
        }
        ref var recent = ref _recentWindows[(int)(pc >> 12) & 15];
        if (recent.Insts != null && recent.VaPage == (pc & ~0xFFFUL) && recent.El == EL && recent.Epoch == ContextEpoch
            && recent.TlbGeneration == Mmu.Tlb.Generation)
        {
            (_fetchInsts, _fetchCodeBase, _fetchVaPage, _fetchPaPage, _fetchMemAttr, _fetchHooked) =
                (recent.Insts, recent.CodeBase, recent.VaPage, recent.PaPage, recent.MemAttr, recent.Hooked);
            _fetchEpoch = TranslationEpoch;
            return true;
        }
        if (!Mmu.Translate(pc, AccessKind.Fetch, EL, false, out var t, out var fault))
        {
            TakeInstructionAbort(pc, fault);
            return false;
        }
        // RAM, or a ROM device's array in array mode (flash executes in place, as QEMU's romd regions).
        long codeBase = Bus.FetchOffset(t.PhysicalAddress & ~0xFFFUL);
        if (codeBase < 0)
        {
            TakeInstructionAbort(pc, new MmuFault(FaultKind.SynchronousExternal, 0));
            return false;
        }
        long page = codeBase >> PhysicalBus.PageShift;
        ref var slot = ref DecodedPage(page);
        var insts = slot;
        if (insts is null)
        {
            insts = slot = new DecodedInst[1024];
            Bus.MarkCodePage((ulong)page);
        }
        _fetchInsts = insts;
        _fetchCodeBase = codeBase;
        _fetchVaPage = pc & ~0xFFFUL;
        _fetchPaPage = t.PhysicalAddress & ~0xFFFUL;
        _fetchMemAttr = t.MemAttr;
        _fetchEpoch = TranslationEpoch;
        _fetchHooked = HooksBuilt && (_fetchHooks != null || _retireHooks != null) && CodeHooksCover(_fetchVaPage);
        recent = new FetchWindow(_fetchVaPage, EL, ContextEpoch, Mmu.Tlb.Generation, insts, codeBase, _fetchPaPage, _fetchMemAttr, _fetchHooked);
        return true;
    }

    /// <summary>
    /// The fetch windows of recent code pages, by VA page modulo 16. The fetch changes page at block ends (a kernel's code
    /// spans several) and at every exception entry and return, which move <see cref="TranslationEpoch"/> only. A window
    /// is what <see cref="RefillFetch"/> would find again while its EL (the permissions), <see cref="ContextEpoch"/>
    /// (translation registers, TLB maintenance, code writes, ROM modes, hooks) and the TLB's generation (its entry is still
    /// there: the lookup hits it, with no walk) are unchanged.
    /// </summary>
    private readonly FetchWindow[] _recentWindows = new FetchWindow[16];

    private readonly record struct FetchWindow(ulong VaPage, int El, ulong Epoch, ulong TlbGeneration, DecodedInst[]? Insts,
        long CodeBase, ulong PaPage, byte MemAttr, bool Hooked);
}
