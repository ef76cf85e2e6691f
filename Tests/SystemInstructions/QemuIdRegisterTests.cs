using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.SystemInstructions;

/// <summary>
/// Differential check of the identification and reset values: a bare-metal program prints each register
/// with MRS on qemu-system-aarch64 7.2 (-M virt -cpu cortex-a53, with and without virtualization=on);
/// the emulator must read the same values at the same reset EL.
/// </summary>
public class QemuIdRegisterTests
{
    private static readonly string[] Common =
    [
        "midr_el1", "mpidr_el1", "revidr_el1", "aidr_el1",
        "id_aa64pfr0_el1", "id_aa64pfr1_el1", "id_aa64dfr0_el1", "id_aa64dfr1_el1", "id_aa64afr0_el1", "id_aa64afr1_el1",
        "id_aa64isar0_el1", "id_aa64isar1_el1", "id_aa64mmfr0_el1", "id_aa64mmfr1_el1", "s3_0_c0_c7_2", "s3_0_c0_c4_4",
        "id_pfr0_el1", "id_pfr1_el1", "id_dfr0_el1", "id_afr0_el1", "id_mmfr0_el1", "id_mmfr1_el1", "id_mmfr2_el1",
        "id_mmfr3_el1", "id_isar0_el1", "id_isar1_el1", "id_isar2_el1", "id_isar3_el1", "id_isar4_el1", "id_isar5_el1",
        "mvfr0_el1", "mvfr1_el1", "mvfr2_el1", "ctr_el0", "dczid_el0", "clidr_el1", "csselr_el1", "ccsidr_el1",
        "sctlr_el1", "cpacr_el1", "cntkctl_el1", "cntfrq_el0", "pmcr_el0", "pmuserenr_el0",
        "mdscr_el1", "oslsr_el1", "actlr_el1", "currentel", "daif", "cntp_ctl_el0", "cntv_ctl_el0",
        "s3_1_c15_c3_0", "s3_1_c11_c0_2", "s3_0_c0_c3_7", "pmintenclr_el1",
    ];

    // PMCEID0/1_EL0 are left out: QEMU 7.2 advertises SW_INCR and CPU_CYCLES (0x20001, 0), the emulator every
    // event it counts (Tests/Timing/PmuTests, docs/PMU.md).

    /// <summary>RVBAR_EL1 exists only when EL1 is the highest EL.</summary>
    private static readonly string[] El1Only = ["s3_0_c12_c0_1"];

    private static readonly string[] El2Only =
    [
        "hcr_el2", "cptr_el2", "cnthctl_el2", "vpidr_el2", "vmpidr_el2", "mdcr_el2", "hstr_el2", "cntvoff_el2", "cnthp_ctl_el2", "s3_4_c12_c0_1",
        "fpexc32_el2", "dacr32_el2", "ifsr32_el2", "dbgvcr32_el2", "spsr_irq",
    ];

    [TestCase(false)]
    [TestCase(true)]
    public void ResetValuesMatchQemu(bool el2)
    {
        ReferenceTools.Require(ReferenceTools.QemuSystem);
        var regs = el2 ? Common.Concat(El2Only).ToArray() : Common.Concat(El1Only).ToArray();
        var qemu = RunOnQemu(regs, el2);
        Assert.That(qemu, Has.Length.EqualTo(regs.Length));
        Assert.Multiple(() =>
        {
            for (int i = 0; i < regs.Length; i++)
            {
                var h = Harness($"mrs x0, {regs[i]}", el2);
                h.Cpu.Run(1);
                Assert.That(h.Cpu.PC, Is.EqualTo(CpuHarness.CodeBase + 4), $"{regs[i]} took an exception");
                Assert.That(h.X(0), Is.EqualTo(qemu[i]), regs[i]);
            }
        });
    }

    private static ulong[] RunOnQemu(string[] regs, bool el2) =>
        QemuBareMetal.RunLines(string.Concat(regs.Select(r => $"  mrs x0, {r}\n  bl puthex\n")) + "  b qemu_exit\n", el2)
            .Select(l => Convert.ToUInt64(l, 16)).ToArray();
}
