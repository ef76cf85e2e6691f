using System.Runtime.CompilerServices;
using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.SystemRegisters;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// Self-hosted debug (Arm ARM D2): hardware breakpoints (DBGBCR/DBGBVR, 6), watchpoints (DBGWCR/DBGWVR, 4) and
/// software step (MDSCR_EL1.SS with PSTATE.SS), gated by the OS lock, the OS double lock, MDSCR_EL1.MDE/KDE and
/// PSTATE.D, routed to EL1 or (MDCR_EL2.TDE, HCR_EL2.TGE) EL2. No EL3 and no Secure state: the board's CPU is
/// Non-secure. While nothing is configured (<see cref="DebugArmed"/> false) the fast run loop and the RAM fast path
/// pay nothing; once a breakpoint, watchpoint or step is configured the run takes the checked loop.
/// </summary>
public sealed partial class Cpu
{
    private const ulong MdscrSs = 1, MdscrKde = 1UL << 13, MdscrMde = 1UL << 15;
    private const ulong SpsrSs = 1UL << 21;
    /// <summary>FSC of a debug exception (ISS bits 5:0): 0b100010.</summary>
    private const uint DebugFsc = 0x22;

    /// <summary>PSTATE.SS (software step, Arm ARM D2.12).</summary>
    public bool SoftwareStepState { get; internal set; }

    /// <summary>A breakpoint, watchpoint or software step is configured: the run takes the checked loop.</summary>
    public bool DebugArmed { get; private set; }
    /// <summary>A watchpoint is configured: data accesses skip the RAM fast path so that each is checked.</summary>
    public bool WatchpointsArmed { get; private set; }

    /// <summary>Recomputes <see cref="DebugArmed"/> after a write to MDSCR_EL1 or a DBGBCR/DBGWCR; a run in the fast
    /// loop is sent to the checked one.</summary>
    internal void DebugConfigurationChanged()
    {
        bool mde = (Sys.MDSCR_EL1 & MdscrMde) != 0;
        bool bp = false, wp = false;
        foreach (var c in Sys.DBGBCR) bp |= (c & 1) != 0;
        foreach (var c in Sys.DBGWCR) wp |= (c & 1) != 0;
        bool armed = mde && (bp || wp) || (Sys.MDSCR_EL1 & MdscrSs) != 0;
        WatchpointsArmed = mde && wp;
        InvalidateFetch(); // drops the RAM fast-path pages too (their epoch)
        if (armed && !DebugArmed && StopRequest is null)
        {
            _redispatch = true;
            StopRequest = StopReason.Requested;
        }
        DebugArmed = armed;
    }

    /// <summary>The EL debug exceptions are taken to (AArch64.DebugTarget, Non-secure).</summary>
    public int DebugTargetEl =>
        HasEl2 && ((Sys.MDCR_EL2 & SysRegTraps.MDCR_TDE) != 0 || (MmuRegs.HCR_EL2 & SysRegTraps.HCR_TGE) != 0) ? 2 : 1;

    /// <summary>AArch64.GenerateDebugExceptionsFrom(from, Non-secure, mask).</summary>
    private bool GenerateDebugExceptionsFrom(int fromEl, bool mask)
    {
        if (Sys.OsLock || DoubleLocked) return false;
        int target = DebugTargetEl;
        if (fromEl == target) return (Sys.MDSCR_EL1 & MdscrKde) != 0 && !mask;
        return target > fromEl;
    }

    /// <summary>AArch64.GenerateDebugExceptions: from the current EL with PSTATE.D.</summary>
    private bool GenerateDebugExceptions => GenerateDebugExceptionsFrom(EL, (Daif & (1u << 9)) != 0);

    /// <summary>DoubleLockStatus: OSDLR_EL1.DLK with DBGPRCR_EL1.CORENPDRQ clear.</summary>
    private bool DoubleLocked => (Sys.OSDLR_EL1 & 1) != 0 && (Sys.DBGPRCR_EL1 & 1) == 0;

    /// <summary>
    /// AArch64.StateMatch for Non-secure state without EL3: SSC = 0b10 (Secure only) never matches; EL2 matches with
    /// HMC = 1 (except SSC:PxC = 1000) or SSC = 11; EL1 with PxC bit 0; EL0 with PxC bit 1.
    /// </summary>
    private bool StateMatch(uint ssc, bool hmc, uint pxc, int el)
    {
        if (ssc == 0b10) return false;
        return el switch
        {
            2 => HasEl2 && (hmc && ((ssc << 2) | pxc) != 0b1000 || ssc == 0b11),
            1 => (pxc & 1) != 0,
            _ => (pxc & 2) != 0,
        };
    }

