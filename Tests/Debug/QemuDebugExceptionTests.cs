using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Debug;

/// <summary>
/// Self-hosted debug exceptions (Arm ARM D2), differential against qemu-system-aarch64 7.2 (-M virt -cpu cortex-a53):
/// one bare-metal program configures hardware breakpoints, watchpoints and software step at EL0 and EL1 and prints,
/// for every exception its handler takes, ESR_EL1 and ELR_EL1 (and FAR_EL1 for a watchpoint); the same ELF runs on
/// Aegis.Emu and must print the same lines. Stages: a breakpoint at EL0 after OSLAR_EL1 unlocks the OS lock (EC 0x30;
/// QEMU 7.2 ignores the OS lock, so a breakpoint while it is held is checked against the Arm ARM alone, below); a store watchpoint at EL0 over a doubleword hit by a load
/// (no match), a store to the next doubleword (no match) and a word store inside it (EC 0x34, WnR); software step of three EL0 instructions (EC 0x32,
/// ISV), the handler setting SPSR.SS to go on; a breakpoint at EL1 with MDSCR_EL1.KDE and PSTATE.D clear (EC 0x31),
/// and the same with PSTATE.D set (nothing fires); a masked 16-byte load watchpoint at EL1 (EC 0x35).
/// </summary>
public sealed class QemuDebugExceptionTests
{
    private const string Program = """
  adr x0, vectors
  msr vbar_el1, x0
  isb
  mrs x0, oslsr_el1
  bl puthex
  // ---- 1: breakpoint on EL0 code after unlocking the OS lock: EC 0x30 ----
  msr oslar_el1, xzr
  isb
  mrs x0, oslsr_el1
  bl puthex
  mov x0, #(1 << 15)                  // MDSCR_EL1.MDE
  msr mdscr_el1, x0
  adr x0, bp_here
  msr dbgbvr0_el1, x0
  mov x0, #0x1e5                      // BAS = 1111, PMC = 10 (EL0), E
  msr dbgbcr0_el1, x0
  isb
  adr x20, stage2
  adr x21, el0_bp
  b to_el0
stage2:
  // ---- 2: store watchpoint on a doubleword at EL0 ----
  adr x0, wdata
  msr dbgwvr0_el1, x0
  ldr x0, =((0xFF << 5) | (2 << 3) | (2 << 1) | 1)   // BAS all, LSC = store, PAC = EL0, E
  msr dbgwcr0_el1, x0
  isb
  adr x20, stage3
  adr x21, el0_wp
  b to_el0
stage3:
  // ---- 3: software step of EL0 code ----
  mov x0, #((1 << 15) | 1)            // MDE | SS
  msr mdscr_el1, x0
  mov x22, #0
  adr x20, stage4
  mov x0, #(1 << 21)                  // SPSR: EL0t, SS = 1 (active-not-pending)
  msr spsr_el1, x0
  adr x0, el0_step
  msr elr_el1, x0
  eret
stage4:
  // ---- 4: breakpoint at EL1, KDE set, PSTATE.D clear: EC 0x31; then with D set: nothing ----
  mov x0, #((1 << 15) | (1 << 13))    // MDE | KDE
  msr mdscr_el1, x0
  adr x0, el1_bp
  msr dbgbvr1_el1, x0
  mov x0, #0x1e3                      // BAS = 1111, PMC = 01 (EL1), E
  msr dbgbcr1_el1, x0
  isb
  msr daifclr, #8
  bl el1_bp
  mov x0, #0x1e3
  msr dbgbcr1_el1, x0                 // the handler disabled it: again, with D set
  msr daifset, #8
  isb
  bl el1_bp
  msr dbgbcr1_el1, xzr
  // ---- 5: load watchpoint at EL1 over 16 bytes (MASK = 4), KDE, D clear: EC 0x35 ----
  adr x0, wdata
  msr dbgwvr1_el1, x0
  ldr x0, =((4 << 24) | (0xFF << 5) | (1 << 3) | (1 << 1) | 1)  // MASK 4, BAS all, LSC = load, PAC = EL1, E
  msr dbgwcr1_el1, x0
  isb
  msr daifclr, #8
  adr x1, wdata
  str x1, [x1, #8]                    // a store: no match
  ldr w2, [x1, #12]                   // hits
  ldr x2, [x1, #16]                   // past the 16 bytes: no match
  msr daifset, #8
  mov x0, #0x5555
  bl puthex
  b qemu_exit

el1_bp:
  nop
  ret

to_el0:
  msr spsr_el1, xzr
  msr elr_el1, x21
  eret

el0_bp:
  nop
bp_here:
  add x9, x9, #1
  svc #1
el0_wp:
  adr x9, wdata
  ldr x10, [x9]
  str x10, [x9, #8]                   // the next doubleword: no match
  str w10, [x9, #4]                   // bytes 4..7: match
  svc #2
el0_step:
  mov x9, #1
  mov x10, #2
  add x11, x9, x10
  svc #3

handler:
  mov x24, x30                        // the interrupted code's LR (puthex is called with bl)
  mrs x0, esr_el1
  bl puthex
  mrs x0, elr_el1
  bl puthex
  mrs x25, esr_el1                    // the handler keeps to x0, x3-x7 (puthex), x24, x25: the EL1 stages' x1 survives
  lsr x25, x25, #26
  cmp x25, #0x15
  b.eq on_svc
  cmp x25, #0x30
  b.eq on_bp0
  cmp x25, #0x31
  b.eq on_bp1
  cmp x25, #0x32
  b.eq on_step
  cmp x25, #0x34
  b.eq on_wp0
  cmp x25, #0x35
  b.eq on_wp1
  b qemu_exit
on_svc:
  mov x0, #0x3c5                      // back to EL1h, DAIF masked
  msr spsr_el1, x0
  msr elr_el1, x20
  mov x30, x24
  eret
on_bp0:
  msr dbgbcr0_el1, xzr
  isb
  mov x30, x24
  eret
on_bp1:
  msr dbgbcr1_el1, xzr
  isb
  mov x30, x24
  eret
on_wp0:
  mrs x0, far_el1
  bl puthex
  msr dbgwcr0_el1, xzr
  isb
  mov x30, x24
  eret
on_wp1:
  mrs x0, far_el1
  bl puthex
  msr dbgwcr1_el1, xzr
  isb
  mov x30, x24
  eret
on_step:
  add x22, x22, #1
  cmp x22, #3
  b.ge 1f
  mrs x0, spsr_el1
  orr x0, x0, #(1 << 21)
  msr spsr_el1, x0
  mov x30, x24
  eret
1:
  mov x0, #(1 << 15)
  msr mdscr_el1, x0
  isb
  mov x30, x24
  eret

.balign 16                            // MASK = 4 watches the aligned 16 bytes; every access here is aligned (Device memory)
wdata:
  .quad 0, 0, 0, 0

.balign 2048
vectors:
  .skip 0x200
  b handler          // current EL, SP_ELx
  .balign 0x80
  .skip 0x180
  b handler          // lower EL AArch64
""";

