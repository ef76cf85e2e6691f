using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.System.SystemTestSupport;

namespace Aegis.Tests.System;

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
        "sctlr_el1", "cpacr_el1", "cntkctl_el1", "cntfrq_el0", "pmcr_el0", "pmuserenr_el0", "pmceid0_el0", "pmceid1_el0",
        "mdscr_el1", "oslsr_el1", "actlr_el1", "currentel", "daif", "cntp_ctl_el0", "cntv_ctl_el0",
        "s3_1_c15_c3_0", "s3_1_c11_c0_2", "s3_0_c0_c3_7", "pmintenclr_el1",
    ];

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

    private static ulong[] RunOnQemu(string[] regs, bool el2)
    {
        string program = string.Join("\n",
            ".global _start", "_start:", "  ldr x1, =0x40200000", "  mov sp, x1",
            string.Join("\n", regs.Select(r => $"  mrs x0, {r}\n  bl puthex")),
            "  mov w0, #0x18", "  adr x1, exit_block", "  hlt #0xf000",
            "puthex:", "  mov x3, #60", "  ldr x4, =0x09000000",
            "1: lsr x5, x0, x3", "  and x5, x5, #15", "  cmp x5, #10", "  add x6, x5, #'0'", "  add x7, x5, #('A'-10)",
            "  csel x5, x6, x7, lt", "  strb w5, [x4]", "  subs x3, x3, #4", "  b.ge 1b", "  mov w5, #'\\n'", "  strb w5, [x4]", "  ret",
            ".balign 8", "exit_block:", "  .quad 0x20026, 0", "");
        string dir = Directory.CreateTempSubdirectory("aegis-id").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "t.S"), program);
            ReferenceTools.Run(ReferenceTools.Clang, $"--target=aarch64-none-elf -mcpu=cortex-a53 -c {dir}/t.S -o {dir}/t.o");
            ReferenceTools.Run(ReferenceTools.Lld, $"-Ttext=0x40080000 {dir}/t.o -o {dir}/t.elf");
            string machine = el2 ? "virt,virtualization=on" : "virt";
            string output = ReferenceTools.Run(ReferenceTools.QemuSystem,
                $"-M {machine} -cpu cortex-a53 -nographic -nic none -semihosting -kernel {dir}/t.elf", timeoutMs: 30_000);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => Convert.ToUInt64(l, 16)).ToArray();
        }
        finally { Directory.Delete(dir, true); }
    }
}