    /// <summary>
    /// AArch64.CheckBreakpoint for the instruction at <paramref name="pc"/> (unlinked address match, BT = 0000, and
    /// unlinked CONTEXTIDR_EL1 match, BT = 0010, on the context-aware breakpoints 4 and 5). True when the
    /// Breakpoint exception was taken.
    /// </summary>
    private bool CheckBreakpoint(ulong pc)
    {
        if ((Sys.MDSCR_EL1 & MdscrMde) == 0 || !GenerateDebugExceptions) return false;
        for (int n = 0; n < Sys.DBGBCR.Length; n++)
        {
            ulong c = Sys.DBGBCR[n];
            if ((c & 1) == 0 || !StateMatch((uint)(c >> 14) & 3, (c & (1 << 13)) != 0, (uint)(c >> 1) & 3, EL)) continue;
            uint bt = (uint)(c >> 20) & 0xF;
            bool match = bt switch
            {
                0b0000 => ((pc ^ Sys.DBGBVR[n]) & 0x0001_FFFF_FFFF_FFFCUL) == 0, // VA[48:2]
                0b0010 => n >= 4 && (uint)Sys.CONTEXTIDR_EL1 == (uint)Sys.DBGBVR[n],
                _ => false, // linked and mismatch types: need a linked context, not modelled
            };
            if (!match) continue;
            TakeDebugException(EL < DebugTargetEl ? ExceptionClass.BreakpointLowerEl : ExceptionClass.BreakpointSameEl, DebugFsc, pc, null);
            return true;
        }
        return false;
    }

    /// <summary>
    /// AArch64.CheckWatchpoint for a data access of <paramref name="size"/> bytes at <paramref name="va"/>; true when
    /// the Watchpoint exception was taken (the access is not made). <paramref name="el"/> is the EL the access is
    /// checked for (EL0 for LDTR/STTR at EL1).
    /// </summary>
    internal bool CheckWatchpoint(ulong va, int size, bool write, int el)
    {
        if ((Sys.MDSCR_EL1 & MdscrMde) == 0 || !GenerateDebugExceptions) return false;
        for (int n = 0; n < Sys.DBGWCR.Length; n++)
        {
            ulong c = Sys.DBGWCR[n];
            if ((c & 1) == 0 || (c & (1 << 20)) != 0) continue; // disabled, or linked (WT = 1): no linked context modelled
            if ((c & (write ? 0x10UL : 0x08UL)) == 0) continue; // LSC
            if (!StateMatch((uint)(c >> 14) & 3, (c & (1 << 13)) != 0, (uint)(c >> 1) & 3, el)) continue;
            for (int k = 0; k < size; k++)
            {
                if (!WatchpointByteMatch(n, va + (ulong)k)) continue;
                uint iss = (write ? 1u << 6 : 0) | DebugFsc;
                TakeDebugException(EL < DebugTargetEl ? ExceptionClass.WatchpointLowerEl : ExceptionClass.WatchpointSameEl, iss, PC, va);
                return true;
            }
        }
        return false;
    }

    /// <summary>AArch64.WatchpointByteMatch: an address range of 2^MASK bytes, or the BAS bytes of the word or
    /// doubleword at DBGWVR (MASK values 1 and 2 are reserved: no match).</summary>
    private bool WatchpointByteMatch(int n, ulong va)
    {
        ulong c = Sys.DBGWCR[n], wvr = Sys.DBGWVR[n];
        int mask = (int)(c >> 24) & 0x1F;
        const ulong Va48 = 0x0001_FFFF_FFFF_FFFFUL;
        if (mask is 1 or 2) return false;
        if (mask > 0) return ((va ^ wvr) & Va48 & ~((1UL << mask) - 1)) == 0;
        int bottom = (wvr & 4) != 0 ? 2 : 3;
        if (((va ^ wvr) & Va48 & ~((1UL << bottom) - 1)) != 0) return false;
        uint bas = (uint)(c >> 5) & 0xFF;
        return (bas >> (int)(va & ((1UL << bottom) - 1)) & 1) != 0;
    }

    /// <summary>
    /// AArch64.CheckSoftwareStep, before each instruction: in the active-pending state (MDSCR_EL1.SS = 1, PSTATE.SS = 0,
    /// debug exceptions enabled here) the Software Step exception is taken. True when it was.
    /// </summary>
    private bool CheckSoftwareStep(ulong pc)
    {
        if ((Sys.MDSCR_EL1 & MdscrSs) == 0 || SoftwareStepState || !GenerateDebugExceptions) return false;
        // ISV = 1; EX = 0 (the stepped instruction was not a load-exclusive: not tracked).
        TakeDebugException(EL < DebugTargetEl ? ExceptionClass.SoftwareStepLowerEl : ExceptionClass.SoftwareStepSameEl,
            (1u << 24) | DebugFsc, pc, null);
        return true;
    }

    /// <summary>SSAdvance: the instruction being stepped has completed (or is an SVC, HVC or SMC being taken).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SoftwareStepAdvance()
    {
        if (SoftwareStepState && (Sys.MDSCR_EL1 & MdscrSs) != 0) SoftwareStepState = false;
    }

    /// <summary>DebugExceptionReturnSS: PSTATE.SS after an ERET to <paramref name="targetEl"/> with <paramref name="spsr"/>.</summary>
    private bool DebugExceptionReturnSs(ulong spsr, int targetEl)
    {
        if ((Sys.MDSCR_EL1 & MdscrSs) == 0 || GenerateDebugExceptions) return false;
        return GenerateDebugExceptionsFrom(targetEl, (spsr & (1UL << 9)) != 0) && (spsr & SpsrSs) != 0;
    }

    private void TakeDebugException(ExceptionClass ec, uint iss, ulong preferredReturn, ulong? far) =>
        TakeException(DebugTargetEl, ExceptionVector.Synchronous, preferredReturn, ((uint)ec << 26) | (1u << 25) | iss, far);
}
