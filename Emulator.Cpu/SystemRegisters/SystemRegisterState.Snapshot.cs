using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Cpu.SystemRegisters;

public sealed partial class SystemRegisterState : ISnapshotState
{
    public void SaveState(SnapshotWriter w)
    {
        w.Section("sysregs");
        var scalars = Scalars();
        if (scalars.Length != ScalarCount) throw new InvalidOperationException("SystemRegisterState.Snapshot: Scalars() and RestoreState disagree");
        foreach (ulong v in scalars) w.Write(v);
        w.Write(Spsr32);
        w.Write(OsLock);
        w.Write(DBGBVR); w.Write(DBGBCR); w.Write(DBGWVR); w.Write(DBGWCR);
        w.Write(EventRegister);
    }

    public void RestoreState(SnapshotReader r)
    {
        r.Section("sysregs");
        Span<ulong> v = stackalloc ulong[ScalarCount];
        for (int i = 0; i < v.Length; i++) v[i] = r.ReadUInt64();
        int n = 0;
        CPACR_EL1 = v[n++]; ACTLR_EL1 = v[n++]; AFSR0_EL1 = v[n++]; AFSR1_EL1 = v[n++]; AMAIR_EL1 = v[n++]; PAR_EL1 = v[n++];
        CONTEXTIDR_EL1 = v[n++]; CSSELR_EL1 = v[n++]; TPIDR_EL0 = v[n++]; TPIDRRO_EL0 = v[n++]; TPIDR_EL1 = v[n++]; TPIDR_EL2 = v[n++];
        CPTR_EL2 = v[n++]; HSTR_EL2 = v[n++]; HACR_EL2 = v[n++]; ACTLR_EL2 = v[n++]; AFSR0_EL2 = v[n++]; AFSR1_EL2 = v[n++];
        AMAIR_EL2 = v[n++]; VPIDR_EL2 = v[n++]; VMPIDR_EL2 = v[n++]; VTCR_EL2 = v[n++]; VTTBR_EL2 = v[n++]; HPFAR_EL2 = v[n++];
        MDCR_EL2 = v[n++]; DACR32_EL2 = v[n++]; IFSR32_EL2 = v[n++]; FPEXC32_EL2 = v[n++]; DBGVCR32_EL2 = v[n++];
        MDSCR_EL1 = v[n++]; OSDLR_EL1 = v[n++]; MDCCINT_EL1 = v[n++]; OSECCR_EL1 = v[n++]; OSDTRRX_EL1 = v[n++]; OSDTRTX_EL1 = v[n++];
        DBGPRCR_EL1 = v[n++]; DBGCLAIM = v[n++]; CPUACTLR_EL1 = v[n++]; CPUECTLR_EL1 = v[n++]; L2ECTLR_EL1 = v[n++]; L2ACTLR_EL1 = v[n++];
        FPCR = v[n++]; FPSR = v[n++];
        r.Read<ulong>(Spsr32);
        OsLock = r.ReadBoolean();
        r.Read<ulong>(DBGBVR); r.Read<ulong>(DBGBCR); r.Read<ulong>(DBGWVR); r.Read<ulong>(DBGWCR);
        EventRegister = r.ReadBoolean();
    }

    private const int ScalarCount = 43;

    private ulong[] Scalars() =>
    [
        CPACR_EL1, ACTLR_EL1, AFSR0_EL1, AFSR1_EL1, AMAIR_EL1, PAR_EL1, CONTEXTIDR_EL1, CSSELR_EL1, TPIDR_EL0, TPIDRRO_EL0, TPIDR_EL1, TPIDR_EL2,
        CPTR_EL2, HSTR_EL2, HACR_EL2, ACTLR_EL2, AFSR0_EL2, AFSR1_EL2, AMAIR_EL2, VPIDR_EL2, VMPIDR_EL2, VTCR_EL2, VTTBR_EL2, HPFAR_EL2,
        MDCR_EL2, DACR32_EL2, IFSR32_EL2, FPEXC32_EL2, DBGVCR32_EL2,
        MDSCR_EL1, OSDLR_EL1, MDCCINT_EL1, OSECCR_EL1, OSDTRRX_EL1, OSDTRTX_EL1, DBGPRCR_EL1, DBGCLAIM,
        CPUACTLR_EL1, CPUECTLR_EL1, L2ECTLR_EL1, L2ACTLR_EL1, FPCR, FPSR,
    ];
}
