/* Exception vectors and TrapFrame save/restore (REFERENCE §3.1, §3.2). */
#include "aegis/abi.h"

    .section .text, "ax"

/* Same-EL entry: frame on the current SP. x0 = frame. */
.macro SAVE_CONTEXT
    sub     sp, sp, #TF_SIZE
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    SAVE_X10_X30
.endm

.macro SAVE_X10_X30
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    str     x30, [sp, #240]
    mrs     x9, sp_el0
    str     x9, [sp, #TF_SP_EL0]
    mrs     x9, elr_el1
    mrs     x10, spsr_el1
    stp     x9, x10, [sp, #TF_ELR_EL1]
    stp     xzr, xzr, [sp, #272]     /* _pad is always 0 */
    mov     x0, sp
.endm

/* Lower-EL entry: stash x9 in TPIDR_EL1, move to the shared stack at __stack_end
 * (the old SP_EL1 is discarded; one core, no nesting), then save everything. */
.macro SAVE_CONTEXT_LOWER
    msr     tpidr_el1, x9
    ldr     x9, =__stack_end
    mov     sp, x9
    sub     sp, sp, #TF_SIZE
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    str     x8, [sp, #64]
    mrs     x9, tpidr_el1
    str     x9, [sp, #72]
    SAVE_X10_X30
.endm

.macro RESTORE_CONTEXT
    ldp     x9, x10, [sp, #TF_ELR_EL1]
    msr     elr_el1, x9
    msr     spsr_el1, x10
    ldr     x9, [sp, #TF_SP_EL0]
    msr     sp_el0, x9
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldr     x30, [sp, #240]
    add     sp, sp, #TF_SIZE
    eret
.endm

    .balign 2048
    .global __exception_vectors
__exception_vectors:
    /* Current EL with SP_EL0 */
    .balign 0x80
    b       exc_sync_cur_sp0
    .balign 0x80
    b       exc_irq_cur
    .balign 0x80
    b       exc_halt_stub
    .balign 0x80
    b       exc_serror_stub
    /* Current EL with SP_ELx */
    .balign 0x80
    b       exc_sync_cur_spx
    .balign 0x80
    b       exc_irq_cur
    .balign 0x80
    b       exc_halt_stub
    .balign 0x80
    b       exc_serror_stub
    /* Lower EL, AArch64 */
    .balign 0x80
    b       exc_sync_lower64
    .balign 0x80
    b       exc_irq_lower64
    .balign 0x80
    b       exc_halt_stub
    .balign 0x80
    b       exc_serror_stub
    /* Lower EL, AArch32: never used */
    .balign 0x80
    b       exc_halt_stub
    .balign 0x80
    b       exc_halt_stub
    .balign 0x80
    b       exc_halt_stub
    .balign 0x80
    b       exc_halt_stub
    .balign 0x80

exc_sync_cur_sp0:
    SAVE_CONTEXT
    mov     x1, #0
    bl      exception_dispatch_sync
    RESTORE_CONTEXT

exc_sync_cur_spx:
    SAVE_CONTEXT
    mov     x1, #1
    bl      exception_dispatch_sync
    RESTORE_CONTEXT

exc_sync_lower64:
    SAVE_CONTEXT_LOWER
    mov     x1, #2
    bl      exception_dispatch_sync
    RESTORE_CONTEXT

exc_irq_cur:
    SAVE_CONTEXT
    bl      exception_dispatch_irq
    RESTORE_CONTEXT

exc_irq_lower64:
    SAVE_CONTEXT_LOWER
    bl      exception_dispatch_irq
    RESTORE_CONTEXT

    .global exc_halt_stub
exc_halt_stub:
    wfe
    b       exc_halt_stub

exc_serror_stub:
    SAVE_CONTEXT
    bl      exception_dispatch_serror
    b       exc_halt_stub
