using static Aegis.Emulator.Cpu.SystemRegisters.SysRegTraps;

namespace Aegis.Emulator.Cpu.SystemRegisters;

public static partial class SystemRegisterTable
{
    private const ulong TvmRegs = HCR_TVM, TrvmRegs = HCR_TRVM;

    /// <summary>PSTATE views and the banked exception registers (Arm ARM C5.2).</summary>
    private static void AddSpecialPurpose(List<SystemRegister> t)
    {
        t.Add(Rw("SPSR_EL1", 3, 0, 4, 0, 0, 1, static c => c.SpsrEl[1], static (c, v) => c.SpsrEl[1] = (uint)v, plain: true));
        t.Add(Rw("ELR_EL1", 3, 0, 4, 0, 1, 1, static c => c.ElrEl[1], static (c, v) => c.ElrEl[1] = v, plain: true));
        // Allowed only with SPSel = 1 (at EL1 or above), where SP_EL0 is not the current SP: banked, so plain.
        t.Add(Rw("SP_EL0", 3, 0, 4, 1, 0, 1, static c => c.GetSpEl(0), static (c, v) => c.SetSpEl(0, v), SpEl0, plain: true));
        t.Add(Rw("SPSel", 3, 0, 4, 2, 0, 1, static c => c.SpSel ? 1UL : 0, static (c, v) => c.SetExceptionLevel(c.EL, (v & 1) != 0)));
        t.Add(Ro("CurrentEL", 3, 0, 4, 2, 2, 1, static c => (ulong)c.EL << 2));
        t.Add(Rw("DAIF", 3, 3, 4, 2, 1, 0, static c => c.Daif, static (c, v) => c.Daif = (uint)v & 0x3C0, El0Enable(SCTLR_UMA)));
        t.Add(Rw("NZCV", 3, 3, 4, 2, 0, 0, static c => c.Nzcv, static (c, v) => c.Nzcv = (uint)v & 0xF000_0000));
        t.Add(Rw("SPSR_EL2", 3, 4, 4, 0, 0, 2, static c => c.SpsrEl[2], static (c, v) => c.SpsrEl[2] = (uint)v));
        t.Add(Rw("ELR_EL2", 3, 4, 4, 0, 1, 2, static c => c.ElrEl[2], static (c, v) => c.ElrEl[2] = v));
        t.Add(Rw("SP_EL1", 3, 4, 4, 1, 0, 2, static c => c.GetSpEl(1), static (c, v) => c.SetSpEl(1, v)));
    }

