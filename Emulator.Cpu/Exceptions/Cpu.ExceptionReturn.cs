using Aegis.Emulator.Cpu.SystemRegisters;

namespace Aegis.Emulator.Cpu;

public sealed partial class Cpu
{
    private const ulong SpsrNzcv = 0xF000_0000, SpsrDaif = 0x3C0, SpsrIl = 1UL << 20, SpsrNRw = 1UL << 4;

    /// <summary>
    /// AArch64.ExceptionReturn (ERET from EL1 or EL2): PSTATE from SPSR_ELx, PC from ELR_ELx, local
    /// exclusive monitor cleared, event register set. An illegal return (Arm ARM D1.11.2 "Illegal return
    /// events"; QEMU helper_exception_return) restores only NZCV and DAIF, sets PSTATE.IL and keeps EL and
    /// SP, so that the next instruction takes the Illegal Execution State exception (EC 0x0E).
    /// </summary>
    public void ExceptionReturn()
    {
        int cur = EL;
        PerfEvents.Add(cur, PmuEvent.EXC_RETURN);
        ulong spsr = SpsrEl[cur];
        ulong elr = ElrEl[cur];
        Exclusive.Clear();
        Sys.EventRegister = true;

        int target = (int)((spsr >> 2) & 3);
        bool illegal =
            (spsr & SpsrNRw) != 0                       // AArch32: not implemented by this core model
            || (spsr & 2) != 0                          // M[1] is reserved
            || (spsr & 0xF) == 1                        // EL0 with SP_ELx (M = 0b0001)
            || target > cur                             // to a higher EL
            || (target == 2 && !HasEl2)                 // to an unimplemented EL
            || (target == 1 && HasEl2 && (MmuRegs.HCR_EL2 & SysRegTraps.HCR_RW) == 0) // EL1 is AArch32 (HCR_EL2.RW = 0)
            || (target == 1 && HasEl2 && (MmuRegs.HCR_EL2 & SysRegTraps.HCR_TGE) != 0); // EL1 while TGE routes to EL2

        // DebugExceptionReturnSS, decided with the debug state of the EL being left.
        SoftwareStepState = DebugExceptionReturnSs(spsr, target);
        Nzcv = (uint)(spsr & SpsrNzcv);
        Daif = (uint)(spsr & SpsrDaif);
        if (illegal)
        {
            IllegalState = true;
            NextPc = elr;
        }
        else
        {
            IllegalState = (spsr & SpsrIl) != 0;
            SetExceptionLevel(target, (spsr & 1) != 0);
            NextPc = BranchAddr(elr);
        }
        RefetchPc();
        ExceptionReturns++;
        if (_returnHooks != null) HookExceptionReturn();
    }

    /// <summary>
    /// AArch64.BranchAddr: removes the top-byte tag from a branch target when TBI applies
    /// (TCR_EL1.TBI0/TBI1 by bit 55 at EL0/EL1, sign-extending; TCR_EL2.TBI at EL2, zero-extending).
    /// </summary>
    public ulong BranchAddr(ulong va)
    {
        if (EL == 2)
            return (MmuRegs.TCR_EL2 & (1UL << 20)) != 0 ? va & 0x00FF_FFFF_FFFF_FFFF : va;
        bool upper = (va & (1UL << 55)) != 0;
        bool tbi = (MmuRegs.TCR_EL1 & (upper ? 1UL << 38 : 1UL << 37)) != 0;
        if (!tbi) return va;
        return upper ? va | 0xFF00_0000_0000_0000 : va & 0x00FF_FFFF_FFFF_FFFF;
    }
}
