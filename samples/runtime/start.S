// Entry of every guest program (QEMU -kernel jumps here at EL1h, or at EL2h with virtualization=on).
// Records the entry EL, drops from EL2 to EL1 unless the program keeps EL2 (runtime_keep_el2 != 0),
// sets the stack, zeroes .bss, installs the vector table and calls main; main's return value is
// the semihosting exit code.
#include "asm.h"

    .section .text.start, "ax"
    .global _start
_start:
    mrs     x19, CurrentEL
    lsr     x19, x19, #2                // x19 = entry EL, kept until it is stored after .bss is zeroed
    ldr     x0, =__stack_top
    mov     sp, x0
    cmp     x19, #2
    b.ne    el1_entry
    mov     x0, #0x33FF                 // CPTR_EL2: RES1 bits only, TFP = 0: FP/SIMD not trapped to EL2
    msr     cptr_el2, x0
    ldr     x0, =runtime_keep_el2       // weak: 0 when the program does not define it
    cbz     x0, drop_to_el1
    ldr     w0, [x0]
    cbz     w0, drop_to_el1
    ldr     x0, =vectors
    msr     vbar_el2, x0
    isb
    b       fp_on

drop_to_el1:
    mov     x0, #(1 << 31)              // HCR_EL2.RW: EL1 is AArch64; nothing else trapped or routed to EL2
    msr     hcr_el2, x0
    mrs     x0, cnthctl_el2
    orr     x0, x0, #3                  // EL1PCTEN | EL1PCEN: EL1 may use the physical counter and timer
    msr     cnthctl_el2, x0
    msr     cntvoff_el2, xzr
    ldr     x0, =SCTLR_EL1_RESET        // the value QEMU gives SCTLR_EL1 at EL1 entry (nTWI, nTWE set)
    msr     sctlr_el1, x0
    mov     x0, #0x3C5                  // EL1h, DAIF masked
    msr     spsr_el2, x0
    adr     x0, el1_entry
    msr     elr_el2, x0
    eret

el1_entry:
    ldr     x0, =__stack_top
    mov     sp, x0
    ldr     x0, =vectors
    msr     vbar_el1, x0

fp_on:
    mov     x0, #(3 << 20)              // CPACR_EL1.FPEN = 11: FP/SIMD at EL1 and EL0 (the compiler uses it)
    msr     cpacr_el1, x0
    isb
    ldr     x0, =__bss_start
    ldr     x1, =__bss_end
1:  cmp     x0, x1
    b.hs    2f
    str     xzr, [x0], #8
    b       1b
2:  ldr     x0, =rt_entry_el
    str     w19, [x0]
    bl      main
    bl      rt_exit
3:  b       3b

    .weak   runtime_keep_el2
