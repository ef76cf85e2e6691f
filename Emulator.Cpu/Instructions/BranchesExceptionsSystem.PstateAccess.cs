using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.SystemRegisters;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// MSR (immediate) to PSTATE fields (Arm ARM C6.2.184). Armv8.0 has SPSel, DAIFSet and DAIFClr; the
/// other fields (PAN, UAO, SSBS, DIT...) belong to later versions and are UNDEFINED (no row).
/// </summary>
internal static unsafe partial class BranchesExceptionsSystem
{
    internal static void MsrImmSpSel(Cpu cpu, ref DecodedInst i)
    {
        if (cpu.EL == 0) { cpu.Undefined(); return; }
        cpu.SetExceptionLevel(cpu.EL, ((i.Raw >> 8) & 1) != 0);
    }

    internal static void MsrImmDaifSet(Cpu cpu, ref DecodedInst i)
    {
        if (!DaifImmediateAllowed(cpu, i.Raw)) return;
        cpu.Daif |= ((i.Raw >> 8) & 0xF) << 6;
    }

    internal static void MsrImmDaifClr(Cpu cpu, ref DecodedInst i)
    {
        if (!DaifImmediateAllowed(cpu, i.Raw)) return;
        cpu.Daif &= ~(((i.Raw >> 8) & 0xF) << 6);
    }

    /// <summary>
    /// At EL0 DAIF writes need SCTLR_EL1.UMA, else EC 0x18 with Op0 = 0, CRn = 4, Rt = 31, Direction = 0 and
    /// Op1/Op2/CRm of the instruction (Arm ARM; QEMU 7.2's daif_check swaps Op1 and Op2 in this ISS).
    /// </summary>
    private static bool DaifImmediateAllowed(Cpu cpu, uint raw)
    {
        if (cpu.EL != 0 || (cpu.MmuRegs.SCTLR_EL1 & SysRegTraps.SCTLR_UMA) != 0) return true;
        cpu.RaiseSystemAccessException(SysRegAccess.TrapToEl1, Cpu.SystemAccessTrapIss(raw));
        return false;
    }
}