    /// <summary>EL1 system control, translation and fault registers (SCTLR/TCR/TTBRn/MAIR live in <see cref="Mmu.MmuRegisters"/>).</summary>
    private static void AddEl1Controls(List<SystemRegister> t)
    {
        t.Add(Rw("SCTLR_EL1", 3, 0, 1, 0, 0, 1, static c => c.MmuRegs.SCTLR_EL1,
            static (c, v) => { c.MmuRegs.SCTLR_EL1 = v; c.InvalidateFetch(); }, hcrRead: TrvmRegs, hcrWrite: TvmRegs));
        t.Add(Rw("ACTLR_EL1", 3, 0, 1, 0, 1, 1, static c => c.Sys.ACTLR_EL1, static (c, v) => c.Sys.ACTLR_EL1 = v,
            hcrRead: HCR_TACR, hcrWrite: HCR_TACR));
        t.Add(Rw("CPACR_EL1", 3, 0, 1, 0, 2, 1, static c => c.Sys.CPACR_EL1,
            static (c, v) => c.Sys.CPACR_EL1 = v & (CPACR_FPEN | CPACR_TTA), Cpacr));
        t.Add(Rw("TTBR0_EL1", 3, 0, 2, 0, 0, 1, static c => c.MmuRegs.TTBR0_EL1,
            static (c, v) => { c.MmuRegs.TTBR0_EL1 = v; c.TranslationTablesChanged(); }, hcrRead: TrvmRegs, hcrWrite: TvmRegs));
        t.Add(Rw("TTBR1_EL1", 3, 0, 2, 0, 1, 1, static c => c.MmuRegs.TTBR1_EL1,
            static (c, v) => { c.MmuRegs.TTBR1_EL1 = v; c.TranslationTablesChanged(); }, hcrRead: TrvmRegs, hcrWrite: TvmRegs));
        t.Add(Rw("TCR_EL1", 3, 0, 2, 0, 2, 1, static c => c.MmuRegs.TCR_EL1,
            static (c, v) => { c.MmuRegs.TCR_EL1 = v; c.InvalidateFetch(); }, hcrRead: TrvmRegs, hcrWrite: TvmRegs));
        t.Add(Rw("AFSR0_EL1", 3, 0, 5, 1, 0, 1, static c => c.Sys.AFSR0_EL1, static (c, v) => c.Sys.AFSR0_EL1 = v, hcrRead: TrvmRegs, hcrWrite: TvmRegs));
        t.Add(Rw("AFSR1_EL1", 3, 0, 5, 1, 1, 1, static c => c.Sys.AFSR1_EL1, static (c, v) => c.Sys.AFSR1_EL1 = v, hcrRead: TrvmRegs, hcrWrite: TvmRegs));
        t.Add(Rw("ESR_EL1", 3, 0, 5, 2, 0, 1, static c => c.EsrEl[1], static (c, v) => c.EsrEl[1] = (uint)v, hcrRead: TrvmRegs, hcrWrite: TvmRegs, plain: true));
        t.Add(Rw("FAR_EL1", 3, 0, 6, 0, 0, 1, static c => c.FarEl[1], static (c, v) => c.FarEl[1] = v, hcrRead: TrvmRegs, hcrWrite: TvmRegs, plain: true));
        t.Add(Rw("PAR_EL1", 3, 0, 7, 4, 0, 1, static c => c.Sys.PAR_EL1, static (c, v) => c.Sys.PAR_EL1 = v));
        t.Add(Rw("MAIR_EL1", 3, 0, 10, 2, 0, 1, static c => c.MmuRegs.MAIR_EL1,
            static (c, v) => { c.MmuRegs.MAIR_EL1 = v; c.InvalidateFetch(); }, hcrRead: TrvmRegs, hcrWrite: TvmRegs));
        t.Add(Rw("AMAIR_EL1", 3, 0, 10, 3, 0, 1, static c => c.Sys.AMAIR_EL1, static (c, v) => c.Sys.AMAIR_EL1 = v, hcrRead: TrvmRegs, hcrWrite: TvmRegs));
        // VBAR: QEMU masks only bits [4:0] (bits [10:0] are RES0 and must stay writable).
        t.Add(Rw("VBAR_EL1", 3, 0, 12, 0, 0, 1, static c => c.VbarEl[1], static (c, v) => c.VbarEl[1] = v & ~0x1FUL));
        // RVBAR_ELx exists only for the highest implemented EL; QEMU's virt reads 0.
        t.Add(Ro("RVBAR_EL1", 3, 0, 12, 0, 1, 1, static _ => 0, static (c, _) => c.HasEl2 ? SysRegAccess.Undefined : SysRegAccess.Ok));
        // ISR_EL1 shows the virtual interrupt instead of the physical one where HCR_EL2.IMO/FMO route it.
        t.Add(Ro("ISR_EL1", 3, 0, 12, 1, 0, 1, static c => (IsrBit(c, 1UL << 4, c.VirtualIrq, c.IrqLine) ? 1UL << 7 : 0)
            | (IsrBit(c, 1UL << 3, c.VirtualFiq, c.FiqLine) ? 1UL << 6 : 0)));
        t.Add(Rw("CONTEXTIDR_EL1", 3, 0, 13, 0, 1, 1, static c => c.Sys.CONTEXTIDR_EL1, static (c, v) => { c.Sys.CONTEXTIDR_EL1 = (uint)v; c.PerfEvents.Add(c.EL, PmuEvent.CID_WRITE_RETIRED); },
            hcrRead: TrvmRegs, hcrWrite: TvmRegs));
    }

