using static Aegis.Emulator.Cpu.SystemRegisters.SysRegTraps;

namespace Aegis.Emulator.Cpu.SystemRegisters;

public static partial class SystemRegisterTable
{
    /// <summary>
    /// Cortex-A53 IMPLEMENTATION DEFINED registers (TRM 4.2): QEMU gives them constant values, so do we.
    /// HCR_EL2.TIDCP traps EL1 accesses to them (Arm ARM; QEMU 7.2 does not implement TIDCP).
    /// </summary>
    private static void AddImplementationDefined(List<SystemRegister> t)
    {
        // L2CTLR_EL1.NumCores [25:24] = cores - 1 = 0; writes ignored (QEMU a57_a53_l2ctlr_read / arm_cp_write_ignore).
        t.Add(RazWi("L2CTLR_EL1", 3, 1, 11, 0, 2, 1, HCR_TIDCP));
        t.Add(RazWi("L2ECTLR_EL1", 3, 1, 11, 0, 3, 1, HCR_TIDCP));
        t.Add(RazWi("L2ACTLR_EL1", 3, 1, 15, 0, 0, 1, HCR_TIDCP));
        t.Add(RazWi("CPUACTLR_EL1", 3, 1, 15, 2, 0, 1, HCR_TIDCP));
        t.Add(RazWi("CPUECTLR_EL1", 3, 1, 15, 2, 1, 1, HCR_TIDCP));
        t.Add(RazWi("CPUMERRSR_EL1", 3, 1, 15, 2, 2, 1, HCR_TIDCP));
        t.Add(RazWi("L2MERRSR_EL1", 3, 1, 15, 2, 3, 1, HCR_TIDCP));
        t.Add(Ro("CBAR_EL1", 3, 1, 15, 3, 0, 1, static _ => IdRegisters.CBAR_EL1, hcrRead: HCR_TIDCP));
    }
}
