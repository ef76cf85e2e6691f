using Aegis.Emulator.Cpu.Exceptions;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Cpu;

public sealed partial class Cpu
{
    private const ulong HcrTge = 1UL << 27;

    /// <summary>The EL a synchronous exception from the current EL is taken to (no EL3; HCR_EL2.TGE routes EL0 to EL2).</summary>
    public int SyncTargetEl => EL != 0 ? EL : (HasEl2 && (MmuRegs.HCR_EL2 & HcrTge) != 0 ? 2 : 1);

    /// <summary>
    /// AArch64.TakeException: saves PSTATE and the return address to SPSR/ELR of <paramref name="targetEl"/>,
    /// masks DAIF, selects SP_ELx and jumps to VBAR_ELx + the group offset + <paramref name="vector"/>.
    /// </summary>
    public void TakeException(int targetEl, ExceptionVector vector, ulong preferredReturn, uint? esr = null, ulong? far = null)
    {
        ulong groupOffset = targetEl > EL ? 0x400UL : SpSel ? 0x200UL : 0x000UL;
        SpsrEl[targetEl] = PstateToSpsr();
        ElrEl[targetEl] = preferredReturn;
        if (esr is { } e) EsrEl[targetEl] = e;
        if (far is { } f) FarEl[targetEl] = f;
        IllegalState = false;
        Daif = 0xFu << 6;
        SetExceptionLevel(targetEl, spSel: true);
        NextPc = PC = VbarEl[targetEl] + groupOffset + (ulong)vector;
        InvalidateFetch();
    }

    /// <summary>A synchronous exception to the default target EL; IL = 1 (every A64 instruction is 32 bits).</summary>
    public void TakeSyncException(ExceptionClass ec, uint iss, ulong preferredReturn, ulong? far = null, int? targetEl = null)
    {
        int target = targetEl ?? SyncTargetEl;
        TakeException(target, ExceptionVector.Synchronous, preferredReturn, ((uint)ec << 26) | (1u << 25) | (iss & 0x1FF_FFFF), far);
    }

    /// <summary>The current instruction is UNDEFINED: EC 0x00, return address = the instruction.</summary>
    public void Undefined() => TakeSyncException(ExceptionClass.Unknown, 0, PC);

    public void TakeInstructionAbort(ulong va, MmuFault fault)
    {
        int target = SyncTargetEl;
        var ec = target > EL ? ExceptionClass.InstructionAbortLowerEl : ExceptionClass.InstructionAbortSameEl;
        uint iss = fault.StatusCode | (fault.OnTableWalk ? 1u << 7 : 0);
        TakeSyncException(ec, iss, PC, far: va, targetEl: target);
    }

    /// <summary>
    /// A data abort for the current instruction. As QEMU does for aborts taken to EL1, ISV = 0:
    /// the ISS carries only EA, CM, S1PTW, WnR and the DFSC.
    /// </summary>
    public void TakeDataAbort(ulong va, MmuFault fault, bool write, bool cacheMaintenance = false)
    {
        int target = SyncTargetEl;
        var ec = target > EL ? ExceptionClass.DataAbortLowerEl : ExceptionClass.DataAbortSameEl;
        uint iss = fault.StatusCode
            | (write || cacheMaintenance ? 1u << 6 : 0)
            | (fault.OnTableWalk ? 1u << 7 : 0)
            | (cacheMaintenance ? 1u << 8 : 0);
        TakeSyncException(ec, iss, PC, far: va, targetEl: target);
    }

    /// <summary>
    /// Takes a pending physical IRQ or FIQ if PSTATE and the routing allow it (Arm ARM D1.13.4, no EL3).
    /// With EL2 and HCR_EL2.IMO/FMO (or TGE) set the interrupt goes to EL2 and cannot be masked below EL2.
    /// </summary>
    private bool TryTakeInterrupt()
    {
        if (FiqLine && TryRouteInterrupt(fiq: true)) return true;
        return IrqLine && TryRouteInterrupt(fiq: false);
    }

    private bool TryRouteInterrupt(bool fiq)
    {
        if (!InterruptDeliverable(fiq, out int target)) return false;
        TakeException(target, fiq ? ExceptionVector.Fiq : ExceptionVector.Irq, PC);
        return true;
    }

    /// <summary>Whether a pending physical IRQ/FIQ would be taken now (not masked for its target EL), and where.</summary>
    public bool InterruptDeliverable(bool fiq, out int target)
    {
        ulong hcr = MmuRegs.HCR_EL2;
        bool toEl2 = HasEl2 && ((hcr & HcrTge) != 0 || (hcr & (fiq ? 1UL << 3 : 1UL << 4)) != 0);
        target = toEl2 ? 2 : 1;
        bool masked = (Daif & (fiq ? 1u << 6 : 1u << 7)) != 0;
        return EL < target || (EL == target && !masked);
    }
}
