using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.SystemInstructions.SystemTestSupport;

namespace Aegis.Tests.SystemInstructions;

/// <summary>
/// Differential check of traps to EL2: on qemu-system-aarch64 7.2 with virtualization=on, an EL1 program
/// runs instructions that HCR_EL2 (RW, TSC, TVM, TTLB, TWI), CPTR_EL2.TFP and CNTHCTL_EL2 = 0 send to EL2;
/// the EL2 handler prints ESR_EL2 and ELR_EL2 relative to the EL1 code. The emulator must agree.
/// </summary>
public class QemuEl2TrapTests
{
    private static readonly string[] El1Code =
    [
        "hvc #7", "smc #0x33", "msr sctlr_el1, x0", "tlbi vmalle1", "wfi", "fmov d0, x1", "mrs x0, cntpct_el0",
    ];

    private const string Program = """
  adr x0, vec2
  msr vbar_el2, x0
  ldr x0, =((1<<31)|(1<<19)|(1<<26)|(1<<25)|(1<<13))
  msr hcr_el2, x0
  mov x0, #(1<<10)
  msr cptr_el2, x0
  mov x0, #(3<<20)
  msr cpacr_el1, x0
  msr cnthctl_el2, xzr
  mov x0, #0x3c5
  msr spsr_el2, x0
  adr x0, el1
  msr elr_el2, x0
  eret
el1:
  hvc #7
  smc #0x33
  msr sctlr_el1, x0
  tlbi vmalle1
  wfi
  fmov d0, x1
  mrs x0, cntpct_el0
  mrs x2, cntvct_el0
  hvc #0xffff

.balign 2048
vec2:
  .skip 0x400
  b handler          // lower EL AArch64 (offset 0x400)
handler:
  mrs x9, esr_el2
  mov x0, x9
  bl puthex
  mrs x0, elr_el2
  adr x1, el1
  sub x0, x0, x1
  bl puthex
  lsr x11, x9, #26
  cmp x11, #0x16
  b.ne 2f
  and x10, x9, #0xffff
  mov x12, #0xffff
  cmp x10, x12
  b.eq done
  eret
2:
  mrs x0, elr_el2
  add x0, x0, #4
  msr elr_el2, x0
  eret
done:
  b qemu_exit
""";

    [Test]
    public void El2TrapSyndromesMatchQemu()
    {
        string[] lines = QemuBareMetal.RunLines(Program, el2: true);

        // One (ESR, ELR offset) pair per trapping instruction, then the final HVC #0xFFFF
        // (CNTVCT_EL0 after CNTPCT_EL0 is not trapped, so it prints nothing).
        Assert.That(lines, Has.Length.EqualTo(2 * (El1Code.Length + 1)));
        Assert.Multiple(() =>
        {
            for (int i = 0; i < El1Code.Length; i++)
            {
                ulong qemuEsr = Convert.ToUInt64(lines[2 * i], 16);
                ulong qemuElrFromInsn = Convert.ToUInt64(lines[2 * i + 1], 16) - (ulong)(4 * i);
                var h = Harness(El1Code[i], el2: true).AtEl(1);
                h.Cpu.MmuRegs.HCR_EL2 = (1UL << 31) | (1UL << 19) | (1UL << 26) | (1UL << 25) | (1UL << 13);
                h.Cpu.Sys.CPTR_EL2 = 1UL << 10;
                h.Cpu.Sys.CPACR_EL1 = 3UL << 20;
                h.Cpu.Timer.CNTHCTL_EL2 = 0;
                h.Cpu.Run(1);
                Assert.That(h.Cpu.EL, Is.EqualTo(2), El1Code[i]);
                Assert.That(h.Cpu.EsrEl[2], Is.EqualTo(qemuEsr), El1Code[i]);
                Assert.That(h.Cpu.ElrEl[2] - CpuHarness.CodeBase, Is.EqualTo(qemuElrFromInsn), El1Code[i] + " ELR");
            }
            Assert.That(Convert.ToUInt64(lines[^2], 16), Is.EqualTo(0x5A00_FFFFUL));
        });
    }
}