    /// <summary>EL2 registers (present only with EL2; below EL2 they are UNDEFINED).</summary>
    private static void AddEl2Controls(List<SystemRegister> t)
    {
        t.Add(Rw("SCTLR_EL2", 3, 4, 1, 0, 0, 2, static c => c.MmuRegs.SCTLR_EL2, static (c, v) => { c.MmuRegs.SCTLR_EL2 = v; c.InvalidateFetch(); }));
        t.Add(Rw("ACTLR_EL2", 3, 4, 1, 0, 1, 2, static c => c.Sys.ACTLR_EL2, static (c, v) => c.Sys.ACTLR_EL2 = v));
        t.Add(Rw("HCR_EL2", 3, 4, 1, 1, 0, 2, static c => c.MmuRegs.HCR_EL2,
            static (c, v) => { c.MmuRegs.HCR_EL2 = v & HCR_ValidMask; c.InvalidateFetch(); }));
        t.Add(Rw("MDCR_EL2", 3, 4, 1, 1, 1, 2, static c => c.Sys.MDCR_EL2, static (c, v) => c.Sys.MDCR_EL2 = v & 0xFFFF));
        t.Add(Rw("CPTR_EL2", 3, 4, 1, 1, 2, 2, static c => c.Sys.CPTR_EL2, static (c, v) => c.Sys.CPTR_EL2 = (uint)v));
        t.Add(Rw("HSTR_EL2", 3, 4, 1, 1, 3, 2, static c => c.Sys.HSTR_EL2, static (c, v) => c.Sys.HSTR_EL2 = v & 0xBFFF));
        t.Add(Rw("HACR_EL2", 3, 4, 1, 1, 7, 2, static c => c.Sys.HACR_EL2, static (c, v) => c.Sys.HACR_EL2 = v));
        t.Add(Rw("TTBR0_EL2", 3, 4, 2, 0, 0, 2, static c => c.MmuRegs.TTBR0_EL2, static (c, v) => { c.MmuRegs.TTBR0_EL2 = v; c.InvalidateFetch(); }));
        t.Add(Rw("TCR_EL2", 3, 4, 2, 0, 2, 2, static c => c.MmuRegs.TCR_EL2, static (c, v) => { c.MmuRegs.TCR_EL2 = v; c.InvalidateFetch(); }));
        // Stage 2 is not translated yet: VTTBR/VTCR are stored for the hypervisor to read back.
        t.Add(Rw("VTTBR_EL2", 3, 4, 2, 1, 0, 2, static c => c.Sys.VTTBR_EL2, static (c, v) => c.Sys.VTTBR_EL2 = v));
        t.Add(Rw("VTCR_EL2", 3, 4, 2, 1, 2, 2, static c => c.Sys.VTCR_EL2, static (c, v) => c.Sys.VTCR_EL2 = v));
        t.Add(Rw("AFSR0_EL2", 3, 4, 5, 1, 0, 2, static c => c.Sys.AFSR0_EL2, static (c, v) => c.Sys.AFSR0_EL2 = v));
        t.Add(Rw("AFSR1_EL2", 3, 4, 5, 1, 1, 2, static c => c.Sys.AFSR1_EL2, static (c, v) => c.Sys.AFSR1_EL2 = v));
        t.Add(Rw("ESR_EL2", 3, 4, 5, 2, 0, 2, static c => c.EsrEl[2], static (c, v) => c.EsrEl[2] = (uint)v));
        t.Add(Rw("FAR_EL2", 3, 4, 6, 0, 0, 2, static c => c.FarEl[2], static (c, v) => c.FarEl[2] = v));
        t.Add(Rw("HPFAR_EL2", 3, 4, 6, 0, 4, 2, static c => c.Sys.HPFAR_EL2, static (c, v) => c.Sys.HPFAR_EL2 = v));
        t.Add(Rw("MAIR_EL2", 3, 4, 10, 2, 0, 2, static c => c.MmuRegs.MAIR_EL2, static (c, v) => { c.MmuRegs.MAIR_EL2 = v; c.InvalidateFetch(); }));
        t.Add(Rw("AMAIR_EL2", 3, 4, 10, 3, 0, 2, static c => c.Sys.AMAIR_EL2, static (c, v) => c.Sys.AMAIR_EL2 = v));
        t.Add(Ro("RVBAR_EL2", 3, 4, 12, 0, 1, 2, static _ => 0));
        // AArch32 EL1 state kept for hypervisors that save and restore it.
        t.Add(Rw("DACR32_EL2", 3, 4, 3, 0, 0, 2, static c => c.Sys.DACR32_EL2, static (c, v) => c.Sys.DACR32_EL2 = (uint)v));
        t.Add(Rw("IFSR32_EL2", 3, 4, 5, 0, 1, 2, static c => c.Sys.IFSR32_EL2, static (c, v) => c.Sys.IFSR32_EL2 = (uint)v));
        t.Add(Rw("FPEXC32_EL2", 3, 4, 5, 3, 0, 2, static c => c.Sys.FPEXC32_EL2, static (c, v) => c.Sys.FPEXC32_EL2 = (uint)v, Fp));
        t.Add(Rw("DBGVCR32_EL2", 2, 4, 0, 7, 0, 2, static c => c.Sys.DBGVCR32_EL2, static (c, v) => c.Sys.DBGVCR32_EL2 = (uint)v));
        for (int n = 0; n < 4; n++)
        {
            int i = n;
            t.Add(Rw(new[] { "SPSR_irq", "SPSR_abt", "SPSR_und", "SPSR_fiq" }[n], 3, 4, 4, 3, n, 2,
                c => c.Sys.Spsr32[i], (c, v) => c.Sys.Spsr32[i] = (uint)v));
        }
        t.Add(Rw("VBAR_EL2", 3, 4, 12, 0, 0, 2, static c => c.VbarEl[2], static (c, v) => c.VbarEl[2] = v & ~0x1FUL));
    }

