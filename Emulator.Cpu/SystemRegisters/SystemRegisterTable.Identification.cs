using static Aegis.Emulator.Cpu.SystemRegisters.SysRegTraps;

namespace Aegis.Emulator.Cpu.SystemRegisters;

public static partial class SystemRegisterTable
{
    /// <summary>ID registers (Arm ARM D13.2): values in <see cref="IdRegisters"/>.</summary>
    private static void AddIdentification(List<SystemRegister> t)
    {
        // MIDR/MPIDR read at EL1 return VPIDR_EL2/VMPIDR_EL2 when EL2 exists (Arm ARM; QEMU midr_read/mpidr_read).
        t.Add(Ro("MIDR_EL1", 3, 0, 0, 0, 0, 1, static c => c.EL == 1 && c.HasEl2 ? c.Sys.VPIDR_EL2 : IdRegisters.MIDR_EL1));
        t.Add(Ro("MPIDR_EL1", 3, 0, 0, 0, 5, 1, static c => c.EL == 1 && c.HasEl2 ? c.Sys.VMPIDR_EL2 : IdRegisters.MPIDR_EL1));
        t.Add(Ro("REVIDR_EL1", 3, 0, 0, 0, 6, 1, static _ => IdRegisters.REVIDR_EL1, hcrRead: HCR_TID1));

        var group3 = new (string Name, int CRm, int Op2, SysRegRead Read)[]
        {
            ("ID_PFR0_EL1", 1, 0, static _ => IdRegisters.ID_PFR0_EL1),
            ("ID_PFR1_EL1", 1, 1, static c => c.HasEl2 ? IdRegisters.ID_PFR1_EL1_El2 : IdRegisters.ID_PFR1_EL1_NoEl2),
            ("ID_DFR0_EL1", 1, 2, static _ => IdRegisters.ID_DFR0_EL1),
            ("ID_AFR0_EL1", 1, 3, static _ => IdRegisters.ID_AFR0_EL1),
            ("ID_MMFR0_EL1", 1, 4, static _ => IdRegisters.ID_MMFR0_EL1),
            ("ID_MMFR1_EL1", 1, 5, static _ => IdRegisters.ID_MMFR1_EL1),
            ("ID_MMFR2_EL1", 1, 6, static _ => IdRegisters.ID_MMFR2_EL1),
            ("ID_MMFR3_EL1", 1, 7, static _ => IdRegisters.ID_MMFR3_EL1),
            ("ID_ISAR0_EL1", 2, 0, static _ => IdRegisters.ID_ISAR0_EL1),
            ("ID_ISAR1_EL1", 2, 1, static _ => IdRegisters.ID_ISAR1_EL1),
            ("ID_ISAR2_EL1", 2, 2, static _ => IdRegisters.ID_ISAR2_EL1),
            ("ID_ISAR3_EL1", 2, 3, static _ => IdRegisters.ID_ISAR3_EL1),
            ("ID_ISAR4_EL1", 2, 4, static _ => IdRegisters.ID_ISAR4_EL1),
            ("ID_ISAR5_EL1", 2, 5, static _ => IdRegisters.ID_ISAR5_EL1),
            ("MVFR0_EL1", 3, 0, static _ => IdRegisters.MVFR0_EL1),
            ("MVFR1_EL1", 3, 1, static _ => IdRegisters.MVFR1_EL1),
            ("MVFR2_EL1", 3, 2, static _ => IdRegisters.MVFR2_EL1),
            ("ID_AA64PFR0_EL1", 4, 0, static c => c.HasEl2 ? IdRegisters.ID_AA64PFR0_EL1_El2 : IdRegisters.ID_AA64PFR0_EL1_NoEl2),
            ("ID_AA64PFR1_EL1", 4, 1, static _ => IdRegisters.ID_AA64PFR1_EL1),
            ("ID_AA64DFR0_EL1", 5, 0, static _ => IdRegisters.ID_AA64DFR0_EL1),
            ("ID_AA64DFR1_EL1", 5, 1, static _ => IdRegisters.ID_AA64DFR1_EL1),
            ("ID_AA64AFR0_EL1", 5, 4, static _ => IdRegisters.ID_AA64AFR0_EL1),
            ("ID_AA64AFR1_EL1", 5, 5, static _ => IdRegisters.ID_AA64AFR1_EL1),
            ("ID_AA64ISAR0_EL1", 6, 0, static _ => IdRegisters.ID_AA64ISAR0_EL1),
            ("ID_AA64ISAR1_EL1", 6, 1, static _ => IdRegisters.ID_AA64ISAR1_EL1),
            ("ID_AA64MMFR0_EL1", 7, 0, static _ => IdRegisters.ID_AA64MMFR0_EL1),
            ("ID_AA64MMFR1_EL1", 7, 1, static _ => IdRegisters.ID_AA64MMFR1_EL1),
        };
        var named = new HashSet<(int, int)>();
        foreach (var (name, crm, op2, read) in group3)
        {
            t.Add(Ro(name, 3, 0, 0, crm, op2, 1, read, hcrRead: HCR_TID3));
            named.Add((crm, op2));
        }
        // The rest of the ID group 3 space reads as zero (Arm ARM: reserved, RAZ; QEMU defines them all).
        for (int crm = 1; crm <= 7; crm++)
            for (int op2 = 0; op2 <= 7; op2++)
                if (!named.Contains((crm, op2)))
                    t.Add(Ro($"ID_RAZ_S3_0_C0_C{crm}_{op2}", 3, 0, 0, crm, op2, 1, static _ => 0, hcrRead: HCR_TID3));

        t.Add(Ro("CCSIDR_EL1", 3, 1, 0, 0, 0, 1, static c => IdRegisters.Ccsidr(c.Sys.CSSELR_EL1), hcrRead: HCR_TID2));
        t.Add(Ro("CLIDR_EL1", 3, 1, 0, 0, 1, 1, static _ => IdRegisters.CLIDR_EL1, hcrRead: HCR_TID2));
        t.Add(Ro("AIDR_EL1", 3, 1, 0, 0, 7, 1, static _ => IdRegisters.AIDR_EL1, hcrRead: HCR_TID1));
        t.Add(Rw("CSSELR_EL1", 3, 2, 0, 0, 0, 1, static c => c.Sys.CSSELR_EL1, static (c, v) => c.Sys.CSSELR_EL1 = v & 0xF,
            hcrRead: HCR_TID2, hcrWrite: HCR_TID2));
        t.Add(Ro("CTR_EL0", 3, 3, 0, 0, 1, 0, static _ => IdRegisters.CTR_EL0, El0Enable(SCTLR_UCT), hcrRead: HCR_TID2));
        t.Add(Ro("DCZID_EL0", 3, 3, 0, 0, 7, 0, static c => IdRegisters.DCZID_EL0 | (DcZvaAllowed(c) ? 0 : 1UL << 4)));
        t.Add(Rw("VPIDR_EL2", 3, 4, 0, 0, 0, 2, static c => c.Sys.VPIDR_EL2, static (c, v) => c.Sys.VPIDR_EL2 = (uint)v));
        t.Add(Rw("VMPIDR_EL2", 3, 4, 0, 0, 5, 2, static c => c.Sys.VMPIDR_EL2, static (c, v) => c.Sys.VMPIDR_EL2 = v));
    }

    /// <summary>DCZID_EL0.DZP: DC ZVA is prohibited at EL0 without SCTLR_EL1.DZE, and at EL0/EL1 under HCR_EL2.TDZ.</summary>
    internal static bool DcZvaAllowed(Cpu c) =>
        !(c.EL == 0 && (c.MmuRegs.SCTLR_EL1 & SCTLR_DZE) == 0)
        && !(c.EL <= 1 && c.HasEl2 && (c.MmuRegs.HCR_EL2 & HCR_TDZ) != 0);
}
