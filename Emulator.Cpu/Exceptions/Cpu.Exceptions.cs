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
        ExceptionsTaken++;
        if (_entryHooks != null) HookExceptionEntry(targetEl, vector, esr ?? 0, preferredReturn);
        PerfEvents.Add(EL, PmuEvent.EXC_TAKEN);
        ulong groupOffset = targetEl > EL ? 0x400UL : SpSel ? 0x200UL : 0x000UL;
        // An SVC, HVC or SMC completes the instruction being stepped (SSAdvance before the exception): its return
        // then finds the step pending. Other synchronous exceptions and interrupts leave it to be stepped again.
        if (SoftwareStepState && (esr ?? 0) >> 26 is (uint)ExceptionClass.Svc64 or (uint)ExceptionClass.Hvc64 or (uint)ExceptionClass.Smc64
            && vector == ExceptionVector.Synchronous)
            SoftwareStepAdvance();
        SpsrEl[targetEl] = PstateToSpsr();
        SoftwareStepState = false;
        ElrEl[targetEl] = preferredReturn;
        if (esr is { } e) EsrEl[targetEl] = e;
        if (far is { } f) FarEl[targetEl] = f;
        IllegalState = false;
        Daif = 0xFu << 6;
        SetExceptionLevel(targetEl, spSel: true);
        NextPc = PC = VbarEl[targetEl] + groupOffset + (ulong)vector;
        RefetchPc();
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
        // S1PTW (bit 7) reports stage-2 faults on a stage-1 walk; with no stage 2 it is always 0.
        uint iss = fault.StatusCode;
        TakeSyncException(ec, iss, PC, far: va, targetEl: target);
    }

    /// <summary>
    /// A data abort for the current instruction. As QEMU does for aborts taken to EL1, ISV = 0:
    /// the ISS carries only CM, WnR and the DFSC (S1PTW is a stage-2 matter).
    /// </summary>
    public void TakeDataAbort(ulong va, MmuFault fault, bool write, bool cacheMaintenance = false)
    {
        int target = SyncTargetEl;
        var ec = target > EL ? ExceptionClass.DataAbortLowerEl : ExceptionClass.DataAbortSameEl;
        uint iss = fault.StatusCode
            | (write || cacheMaintenance ? 1u << 6 : 0)
            | (cacheMaintenance ? 1u << 8 : 0);
        TakeSyncException(ec, iss, PC, far: va, targetEl: target);
    }

    private const ulong HcrFmo = 1UL << 3, HcrImo = 1UL << 4, HcrVf = 1UL << 6, HcrVi = 1UL << 7;

    /// <summary>A virtual IRQ asserted by EL2 (HCR_EL2.VI), effective only with IMO set and TGE clear.</summary>
    public bool VirtualIrq => HasEl2 && (MmuRegs.HCR_EL2 & (HcrVi | HcrImo | HcrTge)) == (HcrVi | HcrImo);

    /// <summary>A virtual FIQ asserted by EL2 (HCR_EL2.VF), effective only with FMO set and TGE clear.</summary>
    public bool VirtualFiq => HasEl2 && (MmuRegs.HCR_EL2 & (HcrVf | HcrFmo | HcrTge)) == (HcrVf | HcrFmo);

    /// <summary>Any interrupt pending, masked or not: what wakes WFI.</summary>
    public bool InterruptPending => IrqLine | FiqLine || VirtualIrq || VirtualFiq;

    /// <summary>Whether some pending interrupt, physical or virtual, would be taken now: a WFE wake-up event.</summary>
    public bool InterruptDeliverableNow => NextDeliverableInterrupt(out _, out _);

    /// <summary>Takes the interrupt <see cref="NextDeliverableInterrupt"/> selects, if any.</summary>
    private bool TryTakeInterrupt()
    {
        if (!NextDeliverableInterrupt(out int target, out var vector)) return false;
        TakeException(target, vector, PC);
        return true;
    }

    /// <summary>
    /// The interrupt that would be taken now, in priority order (Arm ARM D1.13.4, no EL3): physical FIQ,
    /// physical IRQ, then virtual FIQ and IRQ (taken to EL1 from EL0/EL1 only, masked by PSTATE.F/I).
    /// </summary>
    private bool NextDeliverableInterrupt(out int target, out ExceptionVector vector)
    {
        vector = ExceptionVector.Fiq;
        if (FiqLine && InterruptDeliverable(fiq: true, out target)) return true;
        vector = ExceptionVector.Irq;
        if (IrqLine && InterruptDeliverable(fiq: false, out target)) return true;
        target = 1;
        vector = ExceptionVector.Fiq;
        if (EL <= 1 && VirtualFiq && (Daif & (1u << 6)) == 0) return true;
        vector = ExceptionVector.Irq;
        return EL <= 1 && VirtualIrq && (Daif & (1u << 7)) == 0;
    }

    /// <summary>
    /// Whether a pending physical IRQ/FIQ would be taken now, and where. PSTATE.I/F masks an interrupt
    /// taken to EL1 (from EL0 too) or to the current EL; one routed to EL2 from below cannot be masked
    /// (as QEMU's arm_excp_unmasked). An interrupt for a lower EL than the current one waits.
    /// </summary>
    public bool InterruptDeliverable(bool fiq, out int target)
    {
        ulong hcr = MmuRegs.HCR_EL2;
        bool toEl2 = HasEl2 && ((hcr & HcrTge) != 0 || (hcr & (fiq ? HcrFmo : HcrImo)) != 0);
        target = toEl2 ? 2 : 1;
        bool masked = (Daif & (fiq ? 1u << 6 : 1u << 7)) != 0;
        if (EL > target) return false;
        return (EL < target && target == 2) || !masked;
    }
}