    [Test]
    public void DebugExceptionsMatchQemu()
    {
        var qemu = QemuBareMetal.RunLines(Program, el2: false);
        var ours = QemuBareMetal.RunOnAegis(QemuBareMetal.BuildElf(Program), el2: false);
        TestContext.Progress.WriteLine("QEMU:  " + string.Join(" ", qemu));
        TestContext.Progress.WriteLine("Aegis: " + string.Join(" ", ours));
        Assert.That(qemu[^1], Is.EqualTo("0000000000005555"), "QEMU ran the whole program");
        Assert.That(ours, Is.EqualTo(qemu));
        // What the lines must contain, from the Arm ARM (so that QEMU is not the only judge).
        var ecs = qemu.Where(l => l.Length == 16).Select(l => Convert.ToUInt64(l, 16) >> 26).ToList();
        foreach (ulong ec in new ulong[] { 0x30, 0x31, 0x32, 0x34, 0x35 })
            Assert.That(ecs, Does.Contain(ec), $"EC 0x{ec:X2} was taken");
    }

    /// <summary>
    /// The OS lock (Arm ARM D2.5, AArch64.GenerateDebugExceptionsFrom): while OSLSR_EL1.OSLK is set (its reset value)
    /// no breakpoint, watchpoint or step exception is generated, whatever MDSCR_EL1 says; OSLAR_EL1 = 0 releases it.
    /// QEMU 7.2 does not model this (it takes the breakpoint), so the Arm ARM is the reference here: the program
    /// prints the breakpoint's ESR only after the unlock.
    /// </summary>
    [Test]
    public void TheOsLockHoldsBackDebugExceptions()
    {
        const string program = """
  adr x0, vectors
  msr vbar_el1, x0
  mov x0, #(1 << 15)                  // MDE
  msr mdscr_el1, x0
  adr x0, bp_here
  msr dbgbvr0_el1, x0
  mov x0, #0x1e5                      // BAS = 1111, PMC = 10 (EL0), E
  msr dbgbcr0_el1, x0
  isb
  adr x20, unlocked
  b to_el0
unlocked:
  mov x0, #0x1111
  bl puthex
  msr oslar_el1, xzr
  isb
  adr x20, done
  b to_el0
done:
  mov x0, #0x5555
  bl puthex
  b qemu_exit
to_el0:
  msr spsr_el1, xzr
  adr x0, el0
  msr elr_el1, x0
  eret
el0:
  nop
bp_here:
  nop
  svc #0
handler:
  mrs x0, esr_el1
  bl puthex
  mrs x25, esr_el1
  lsr x25, x25, #26
  cmp x25, #0x15
  b.ne 1f
  mov x0, #0x3c5
  msr spsr_el1, x0
  msr elr_el1, x20
  eret
1:
  msr dbgbcr0_el1, xzr
  isb
  eret
.balign 2048
vectors:
  .skip 0x200
  b handler
  .balign 0x80
  .skip 0x180
  b handler
""";
        var lines = QemuBareMetal.RunOnAegis(QemuBareMetal.BuildElf(program), el2: false);
        Assert.That(lines, Is.EqualTo(new[]
        {
            "0000000056000000", "0000000000001111",                     // locked: only the SVC
            "00000000C2000022", "0000000056000000", "0000000000005555", // unlocked: the breakpoint (EC 0x30), then the SVC
        }));
    }
}
