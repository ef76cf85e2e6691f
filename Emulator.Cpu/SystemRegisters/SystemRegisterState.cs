namespace Aegis.Emulator.Cpu.SystemRegisters;

/// <summary>
/// Storage of the system registers that are not kept elsewhere (PSTATE and the banked exception
/// registers live on <see cref="Cpu"/>, translation controls in <see cref="Mmu.MmuRegisters"/>, the
/// timer's in <see cref="Timer.GenericTimer"/>). Reset values are QEMU 7.2's cortex-a53 after -kernel.
/// </summary>
public sealed partial class SystemRegisterState
{
    // ---- EL1 controls ----
    public ulong CPACR_EL1;
    public ulong ACTLR_EL1;
    public ulong AFSR0_EL1, AFSR1_EL1, AMAIR_EL1;
    public ulong PAR_EL1;
    public ulong CONTEXTIDR_EL1;
    public ulong CSSELR_EL1;
    public ulong TPIDR_EL0, TPIDRRO_EL0, TPIDR_EL1, TPIDR_EL2;

    // ---- EL2 controls ----
    public ulong CPTR_EL2;
    public ulong HSTR_EL2;
    public ulong HACR_EL2;
    public ulong ACTLR_EL2;
    public ulong AFSR0_EL2, AFSR1_EL2, AMAIR_EL2;
    public ulong VPIDR_EL2, VMPIDR_EL2;
    public ulong VTCR_EL2, VTTBR_EL2, HPFAR_EL2;
    public ulong MDCR_EL2;
    /// <summary>AArch32 EL1 state that an EL2 hypervisor saves and restores (stored only; AArch32 is not executed).</summary>
    public ulong DACR32_EL2, IFSR32_EL2, FPEXC32_EL2, DBGVCR32_EL2;
    public readonly ulong[] Spsr32 = new ulong[4]; // SPSR_irq, SPSR_abt, SPSR_und, SPSR_fiq

    // ---- debug (accepted and stored; no debug events are generated yet) ----
    public ulong MDSCR_EL1;
    public bool OsLock;
    public ulong OSDLR_EL1, MDCCINT_EL1, OSECCR_EL1, OSDTRRX_EL1, OSDTRTX_EL1, DBGPRCR_EL1, DBGCLAIM;
    public readonly ulong[] DBGBVR = new ulong[6], DBGBCR = new ulong[6];
    public readonly ulong[] DBGWVR = new ulong[4], DBGWCR = new ulong[4];

    // ---- implementation defined (Cortex-A53 TRM) ----
    public ulong CPUACTLR_EL1, CPUECTLR_EL1, L2ECTLR_EL1, L2ACTLR_EL1;

    // ---- FP (stored here until FP execution exists) ----
    public ulong FPCR, FPSR;

    /// <summary>WFE's event register (Arm ARM D1.16.1): set by SEV/SEVL and exception return, cleared by WFE.</summary>
    public bool EventRegister;

    public void Reset()
    {
        CPACR_EL1 = ACTLR_EL1 = AFSR0_EL1 = AFSR1_EL1 = AMAIR_EL1 = PAR_EL1 = CONTEXTIDR_EL1 = CSSELR_EL1 = 0;
        TPIDR_EL0 = TPIDRRO_EL0 = TPIDR_EL1 = TPIDR_EL2 = 0;
        CPTR_EL2 = HSTR_EL2 = HACR_EL2 = ACTLR_EL2 = AFSR0_EL2 = AFSR1_EL2 = AMAIR_EL2 = 0;
        VPIDR_EL2 = IdRegisters.MIDR_EL1;
        VMPIDR_EL2 = IdRegisters.MPIDR_EL1;
        VTCR_EL2 = VTTBR_EL2 = HPFAR_EL2 = 0;
        MDCR_EL2 = Pmu.EventCounters; // HPMN = PMCR_EL0.N (QEMU 7.2 reads 0x6)
        DACR32_EL2 = IFSR32_EL2 = DBGVCR32_EL2 = FPEXC32_EL2 = 0; // QEMU 7.2 reads 0 for all at EL2 entry
        Array.Clear(Spsr32);
        MDSCR_EL1 = 0;
        OsLock = true; // OSLSR_EL1 reads 0xA after reset on QEMU 7.2 (OSLK = 1)
        OSDLR_EL1 = MDCCINT_EL1 = OSECCR_EL1 = OSDTRRX_EL1 = OSDTRTX_EL1 = DBGPRCR_EL1 = DBGCLAIM = 0;
        Array.Clear(DBGBVR); Array.Clear(DBGBCR); Array.Clear(DBGWVR); Array.Clear(DBGWCR);
        CPUACTLR_EL1 = CPUECTLR_EL1 = L2ECTLR_EL1 = L2ACTLR_EL1 = 0;
        FPCR = FPSR = 0;
        EventRegister = false;
    }
}
