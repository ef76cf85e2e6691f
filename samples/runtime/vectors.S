// VBAR_EL1 (or VBAR_EL2 for programs that keep EL2) vector table: every entry saves x0-x30,
// ELR, SPSR, ESR and FAR in a struct rt_frame on the stack and calls rt_exception(frame, kind).
// The C side may change the saved registers, ELR and SPSR; they are restored before ERET. When FP/SIMD is
// enabled at the EL taken to (CPACR_EL1.FPEN<0>, or CPTR_EL2.TFP clear at EL2), q0-q31, FPSR and FPCR are
// saved below the frame and restored after the handler, so a handler compiled with SIMD cannot corrupt them.
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
    mov     x19, #0                     // x19 (callee-saved): whether the FP state below was saved
    mrs     x9, CurrentEL
    cmp     x9, #8
    b.eq    5f
    mrs     x10, cpacr_el1
    tbz     x10, #20, 7f
    b       6f
5:  mrs     x10, cptr_el2
    tbnz    x10, #10, 7f
6:  sub     sp, sp, #FP_SIZE
    stp     q0, q1, [sp, #16]
    stp     q2, q3, [sp, #48]
    stp     q4, q5, [sp, #80]
    stp     q6, q7, [sp, #112]
    stp     q8, q9, [sp, #144]
    stp     q10, q11, [sp, #176]
    stp     q12, q13, [sp, #208]
    stp     q14, q15, [sp, #240]
    stp     q16, q17, [sp, #272]
    stp     q18, q19, [sp, #304]
    stp     q20, q21, [sp, #336]
    stp     q22, q23, [sp, #368]
    stp     q24, q25, [sp, #400]
    stp     q26, q27, [sp, #432]
    stp     q28, q29, [sp, #464]
    stp     q30, q31, [sp, #496]
    mrs     x10, fpsr
    mrs     x11, fpcr
    stp     x10, x11, [sp, #0]
    mov     x19, #1
7:  bl      rt_exception
    cbz     x19, 8f
    ldp     q0, q1, [sp, #16]
    ldp     q2, q3, [sp, #48]
    ldp     q4, q5, [sp, #80]
    ldp     q6, q7, [sp, #112]
    ldp     q8, q9, [sp, #144]
    ldp     q10, q11, [sp, #176]
    ldp     q12, q13, [sp, #208]
    ldp     q14, q15, [sp, #240]
    ldp     q16, q17, [sp, #272]
    ldp     q18, q19, [sp, #304]
    ldp     q20, q21, [sp, #336]
    ldp     q22, q23, [sp, #368]
    ldp     q24, q25, [sp, #400]
    ldp     q26, q27, [sp, #432]
    ldp     q28, q29, [sp, #464]
    ldp     q30, q31, [sp, #496]
    ldp     x10, x11, [sp, #0]
    msr     fpsr, x10
    msr     fpcr, x11
    add     sp, sp, #FP_SIZE
8:  ldp     x30, x2, [sp, #240]
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
