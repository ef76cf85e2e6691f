using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Cpu.SystemRegisters;

namespace Aegis.Emulator.Cpu;

public sealed partial class Cpu
{
    /// <summary>
    /// The access rules of one MRS/MSR/SYS: the EL rule (below the entry's EL it is UNDEFINED), then its
    /// configurable traps, then the HCR_EL2 trap bits. Returns false after the exception was taken.
    /// </summary>
    internal bool CheckSystemAccess(SystemRegister r, bool read, uint raw)
    {
        var access = SystemAccess(r, read);
        if (access == SysRegAccess.Ok) return true;
        RaiseSystemAccessException(access, SystemAccessTrapIss(raw));
        return false;
    }

    private SysRegAccess SystemAccess(SystemRegister r, bool read)
    {
        SysRegAccess access = EL < r.MinEl ? SysRegAccess.Undefined
            : r.Check is { } check ? check(this, read) : SysRegAccess.Ok;
        if (access == SysRegAccess.Ok && EL <= 1 && HasEl2 && (MmuRegs.HCR_EL2 & (read ? r.HcrTrapRead : r.HcrTrapWrite)) != 0)
            access = SysRegAccess.TrapToEl2;
        return access;
    }

    /// <summary>Whether a translated block may move the <see cref="SystemRegister.Plain"/> register at
    /// <paramref name="index"/> of the table itself (MRS: <paramref name="read"/>): the access is allowed, and for MSR no
    /// system-register write hook waits to see the write (a plain register is never a maintenance operation, so no other
    /// kind is called: <see cref="HookSystemWrite"/>; an AegisOS board's task accounting hooks exception entries and
    /// returns only). Otherwise the block leaves it to the handler (Translation/Inline/SystemRegisterForms.cs).</summary>
    internal bool PlainMoveAllowed(int index, bool read) =>
        (read || _sysRegHooks is null) && SystemAccess(SystemRegisterTable.All[index], read) == SysRegAccess.Ok;

    /// <summary>MRS of an allowed plain register (<see cref="PlainMoveAllowed"/>).</summary>
    internal ulong ReadPlain(int index) => SystemRegisterTable.All[index].Read!(this);

    /// <summary>MSR of an allowed plain register (<see cref="PlainMoveAllowed"/>).</summary>
    internal void WritePlain(int index, ulong value) => SystemRegisterTable.All[index].Write!(this, value);

    /// <summary>Takes the exception an access check asked for; <paramref name="iss"/> is the EC 0x18 syndrome.</summary>
    internal void RaiseSystemAccessException(SysRegAccess access, uint iss)
    {
        switch (access)
        {
            case SysRegAccess.Undefined: Undefined(); break;
            case SysRegAccess.TrapToEl1: TakeSyncException(ExceptionClass.SystemRegisterTrap, iss, PC); break;
            case SysRegAccess.TrapToEl2: TakeSyncException(ExceptionClass.SystemRegisterTrap, iss, PC, targetEl: 2); break;
            case SysRegAccess.FpTrapToEl1: TakeFpAccessTrap(1); break;
            case SysRegAccess.FpTrapToEl2: TakeFpAccessTrap(2); break;
        }
    }

    /// <summary>
    /// ISS of EC 0x18 (Arm ARM D17.2.37): Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5],
    /// CRm [4:1], Direction [0] (1 = read). The instruction holds the same fields at [20:5] and L at [21].
    /// </summary>
    public static uint SystemAccessTrapIss(uint raw)
    {
        uint op0 = (raw >> 19) & 3, op1 = (raw >> 16) & 7, crn = (raw >> 12) & 15, crm = (raw >> 8) & 15;
        uint op2 = (raw >> 5) & 7, rt = raw & 31, read = (raw >> 21) & 1;
        return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | read;
    }

    /// <summary>
    /// The FP/SIMD access trap (EC 0x07). ISS has CV = 1, COND = 0b1110 as QEMU reports for A64
    /// (syn_fp_access_trap(1, 0xe, ...)). A trap to EL1 from EL0 under HCR_EL2.TGE goes to EL2 as EC 0x00
    /// (Arm ARM D1.10.4; QEMU raise_exception).
    /// </summary>
    public void TakeFpAccessTrap(int targetEl)
    {
        if (targetEl == 1 && EL == 0 && HasEl2 && (MmuRegs.HCR_EL2 & SysRegTraps.HCR_TGE) != 0)
        {
            TakeSyncException(ExceptionClass.Unknown, 0, PC, targetEl: 2);
            return;
        }
        TakeSyncException(ExceptionClass.SimdFpAccess, FpTrapIss, PC, targetEl: targetEl);
    }

    public const uint FpTrapIss = 0x01E0_0000;

    /// <summary>AArch64.CheckFPAdvSIMDEnabled; false after the trap was taken.</summary>
    public bool CheckFpEnabled()
    {
        var access = SysRegTraps.FpAccess(this);
        if (access == SysRegAccess.Ok) return true;
        RaiseSystemAccessException(access, 0);
        return false;
    }
}
