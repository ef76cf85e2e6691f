/* AegisOS boot (REFERENCE §2 steps 1-9, deviations 1 and 3). */

/* SCTLR_EL1 written when we drop from EL2 (deviation 3): the Armv8.0 RES1 bits
 * (29,28,23,22,20,11) plus nTWE(18), nTWI(16), SA0(4), SA(3), so EL0 wfi/wfe do not
 * trap and stack alignment is checked, as with QEMU's EL1 reset value 0x00C50838. */
#define SCTLR_EL1_FROM_EL2 0x30D50818

    .section .text._start, "ax"
    .global _start
_start:
    mrs     x0, mpidr_el1
    and     x0, x0, #3
    cbz     x0, 2f
1:  wfe                             /* secondary cores park */
    b       1b
2:  ldr     x0, =__stack_end
    mov     sp, x0

    mrs     x0, CurrentEL
    lsr     x0, x0, #2
    and     x0, x0, #3
    cmp     x0, #2
    b.ne    at_el1

    /* EL2 -> EL1 */
    mrs     x0, hcr_el2
    orr     x0, x0, #(1 << 31)      /* RW: EL1 is AArch64 */
    msr     hcr_el2, x0
    mov     x0, #0x33FF
    msr     cptr_el2, x0
    msr     hstr_el2, xzr
    ldr     x0, =SCTLR_EL1_FROM_EL2
    msr     sctlr_el1, x0
    mrs     x0, cnthctl_el2
    orr     x0, x0, #3              /* EL1PCTEN | EL1PCEN */
    msr     cnthctl_el2, x0
    msr     cntvoff_el2, xzr
    mov     x0, #0x3C5              /* EL1h, DAIF masked */
    msr     spsr_el2, x0
    adr     x0, at_el1
    msr     elr_el2, x0
    eret

at_el1:
    ldr     x0, =__stack_end
    mov     sp, x0
    mov     x0, #(1 << 20)          /* CPACR.FPEN = 01: FP/SIMD trapped at EL0 only */
    msr     cpacr_el1, x0
    isb

    /* Zero .bss and the page-table bank (8-byte stores, both ends 16-aligned). */
    ldr     x0, =__bss_start
    ldr     x1, =__page_tables_end
3:  cmp     x0, x1
    b.hs    4f
    str     xzr, [x0], #8
    b       3b
4:
    bl      mmu_init                /* C, MMU still off */

    tlbi    vmalle1
    dsb     ish
    isb
    ldr     x0, =0x04FF4400
    msr     mair_el1, x0
    ldr     x0, =0x5B5993519
    msr     tcr_el1, x0
    bl      mmu_kernel_ttbr0        /* deviation 1: the kernel's own L1 (index 33), ASID 0 */
    msr     ttbr0_el1, x0
    isb
    mrs     x0, sctlr_el1
    ldr     x1, =0x0008100D         /* M | C | SA | I | WXN */
    orr     x0, x0, x1
    msr     sctlr_el1, x0
    isb

    bl      kernel_main
5:  wfe
    b       5b
