using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.SystemInstructions;

/// <summary>MRS/MSR over the system-register table: ID values, per-EL rules, EL0 traps and their ISS.</summary>
public class SystemRegisterTests
{
    private const ulong Base = CpuHarness.CodeBase;

    private static ulong Mrs(string reg, bool el2 = false, int? el = null)
    {
        var h = Harness($"mrs x7, {reg}", el2);
        if (el is { } e) h.AtEl(e);
        h.Cpu.Run(1);
        Assert.That(h.Cpu.PC, Is.EqualTo(Base + 4), $"MRS {reg} must not take an exception");
        return h.X(7);
    }

    // Values read back with MRS on qemu-system-aarch64 7.2 -M virt -cpu cortex-a53 (EL1 entry, no EL2).
    [TestCase("midr_el1", 0x410F_D034UL)]
    [TestCase("mpidr_el1", 0x8000_0000UL)]
    [TestCase("revidr_el1", 0UL)]
    [TestCase("id_aa64pfr0_el1", 0x22UL)]
    [TestCase("id_aa64dfr0_el1", 0x1030_5106UL)]
    [TestCase("id_aa64isar0_el1", 0x1_1120UL)]
    [TestCase("id_aa64mmfr0_el1", 0x1122UL)]
    [TestCase("id_aa64mmfr1_el1", 0UL)]
    [TestCase("s3_0_c0_c4_4", 0UL)]           // reserved ID space (ID_AA64ZFR0 later): RAZ
    [TestCase("id_pfr1_el1", 0x1_0001UL)]
    [TestCase("id_isar5_el1", 0x1_1121UL)]
    [TestCase("mvfr0_el1", 0x1011_0222UL)]
    [TestCase("ctr_el0", 0x8444_8004UL)]
    [TestCase("dczid_el0", 0x4UL)]
    [TestCase("clidr_el1", 0x0A20_0023UL)]
    [TestCase("ccsidr_el1", 0x700F_E01AUL)]  // CSSELR_EL1 = 0: L1 data
    [TestCase("sctlr_el1", 0x00C5_0838UL)]
    [TestCase("cntfrq_el0", 62_500_000UL)]
    [TestCase("pmcr_el0", 0x4103_3000UL)]
    [TestCase("oslsr_el1", 0xAUL)]
    [TestCase("currentel", 0x4UL)]
    [TestCase("daif", 0x3C0UL)]
    [TestCase("s3_1_c15_c3_0", 0x0800_0000UL)] // CBAR_EL1
    public void IdAndResetValuesMatchQemu(string reg, ulong expected) =>
        Assert.That(Mrs(reg), Is.EqualTo(expected));

    [Test]
    public void DczidReportsProhibitionAtEl0WithoutDze()
    {
        // DCZID_EL0.DZP (bit 4) = 1 when DC ZVA would trap (QEMU aa64_dczid_read).
        Assert.That(Mrs("dczid_el0", el: 0), Is.EqualTo(0x14UL));
    }

    [Test]
    public void El2ChangesThePfrsAsQemuDoes()
    {
        // QEMU 7.2 with virtualization=on: ID_AA64PFR0_EL1 = 0x222, ID_PFR1_EL1 = 0x11001; CurrentEL = EL2.
        Assert.That(Mrs("id_aa64pfr0_el1", el2: true), Is.EqualTo(0x222UL));
        Assert.That(Mrs("id_pfr1_el1", el2: true), Is.EqualTo(0x1_1001UL));
        Assert.That(Mrs("currentel", el2: true), Is.EqualTo(0x8UL));
        Assert.That(Mrs("cnthctl_el2", el2: true), Is.EqualTo(0x3UL), "QEMU's EL2 -kernel entry");
        Assert.That(Mrs("mdcr_el2", el2: true), Is.EqualTo(0x6UL));
        Assert.That(Mrs("vpidr_el2", el2: true), Is.EqualTo(0x410F_D034UL));
    }

