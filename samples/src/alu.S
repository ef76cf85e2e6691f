// alu: A64 data processing written out in assembly, each result (and NZCV where the instruction
// sets flags) stored to a table and printed: ADD/SUB/ADDS/SUBS with immediates, shifted and extended
// registers, ADC/SBC/ADCS/SBCS, CCMP/CCMN, CSEL/CSINC/CSINV/CSNEG/CSET/CSETM, logical immediates,
// MOVZ/MOVN/MOVK, ADR/ADRP, shifts, EXTR, bitfield moves, MADD/MSUB/SMADDL/UMSUBL, 32-bit forms
// that zero the top half, and SP as an operand.
    .macro R reg
    str     \reg, [x19], #8
    .endm
    .macro F                            // record NZCV
    mrs     x9, nzcv
    str     x9, [x19], #8
    .endm

    .text
    .global main
main:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    adrp    x19, results
    add     x19, x19, :lo12:results

    ldr     x0, =0x7FFFFFFFFFFFFFFF
    mov     x1, #1
    movn    x2, #0                      // -1
    ldr     x3, =0x8000000000000000
    ldr     x4, =0x00000000FFFFFFFF
    mov     x5, #0x80

    adds    x10, x0, x1                 // signed overflow: N V
    R x10
    F
    adds    x10, x2, x1                 // carry, zero: Z C
    R x10
    F
    subs    x10, x1, x1                 // Z C
    F
    subs    x10, x3, x1                 // V C
    R x10
    F
    subs    w10, w1, w4                 // 1 - 0xFFFFFFFF in 32 bits
    R x10
    F
    adds    w10, w4, w1                 // 32-bit carry out, result zero
    R x10
    F
    cmn     x2, #1                      // -1 + 1
    F
    cmp     x1, #0xFFF, lsl #12
    F
    add     x10, x0, x4, lsl #7
    R x10
    sub     x10, x0, x4, lsr #3
    R x10
    add     x10, x1, x2, asr #63
    R x10
    add     x10, x1, w2, sxtw #2
    R x10
    add     x10, x1, w2, uxtw #2
    R x10
    sub     x10, x1, w5, sxtb
    R x10
    add     x10, x1, w5, uxtb #4
    R x10
    add     w10, w1, w2, sxth
    R x10

    // carry chain: 128-bit add and subtract
    adds    x10, x2, x1
    adcs    x11, x0, xzr
    R x10
    R x11
    F
    subs    x10, xzr, x1
    sbcs    x11, xzr, xzr
    R x10
    R x11
    F
    msr     nzcv, xzr
    adc     x10, x1, x1
    sbc     x11, x1, x1                 // C clear: 1 - 1 - 1
    R x10
    R x11
    ngc     x10, x1
    R x10

    // conditional compare and select
    cmp     x1, #1
    ccmp    x2, #3, #0b0100, eq         // eq holds: compare -1 with 3
    F
    cmp     x1, #2
    ccmp    x2, #3, #0b0110, eq         // eq fails: flags = #imm
    F
    ccmn    x1, #31, #0, ne
    F
    cmp     x0, x3
    csel    x10, x0, x3, gt
    R x10
    csinc   x10, x0, x3, lt
    R x10
    csinv   x10, x1, x1, vs
    R x10
    csneg   x10, x1, x1, mi
    R x10
    cset    x10, lo
    R x10
    csetm   w10, hs
    R x10
    cinc    x10, x5, ge
    R x10

    // logical
    and     x10, x2, #0x5555555555555555
    R x10
    orr     w10, wzr, #0x0F0F0F0F
    R x10
    eor     x10, x4, #0xFFFF0000FFFF0000
    R x10
    ands    x10, x3, #0x8000000000000000
    R x10
    F
    tst     x1, #2
    F
    bic     x10, x2, x4, ror #16
    R x10
    orn     x10, x1, x3, asr #8
    R x10
    eon     w10, w4, w5, lsl #3
    R x10
    bics    x10, x1, x1
    F

    // moves and addresses
    movz    x10, #0xBEEF, lsl #48
    movk    x10, #0xCAFE, lsl #16
    R x10
    movn    w10, #0x1234, lsl #16
    R x10
    mov     x10, #-2
    R x10
    adr     x10, main
    adrp    x11, main
    sub     x10, x10, x11               // offset of main in its page
    R x10

    // shifts, rotates, bitfields
    lsl     x10, x0, #4
    R x10
    asr     w10, w5, #3
    R x10
    mov     x12, #67
    lsrv    x10, x3, x12                // amount mod 64 = 3
    R x10
    asrv    w10, w3, w12
    R x10
    rorv    x10, x4, x12
    R x10
    extr    x10, x0, x4, #12
    R x10
    ubfiz   x10, x2, #8, #12
    R x10
    sbfiz   x10, x5, #56, #8
    R x10
    bfi     x10, x1, #60, #4
    R x10
    sxtb    x10, w5
    R x10
    uxth    w10, w2
    R x10

    // multiply
    mov     x12, #1000
    madd    x10, x0, x12, x1
    R x10
    msub    x10, x12, x12, x1
    R x10
    smaddl  x10, w2, w12, x1
    R x10
    umsubl  x10, w2, w12, x1
    R x10
    smulh   x10, x3, x2
    R x10
    umulh   x10, x3, x2
    R x10
    mneg    w10, w12, w12
    R x10

    // SP as an operand (extended-register form and immediates)
    mov     x20, sp
    sub     sp, sp, #64
    add     x10, sp, #64
    sub     x10, x10, x20               // 0
    R x10
    add     x11, sp, w12, uxtw
    sub     x10, x11, x20               // 1000 - 64
    R x10
    mov     sp, x20

    // print the table
    adrp    x20, results
    add     x20, x20, :lo12:results
    sub     x19, x19, x20
    lsr     x19, x19, #3                // number of entries
    mov     x21, #0
1:  cmp     x21, x19
    b.hs    2f
    adr     x0, fmt
    mov     x1, x21
    ldr     x2, [x20, x21, lsl #3]
    bl      rt_printf
    add     x21, x21, #1
    b       1b
2:  adr     x0, fmt_n
    mov     x1, x19
    bl      rt_printf
    mov     w0, #0
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret

fmt:   .asciz "%2lu: %016lx\n"
fmt_n: .asciz "%lu results\n"
    .balign 4
    .ltorg

    .bss
    .balign 8
results: .space 8 * 128
