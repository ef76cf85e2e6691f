using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.SystemInstructions;

/// <summary>
/// Differential check of exception syndromes: one bare-metal program runs a list of trapping and
/// UNDEFINED instructions on qemu-system-aarch64 (-M virt -cpu cortex-a53) and prints ESR_EL1 for each;
/// the emulator executes each instruction in the same state and must report the same ESR.
/// </summary>
public class QemuEsrTests
{
    // The program's instructions in order, with the EL and CPACR_EL1 they run with.
    private static readonly (string Insn, int El, ulong Cpacr)[] Cases =
    [
        ("smc #0x11", 1, 0), ("hlt #0x22", 1, 0), ("mrs x0, s3_4_c1_c1_0", 1, 0), ("msr s3_3_c0_c0_1, x0", 1, 0),
        ("mrs x0, s3_0_c15_c15_7", 1, 0), ("fmov d0, x1", 1, 0), ("brk #0x1234", 1, 0), ("svc #0x4321", 1, 0),
        ("ILLEGAL RETURN", 1, 0),
        ("mrs x3, cntvct_el0", 0, 1UL << 20), ("mrs x4, ctr_el0", 0, 1UL << 20), ("msr daifset, #2", 0, 1UL << 20),
        ("mrs x1, daif", 0, 1UL << 20), ("mrs x2, cntfrq_el0", 0, 1UL << 20), ("mrs x2, cntp_ctl_el0", 0, 1UL << 20),
        ("mrs x2, pmccntr_el0", 0, 1UL << 20), ("dc cvau, x5", 0, 1UL << 20), ("dc zva, x5", 0, 1UL << 20),
        ("fmov d0, x1", 0, 1UL << 20), ("hvc #1", 0, 1UL << 20), ("mrs x0, sctlr_el1", 0, 1UL << 20), ("eret", 0, 1UL << 20),
    ];

    /// <summary>QEMU 7.2's daif_check swaps Op1 and Op2 in this ISS; the emulator follows the Arm ARM.</summary>
    private const ulong QemuDaifSetEsr = 0x6207_93E4, ArmArmDaifSetEsr = 0x620C_D3E4;

    private const string Program = """
  adr x0, vectors
  msr vbar_el1, x0
  isb
  // ---- EL1 ----
  smc #0x11
  hlt #0x22
  mrs x0, s3_4_c1_c1_0      // HCR_EL2 at EL1
  msr s3_3_c0_c0_1, x0      // CTR_EL0 is read-only
  mrs x0, s3_0_c15_c15_7    // unknown encoding
  fmov d0, x1               // CPACR_EL1.FPEN = 00: trap at EL1
  brk #0x1234
  svc #0x4321
  // illegal return: SPSR = EL2h with NZCV set
  ldr x0, =0xF00003C9
  msr spsr_el1, x0
  adr x0, after_illegal
  msr elr_el1, x0
  eret
after_illegal:
  // ---- drop to EL0 with CPACR.FPEN = 01 ----
  mov x0, #(1 << 20)
  msr cpacr_el1, x0
  mov x0, #0
  msr spsr_el1, x0
  adr x0, el0
  msr elr_el1, x0
  eret
el0:
  mrs x3, cntvct_el0
  mrs x4, ctr_el0
  msr daifset, #2
  mrs x1, daif
  mrs x2, cntfrq_el0
  mrs x2, cntp_ctl_el0
  mrs x2, pmccntr_el0
  dc cvau, x5
  dc zva, x5
  fmov d0, x1
  hvc #1
  mrs x0, sctlr_el1
  eret

  svc #0xffff

.balign 2048
vectors:
  .skip 0x200
  b handler          // current EL, SP_ELx
  .balign 0x80
  .skip 0x180
  b handler          // lower EL AArch64 (offset 0x400)
handler:
  mrs x9, esr_el1
  mov x0, x9
  bl puthex
  mrs x0, spsr_el1
  bl puthex
  and x10, x9, #0xffff
  lsr x11, x9, #26
  cmp x11, #0x15
  b.ne 1f
  mov x12, #0xffff
  cmp x10, x12
  b.eq done
  eret                 // SVC: ELR is already the next instruction
1:
  cmp x11, #0x0E
  b.ne 2f
  mov x0, #0
  msr spsr_el1, x0      // after the illegal state exception continue at EL1 (ELR = after_illegal)
  mov x0, #0x3c5
  msr spsr_el1, x0
  eret
2:
  mrs x0, elr_el1
  add x0, x0, #4
  msr elr_el1, x0
  eret
done:
  b qemu_exit
""";

    [Test]
    public void EsrValuesMatchQemu()
    {
        string[] lines = QemuBareMetal.RunLines(Program, el2: false);

        // Each exception prints ESR_EL1 then SPSR_EL1; the final SVC #0xFFFF ends the program.
        Assert.That(lines, Has.Length.EqualTo(2 * (Cases.Length + 1)));
        var qemuEsr = Enumerable.Range(0, Cases.Length + 1).Select(i => Convert.ToUInt64(lines[2 * i], 16)).ToArray();
        Assert.That(qemuEsr[^1], Is.EqualTo(0x5600_FFFFUL));

        Assert.Multiple(() =>
        {
            for (int i = 0; i < Cases.Length; i++)
            {
                var (insn, el, cpacr) = Cases[i];
                ulong ours = insn == "ILLEGAL RETURN" ? IllegalReturnEsr() : Esr(insn, el, cpacr);
                if (insn == "msr daifset, #2")
                {
                    Assert.That(qemuEsr[i], Is.EqualTo(QemuDaifSetEsr), "QEMU's known value");
                    Assert.That(ours, Is.EqualTo(ArmArmDaifSetEsr), "Arm ARM ISS");
                }
                else
                {
                    Assert.That(ours, Is.EqualTo(qemuEsr[i]), $"{insn} at EL{el}");
                }
            }
            Assert.That(Convert.ToUInt64(lines[2 * 8 + 1], 16), Is.EqualTo(0xF010_03C5UL), "SPSR after the illegal return (QEMU)");
        });
    }

    private static ulong Esr(string insn, int el, ulong cpacr)
    {
        var h = Harness(insn).AtEl(el).SetX(5, CpuHarness.DataBase);
        h.Cpu.Sys.CPACR_EL1 = cpacr;
        h.Cpu.Run(1);
        return h.Cpu.EsrEl[1];
    }

    private static ulong IllegalReturnEsr()
    {
        var h = new CpuHarness(Layout((0, "eret"), (0x100, "nop"), (0xA00, "nop")));
        h.Cpu.VbarEl[1] = CpuHarness.CodeBase + 0x800;
        h.Cpu.SpsrEl[1] = 0xF000_03C9;
        h.Cpu.ElrEl[1] = CpuHarness.CodeBase + 0x100;
        h.Cpu.Run(2);
        return h.Cpu.EsrEl[1];
    }
}
