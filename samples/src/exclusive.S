// exclusive: the local exclusive monitor. LDXR/STXR counters in loops (status 0 each time),
// STXR without a preceding LDXR and after CLREX fails (status 1, memory unchanged), byte / half /
// word / pair exclusives, acquire/release forms (LDAXR/STLXR), and the plain LDAR/STLR.
    .text
    .global main
main:
    stp     x29, x30, [sp, #-48]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]

    // 1000 atomic increments with LDXR/STXR, counting failed attempts
    adrp    x19, counter
    add     x19, x19, :lo12:counter
    mov     x20, #1000
    mov     x21, #0                     // failures
1:  ldxr    x0, [x19]
    add     x0, x0, #3
    stxr    w1, x0, [x19]
    add     x21, x21, x1
    cbnz    w1, 1b
    subs    x20, x20, #1
    b.ne    1b
    ldr     x1, [x19]
    mov     x2, x21
    adr     x0, fmt_counter
    bl      rt_printf

    // STXR with no LDXR before it: the monitor is open, the store must fail
    clrex
    mov     x0, #0x55
    stxr    w2, x0, [x19]
    ldr     x1, [x19]
    adr     x0, fmt_noload
    bl      rt_printf

    // LDXR, CLREX, STXR: fails
    ldxr    x0, [x19]
    clrex
    mov     x0, #0x66
    stxr    w2, x0, [x19]
    ldr     x1, [x19]
    adr     x0, fmt_clrex
    bl      rt_printf

    // LDXR, STXR, STXR again: the first succeeds and closes the monitor, the second fails
    ldxr    x0, [x19]
    add     x0, x0, #1
    stxr    w2, x0, [x19]
    add     x0, x0, #1
    stxr    w3, x0, [x19]
    ldr     x1, [x19]
    adr     x0, fmt_twice
    bl      rt_printf

    // byte, halfword, word exclusives on parts of one doubleword
    adrp    x20, small
    add     x20, x20, :lo12:small
    ldxrb   w0, [x20]
    add     w0, w0, #0x11
    stxrb   w1, w0, [x20]
    add     x10, x20, #2
    ldxrh   w0, [x10]
    add     w0, w0, #0x222
    stxrh   w2, w0, [x10]
    add     x9, x20, #4
    ldxr    w0, [x9]
    add     w0, w0, #1
    stxr    w3, w0, [x9]
    ldr     x4, [x20]
    add     w1, w1, w2
    add     w1, w1, w3
    mov     x2, x4
    adr     x0, fmt_small
    bl      rt_printf

    // pair exclusives: swap the two halves of a 128-bit value
    adrp    x21, pair
    add     x21, x21, :lo12:pair
2:  ldxp    x0, x1, [x21]
    stxp    w2, x1, x0, [x21]
    cbnz    w2, 2b
    ldxp    w3, w4, [x21]               // 32-bit pair: the low doubleword
    stxp    w5, w4, w3, [x21]
    ldp     x1, x2, [x21]
    mov     w3, w5
    adr     x0, fmt_pair
    bl      rt_printf

    // acquire / release forms
    ldaxr   x0, [x19]
    add     x0, x0, #100
    stlxr   w2, x0, [x19]
    ldar    x1, [x19]
    add     x1, x1, #1
    stlr    x1, [x19]
    ldar    x1, [x19]
    ldaxrb  w3, [x20]
    stlxrb  w4, w3, [x20]
    adr     x0, fmt_acqrel
    bl      rt_printf

    // compare-and-swap loop built from exclusives: succeeds once, then fails on a stale value
    mov     x1, #0x1000
    mov     x2, #0x2000
    bl      cas
    mov     x22, x0
    mov     x1, #0x1000
    mov     x2, #0x3000
    bl      cas
    mov     x2, x0
    mov     x1, x22
    ldr     x3, [x19, #8]
    adr     x0, fmt_cas
    bl      rt_printf

    mov     w0, #0
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret

// cas(expected x1, new x2) on counter+8: returns 1 if swapped
cas:
    adrp    x9, counter
    add     x9, x9, :lo12:counter + 8
1:  ldaxr   x10, [x9]
    cmp     x10, x1
    b.ne    2f
    stlxr   w11, x2, [x9]
    cbnz    w11, 1b
    mov     x0, #1
    ret
2:  clrex
    mov     x0, #0
    ret

fmt_counter: .asciz "ldxr/stxr: counter %lu after 1000 increments of 3, %lu failed attempts\n"
fmt_noload:  .asciz "stxr without ldxr: counter %lu, status %u\n"
fmt_clrex:   .asciz "stxr after clrex: counter %lu, status %u\n"
fmt_twice:   .asciz "stxr twice: counter %lu, status %u then %u\n"
fmt_small:   .asciz "byte/half/word exclusives: failures %u, doubleword %016lx\n"
fmt_pair:    .asciz "ldxp/stxp: %016lx %016lx, 32-bit pair status %u\n"
fmt_acqrel:  .asciz "acquire/release: counter %lu, stlxr status %u, byte %02x status %u\n"
fmt_cas:     .asciz "cas: first %lu, second %lu, value %lx\n"
    .balign 4

    .data
    .balign 16
counter: .quad 0, 0x1000
small:   .quad 0x0123456789ABCDEF
    .balign 16              // a 128-bit exclusive pair must be 16-byte aligned
pair:    .quad 0x1111111122222222, 0x3333333344444444