    [Test]
    public void CcsidrFollowsCsselr()
    {
        var h = Harness("msr csselr_el1, x0\nmrs x1, ccsidr_el1\nmsr csselr_el1, x2\nmrs x3, ccsidr_el1").SetX(0, 1).SetX(2, 2);
        h.Run();
        Assert.That(h.X(1), Is.EqualTo(0x201F_E00AUL), "L1 instruction (QEMU)");
        Assert.That(h.X(3), Is.EqualTo(0x707F_E07AUL), "L2 unified (QEMU)");
    }

    [Test]
    public void MidrAtEl1ReadsVpidrWhenEl2Exists()
    {
        var h = Harness("mrs x0, midr_el1", el2: true).AtEl(1);
        h.Cpu.Sys.VPIDR_EL2 = 0x1234_5678;
        h.Cpu.Run(1);
        Assert.That(h.X(0), Is.EqualTo(0x1234_5678UL), "Arm ARM MIDR_EL1: EL1 reads VPIDR_EL2");
    }

    [Test]
    public void ReadWriteRoundTrips()
    {
        var h = Harness(string.Join("\n",
            "msr tpidr_el0, x0", "mrs x10, tpidr_el0",
            "msr vbar_el1, x1", "mrs x11, vbar_el1",
            "msr nzcv, x2", "mrs x12, nzcv",
            "msr ttbr0_el1, x3", "mrs x13, ttbr0_el1",
            "msr tcr_el1, x4", "mrs x14, tcr_el1"));
        h.SetX(0, 0xDEAD_BEEF_0000_0001).SetX(1, 0x4000_0FFF).SetX(2, 0xFFFF_FFFF).SetX(3, 0x4020_0000).SetX(4, 0x25B5103510);
        ulong epoch = h.Cpu.TranslationEpoch;
        h.Run();
        Assert.That(h.X(10), Is.EqualTo(0xDEAD_BEEF_0000_0001UL));
        Assert.That(h.X(11), Is.EqualTo(0x4000_0FE0UL), "VBAR bits [4:0] are RES0 (QEMU masks them)");
        Assert.That(h.X(12), Is.EqualTo(0xF000_0000UL), "only N, Z, C, V exist");
        Assert.That(h.X(13), Is.EqualTo(0x4020_0000UL));
        Assert.That(h.Cpu.MmuRegs.TCR_EL1, Is.EqualTo(0x25B5103510UL));
        Assert.That(h.Cpu.TranslationEpoch, Is.GreaterThan(epoch), "translation-register writes invalidate the fetch");
    }

    [Test]
    public void DaifAndSpSel()
    {
        var h = Harness(string.Join("\n",
            "msr daifclr, #0xf", "mrs x0, daif",
            "msr daifset, #2", "mrs x1, daif",
            "msr spsel, #0", "mrs x2, spsel"));
        h.Cpu.SpEl[0] = 0x1111;
        h.Run();
        Assert.That(h.X(0), Is.EqualTo(0UL));
        Assert.That(h.X(1), Is.EqualTo(0x80UL), "DAIFSet #2 sets I (bit 7)");
        Assert.That(h.X(2), Is.EqualTo(0UL));
        Assert.That(h.Cpu.SP, Is.EqualTo(0x1111UL), "SPSel = 0 selects SP_EL0");
    }

