// VBAR_EL1 (or VBAR_EL2 for programs that keep EL2) vector table: every entry saves x0-x30,
// ELR, SPSR, ESR and FAR in a struct rt_frame on the stack and calls rt_exception(frame, kind).
// The C side may change the saved registers, ELR and SPSR; they are restored before ERET.
#include "asm.h"

    .macro  ENTRY kind
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x1, #\kind
    b       save_rest
    .endm

    .section .text.vectors, "ax"
    .balign 0x800
    .global vectors
vectors:
    ENTRY 0     // current EL, SP_EL0: synchronous
    ENTRY 1     //                      IRQ
    ENTRY 2     //                      FIQ
    ENTRY 3     //                      SError
    ENTRY 4     // current EL, SP_ELx
    ENTRY 5
    ENTRY 6
    ENTRY 7
    ENTRY 8     // lower EL, AArch64
    ENTRY 9
    ENTRY 10
    ENTRY 11
    ENTRY 12    // lower EL, AArch32
    ENTRY 13
    ENTRY 14
    ENTRY 15

save_rest:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
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
    mrs     x9, CurrentEL
    cmp     x9, #8
    b.eq    1f
    mrs     x2, elr_el1
    mrs     x3, spsr_el1
    mrs     x4, esr_el1
    mrs     x5, far_el1
    b       2f
1:  mrs     x2, elr_el2
    mrs     x3, spsr_el2
    mrs     x4, esr_el2
    mrs     x5, far_el2
2:  stp     x30, x2, [sp, #240]
    stp     x3, x4, [sp, #256]
    stp     x5, x1, [sp, #272]
    mov     x0, sp
    bl      rt_exception
    ldp     x30, x2, [sp, #240]
    ldr     x3, [sp, #256]
    mrs     x9, CurrentEL
    cmp     x9, #8
    b.eq    3f
    msr     elr_el1, x2
    msr     spsr_el1, x3
    b       4f
3:  msr     elr_el2, x2
    msr     spsr_el2, x3
4:  ldp     x0, x1, [sp, #0]
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
    add     sp, sp, #FRAME_SIZE
    eret
