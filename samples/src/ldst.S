// ldst: A64 loads and stores in every addressing mode, written out in assembly: unsigned offset,
// unscaled (LDUR/STUR), pre- and post-index writeback, register offset with LSL/UXTW/SXTW/SXTX,
// PC-relative literals (LDR literal, LDRSW literal), sign- and zero-extending loads of every size,
// LDP/STP (offset, pre, post; LDPSW), LDNP/STNP, and SP-based addressing. Every loaded value and
// every final base register is stored to a table and printed, then the buffer is hashed.
// Several accesses are unaligned, which is only legal on Normal memory: the MMU is turned on first
// (runtime/mmu.c identity map); with the MMU off they are Device accesses and must fault.
    .macro R reg
    str     \reg, [x19], #8
    .endm

    .text
    .global main
main:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    bl      mmu_on
    adrp    x19, results
    add     x19, x19, :lo12:results
    adrp    x20, buf
    add     x20, x20, :lo12:buf

    // fill buf[0..255] with bytes 0x80 + 3i (so half of them have the sign bit set)
    mov     x0, #0
1:  mov     w1, #3
    mul     w1, w0, w1
    add     w1, w1, #0x80
    strb    w1, [x20, x0]
    add     x0, x0, #1
    cmp     x0, #256
    b.lo    1b

    // unsigned offset, every size, zero- and sign-extending
    ldrb    w0, [x20, #5]
    R x0
    ldrsb   x0, [x20, #5]
    R x0
    ldrsb   w0, [x20, #6]
    R x0
    ldrh    w0, [x20, #8]
    R x0
    ldrsh   x0, [x20, #10]
    R x0
    ldrsh   w0, [x20, #12]
    R x0
    ldr     w0, [x20, #16]
    R x0
    ldrsw   x0, [x20, #20]
    R x0
    ldr     x0, [x20, #24]
    R x0
    ldr     x0, [x20, #4088 & 0xF8]
    R x0

    // unscaled
    add     x21, x20, #64
    ldur    x0, [x21, #-3]
    R x0
    ldursh  x0, [x21, #-1]
    R x0
    ldurb   w0, [x21, #255]
    R x0
    ldr     x1, =0x1122334455667788
    stur    x1, [x21, #-7]
    ldr     x0, [x21, #-8 + 8]
    R x0

    // pre- and post-index writeback
    add     x21, x20, #128
    ldr     x0, [x21, #8]!
    R x0
    R x21
    ldr     w0, [x21], #-12
    R x0
    R x21
    ldrsb   x0, [x21, #-1]!
    R x0
    ldrh    w0, [x21], #3
    R x0
    sub     x1, x21, x20
    R x1
    mov     x1, #0xABCD
    strh    w1, [x21, #2]!
    str     x1, [x21], #16
    strb    w1, [x21, #-1]!
    sub     x1, x21, x20
    R x1

    // register offset
    mov     x2, #5
    ldr     x0, [x20, x2, lsl #3]
    R x0
    ldr     w0, [x20, x2]
    R x0
    mov     w3, #-4
    add     x21, x20, #100
    ldrb    w0, [x21, w3, sxtw]
    R x0
    ldrsh   x0, [x21, w3, sxtw #1]
    R x0
    mov     w4, #7
    ldr     w0, [x20, w4, uxtw #2]
    R x0
    mov     x5, #-2
    ldr     x0, [x21, x5, sxtx #3]
    R x0
    str     w4, [x21, w3, sxtw #2]
    ldr     w0, [x20, #84]
    R x0

    // literals
    ldr     x0, lit64
    R x0
    ldr     w0, lit32
    R x0
    ldrsw   x0, lit32
    R x0

    // pairs
    ldp     x0, x1, [x20, #32]
    R x0
    R x1
    ldp     w0, w1, [x20, #-0 + 40]
    R x0
    R x1
    ldpsw   x0, x1, [x20, #48]
    R x0
    R x1
    add     x21, x20, #160
    ldp     x0, x1, [x21, #-16]!
    R x0
    R x1
    ldp     x0, x1, [x21], #32
    R x0
    R x1
    sub     x1, x21, x20
    R x1
    mov     x2, #0x5A5A
    mov     x3, #0xA5A5
    stp     x2, x3, [x21, #-8]!
    stp     w3, w2, [x21], #-8
    ldnp    x0, x1, [x21, #8]
    R x0
    R x1
    stnp    x3, x2, [x21, #16]
    ldr     x0, [x21, #24]
    R x0

    // SP-based (SP stays 16-byte aligned: SCTLR_EL1.SA is set)
    mov     x22, sp
    sub     sp, sp, #48
    stp     x20, x21, [sp, #16]
    str     x2, [sp]
    ldr     x0, [sp], #16
    R x0
    ldr     x0, [sp, #0]!
    sub     x0, x0, x20
    R x0
    ldr     x0, [sp, #8]
    sub     x0, x0, x20
    R x0
    mov     sp, x22

    // load-acquire / store-release (non-exclusive) and prefetch (no architectural effect)
    prfm    pldl1keep, [x20, #64]
    ldarb   w0, [x20]
    R x0
    add     x21, x20, #200
    stlrh   w2, [x21]
    ldarh   w0, [x21]
    R x0

    // hash the whole buffer (FNV-1a over bytes)
    ldr     x0, =0xCBF29CE484222325
    ldr     x3, =0x100000001B3
    mov     x1, #0
2:  ldrb    w2, [x20, x1]
    eor     x0, x0, x2
    mul     x0, x0, x3
    add     x1, x1, #1
    cmp     x1, #256
    b.lo    2b
    R x0

    // print the table
    adrp    x20, results
    add     x20, x20, :lo12:results
    sub     x19, x19, x20
    lsr     x19, x19, #3
    mov     x21, #0
3:  cmp     x21, x19
    b.hs    4f
    adr     x0, fmt
    mov     x1, x21
    ldr     x2, [x20, x21, lsl #3]
    bl      rt_printf
    add     x21, x21, #1
    b       3b
4:  adr     x0, fmt_n
    mov     x1, x19
    bl      rt_printf
    bl      mmu_off
    mov     w0, #0
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret

    .balign 8
lit64: .quad 0xFEDCBA9876543210
lit32: .word 0x89ABCDEF
fmt:   .asciz "%2lu: %016lx\n"
fmt_n: .asciz "%lu results\n"
    .balign 4
    .ltorg

    .bss
    .balign 16
buf:     .space 256 + 64
results: .space 8 * 128