    [Test]
    public void SpEl0IsUndefinedWhileItIsTheCurrentStackPointer()
    {
        var h = Harness("msr spsel, #0\nmrs x0, sp_el0");
        h.Run();
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x0200_0000UL));
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(Base + 4));

        var ok = Harness("mrs x0, sp_el0");
        ok.Cpu.SpEl[0] = 0x2222;
        ok.Run();
        Assert.That(ok.X(0), Is.EqualTo(0x2222UL));
    }

    // The same instructions gave these ESRs on QEMU 7.2 (UNDEFINED = 0x02000000).
    [TestCase("mrs x0, s3_4_c1_c1_0", 1)]  // HCR_EL2 at EL1
    [TestCase("mrs x0, sctlr_el1", 0)]     // EL1 register at EL0
    [TestCase("mrs x0, currentel", 0)]
    [TestCase("msr spsel, #1", 0)]
    [TestCase("mrs x0, s3_0_c15_c15_7", 1)] // unknown encoding
    [TestCase("msr s3_3_c0_c0_1, x0", 1)]   // write to read-only CTR_EL0
    [TestCase("mrs x0, s2_0_c1_c0_4", 1)]   // read of write-only OSLAR_EL1
    [TestCase(".inst 0xd500419f", 1)]       // MSR PAN, #1: an Armv8.1 PSTATE field
    [TestCase("tlbi vmalle1", 0)]
    [TestCase("tlbi alle2", 1)]
    [TestCase("at s1e2r, x0", 1)]
    [TestCase("dc ivac, x0", 0)]
    public void UndefinedAccesses(string insn, int el)
    {
        var h = Harness(insn).AtEl(el);
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x0200_0000UL));
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(Base));
    }

    [Test]
    public void CntvctAtEl0TrapsUntilEl0VctenIsSet()
    {
        var h = Harness("mrs x3, cntvct_el0").AtEl(0);
        h.Cpu.Run(1);
        // QEMU 7.2 gives 0x6234F861: EC 0x18, Op0 3, Op2 2, Op1 3, CRn 14, Rt 3, CRm 0, read.
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x6234_F861UL));
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(Base));

        var allowed = Harness("mrs x3, cntvct_el0").AtEl(0);
        allowed.Cpu.Timer.CNTKCTL_EL1 = 2; // EL0VCTEN
        allowed.Cpu.WarpClock(16 * 1000);
        allowed.Cpu.Run(1);
        Assert.That(allowed.Cpu.EsrEl[1], Is.Zero);
        Assert.That(allowed.X(3), Is.EqualTo(1000UL), "counter = cycles / 16 at 62.5 MHz");
    }

    // EL0 traps with the ESR that QEMU 7.2 reports for the same instruction (SCTLR_EL1 at its reset value).
    [TestCase("mrs x4, ctr_el0", 0x6232_C081UL)]
    [TestCase("mrs x1, daif", 0x6232_D025UL)]
    [TestCase("dc cvau, x5", 0x6212_DCB6UL)]
    [TestCase("dc zva, x5", 0x6212_DCA8UL)]
    [TestCase("mrs x2, cntfrq_el0", 0x6230_F841UL)]
    [TestCase("mrs x2, cntp_ctl_el0", 0x6232_F845UL)]
    [TestCase("mrs x2, pmccntr_el0", 0x6230_E45BUL)]
    public void El0TrapsToEl1WithTheArchitecturalIss(string insn, ulong esr)
    {
        var h = Harness(insn).AtEl(0);
        h.SetX(5, 0x4010_0000);
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(esr));
        Assert.That(h.Cpu.PC, Is.EqualTo(OutsideVbar + LowerSync));
    }

    [Test]
    public void DaifSetAtEl0TrapsWithTheArmArmIss()
    {
        // Arm ARM ISS: Op0 0, Op2 6, Op1 3, CRn 4, Rt 31, CRm 2, write = 0x000CD3E4.
        // QEMU 7.2 reports 0x620793E4 here (its daif_check swaps Op1 and Op2); we follow the Arm ARM.
        var h = Harness("msr daifset, #2").AtEl(0);
        h.Cpu.Daif = 0;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x620C_D3E4UL));
        Assert.That(h.Cpu.SpsrEl[1] & 0x3C0, Is.Zero, "DAIF not changed by the trapped write");
    }

    [Test]
    public void UserEnablesLiftTheEl0Traps()
    {
        var h = Harness("mrs x4, ctr_el0\nmsr daifset, #2\nmrs x2, cntfrq_el0").AtEl(0);
        h.Cpu.MmuRegs.SCTLR_EL1 |= SysRegTraps.SCTLR_UCT | SysRegTraps.SCTLR_UMA | SysRegTraps.SCTLR_DZE;
        h.Cpu.Timer.CNTKCTL_EL1 = 1;
        h.Cpu.Daif = 0;
        h.Run(3);
        Assert.That(h.X(4), Is.EqualTo(0x8444_8004UL));
        Assert.That(h.Cpu.Daif, Is.EqualTo(0x80u));
        Assert.That(h.X(2), Is.EqualTo(62_500_000UL));
        Assert.That(h.Cpu.EsrEl[1], Is.Zero);
    }

    [Test]
    public void DcZvaOnDeviceMemoryIsAnAlignmentFault()
    {
        // MMU off: data accesses are Device-nGnRnE, and the Arm ARM makes DC ZVA there an Alignment fault.
        var h = Harness("dc zva, x5").SetX(5, CpuHarness.DataBase + 0x47);
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x9600_0061UL), "EC 0x25, WnR, DFSC 0x21");
        Assert.That(h.Cpu.FarEl[1], Is.EqualTo(CpuHarness.DataBase + 0x40));
    }

    [Test]
    public void CacheMaintenanceReportsToTheMaintenanceHook()
    {
        var seen = new List<(string, ulong)>();
        var h = Harness("dc civac, x5\nic ivau, x5\nic iallu\ndc cisw, x6\nmsr tpidr_el1, x5").SetX(5, 0x4010_0040).SetX(6, 0x2);
        h.Cpu.AddHook(Aegis.Emulator.Cpu.Hooks.Hook.Maintenance((_, op, v) => seen.Add((op.Name, v))));
        h.Run();
        // Only the SYS operations (op0 = 1), in program order, with their X[t]; the MSR is a register write.
        Assert.That(seen, Is.EqualTo(new[] { ("DC CIVAC", 0x4010_0040UL), ("IC IVAU", 0x4010_0040UL), ("IC IALLU", 0UL), ("DC CISW", 2UL) }));
    }

    [Test]
    public void CacheMaintenanceTranslationFaultIsADataAbortWithCm()
    {
        // MMU off: a VA above the 48-bit PA range gives an address size fault at level 0.
        var h = Harness("dc civac, x5").SetX(5, 0x0001_0000_0000_0000);
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x9600_0140UL), "EC 0x25, CM, WnR = 1 for maintenance, DFSC 0");
        Assert.That(h.Cpu.FarEl[1], Is.EqualTo(0x0001_0000_0000_0000UL));
    }

    [Test]
    public void AtWritesPar()
    {
        var h = Harness("at s1e1r, x0\nmrs x1, par_el1\nat s1e0w, x2\nmrs x3, par_el1")
            .SetX(0, 0x4012_3456).SetX(2, 0x0001_0000_0000_0000);
        h.Run();
        Assert.That(h.X(1), Is.EqualTo(0x4012_3000UL | (1UL << 11) | (0b10UL << 7)), "PA, RES1 bit 11, Device: SH = 0b10, ATTR 0");
        Assert.That(h.X(3), Is.EqualTo(1UL | (1UL << 11)), "F = 1, FST = address size fault level 0");
    }

    [Test]
    public void TlbiInvalidatesTheFetchWindow()
    {
        var h = Harness("tlbi vmalle1is\ntlbi vae1, x0\ntlbi aside1, x0\nnop");
        ulong epoch = h.Cpu.TranslationEpoch;
        h.Run();
        Assert.That(h.Cpu.TranslationEpoch, Is.GreaterThanOrEqualTo(epoch + 3));
        Assert.That(h.Cpu.PC, Is.EqualTo(Base + 16));
    }

    [Test]
    public void El2TlbiAndAtRunAtEl2()
    {
        var h = Harness("tlbi alle2\ntlbi vae2is, x0\nat s1e2r, x1\nmrs x2, par_el1", el2: true).SetX(1, 0x4000_0000);
        h.Run();
        Assert.That(h.Cpu.PC, Is.EqualTo(Base + 16));
        Assert.That(h.X(2) & 1, Is.Zero);
    }

    [Test]
    public void HcrTrapsEl1AccessesToEl2()
    {
        // HCR_EL2.TVM traps EL1 writes of SCTLR_EL1 (ESR: EC 0x18, write, Rt 0); TTLB traps TLBI.
        var h = Harness("msr sctlr_el1, x0", el2: true).AtEl(1);
        h.Cpu.MmuRegs.HCR_EL2 |= SysRegTraps.HCR_TVM;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(2));
        Assert.That(h.Cpu.EsrEl[2], Is.EqualTo(0x6230_0400UL));
        Assert.That(h.Cpu.ElrEl[2], Is.EqualTo(Base));

        var t = Harness("tlbi vmalle1", el2: true).AtEl(1);
        t.Cpu.MmuRegs.HCR_EL2 |= SysRegTraps.HCR_TTLB;
        t.Cpu.Run(1);
        Assert.That(t.Cpu.EL, Is.EqualTo(2));
        Assert.That(SystemTestSupport.Ec(t.Cpu.EsrEl[2]), Is.EqualTo(0x18u));
    }

    [TestCase("mrs x0, mdscr_el1", 1UL << 9, 0UL)]    // MDCR_EL2.TDA
    [TestCase("msr oslar_el1, x0", 1UL << 10, 0UL)]   // MDCR_EL2.TDOSA
    [TestCase("mrs x0, dbgbvr0_el1", 1UL << 8, 0UL)]  // MDCR_EL2.TDE implies TDA
    [TestCase("mrs x0, s3_1_c15_c3_0", 0UL, 1UL << 20)] // HCR_EL2.TIDCP: IMPLEMENTATION DEFINED registers
    [TestCase("mrs x0, id_aa64mmfr0_el1", 0UL, 1UL << 18)] // HCR_EL2.TID3
    [TestCase("mrs x0, ctr_el0", 0UL, 1UL << 17)]     // HCR_EL2.TID2
    [TestCase("msr actlr_el1, x0", 0UL, 1UL << 21)]   // HCR_EL2.TACR
    [TestCase("dc cisw, x0", 0UL, 1UL << 22)]         // HCR_EL2.TSW
    [TestCase("dc civac, x0", 0UL, 1UL << 23)]        // HCR_EL2.TPC
    [TestCase("ic iallu", 0UL, 1UL << 24)]            // HCR_EL2.TPU
    public void El2TrapControls(string insn, ulong mdcr, ulong hcr)
    {
        var h = Harness(insn, el2: true).AtEl(1);
        h.Cpu.Sys.MDCR_EL2 |= mdcr;
        h.Cpu.MmuRegs.HCR_EL2 |= hcr;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.EL, Is.EqualTo(2));
        Assert.That(h.Cpu.EsrEl[2], Is.EqualTo(0x6200_0000UL | Aegis.Emulator.Cpu.Cpu.SystemAccessTrapIss(h.Code[0])),
            "EC 0x18 with the instruction's own fields (Arm ARM ISS layout)");

        var free = Harness(insn, el2: true).AtEl(1);
        free.Cpu.Run(1);
        Assert.That(free.Cpu.EL, Is.EqualTo(1), "not trapped without the control");
    }

    [Test]
    public void PmccntrCountsCycles()
    {
        var h = Harness("msr pmcr_el0, x0\nmsr pmcntenset_el0, x1\nnop\nnop\nmrs x2, pmccntr_el0").SetX(0, 1 | 4).SetX(1, 1UL << 31);
        h.Run();
        // One cycle per instruction: enabled by instruction 2 at cycle 1, read by instruction 5 at cycle 4.
        Assert.That(h.X(2), Is.EqualTo(3UL));
    }

    [Test]
    public void TableHasNoDuplicateEncodings() =>
        Assert.That(SystemRegisterTable.All.Select(r => r.Key).Distinct().Count(), Is.EqualTo(SystemRegisterTable.All.Length));
}