    /// <summary>Software thread ID registers.</summary>
    private static void AddThreadAndContext(List<SystemRegister> t)
    {
        t.Add(Rw("TPIDR_EL0", 3, 3, 13, 0, 2, 0, static c => c.Sys.TPIDR_EL0, static (c, v) => c.Sys.TPIDR_EL0 = v, plain: true));
        // TPIDRRO_EL0: read-only at EL0, read/write at EL1 and above.
        t.Add(Rw("TPIDRRO_EL0", 3, 3, 13, 0, 3, 0, static c => c.Sys.TPIDRRO_EL0, static (c, v) => c.Sys.TPIDRRO_EL0 = v,
            static (c, read) => c.EL == 0 && !read ? SysRegAccess.Undefined : SysRegAccess.Ok, plain: true));
        t.Add(Rw("TPIDR_EL1", 3, 0, 13, 0, 4, 1, static c => c.Sys.TPIDR_EL1, static (c, v) => c.Sys.TPIDR_EL1 = v, plain: true));
        t.Add(Rw("TPIDR_EL2", 3, 4, 13, 0, 2, 2, static c => c.Sys.TPIDR_EL2, static (c, v) => c.Sys.TPIDR_EL2 = v, plain: true));
    }

    private static bool IsrBit(Cpu c, ulong hcrRoute, bool virtualPending, bool physicalPending) =>
        c.EL < 2 && c.HasEl2 && (c.MmuRegs.HCR_EL2 & hcrRoute) != 0 ? virtualPending : physicalPending;
}
