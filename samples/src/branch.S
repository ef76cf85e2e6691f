// branch: the 16 condition codes under all 16 NZCV values (B.cond, CSEL and CCMP agree), TBZ/TBNZ
// on every bit position of a 64-bit value, CBZ/CBNZ in 32 and 64 bits (upper half ignored by the
// W forms), BR/BLR/RET through registers and a computed jump table, BL nesting depth.
    .text
    .set .Lidx_eq, 0
    .set .Lidx_ne, 1
    .set .Lidx_cs, 2
    .set .Lidx_cc, 3
    .set .Lidx_mi, 4
    .set .Lidx_pl, 5
    .set .Lidx_vs, 6
    .set .Lidx_vc, 7
    .set .Lidx_hi, 8
    .set .Lidx_ls, 9
    .set .Lidx_ge, 10
    .set .Lidx_lt, 11
    .set .Lidx_gt, 12
    .set .Lidx_le, 13
    .set .Lidx_al, 14
    .set .Lidx_nv, 15

    .global main
main:
    stp     x29, x30, [sp, #-64]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]

    // ---- condition codes: row per NZCV value, one bit per condition from B.cond, CSET, CCMP
    mov     x19, #0                     // NZCV value 0..15
1:  mov     x11, #1
    lsl     x9, x19, #28
    mov     x20, #0                     // bits from B.cond
    mov     x21, #0                     // bits from CSEL
    mov     x22, #0                     // bits from CCMP (Z set by ccmp when cond holds: compares equal)
    .irp cond, eq, ne, cs, cc, mi, pl, vs, vc, hi, ls, ge, lt, gt, le, al, nv
    msr     nzcv, x9
    b.\cond 2f
    b       3f
2:  orr     x20, x20, #(1 << .Lidx_\cond)
3:  msr     nzcv, x9
    csel    x10, x11, xzr, \cond        // (CSET rejects AL/NV)
    orr     x21, x21, x10, lsl #.Lidx_\cond
    msr     nzcv, x9
    ccmp    xzr, xzr, #0, \cond         // cond holds: flags of 0 - 0 (Z); else NZCV = 0
    cset    x10, eq
    orr     x22, x22, x10, lsl #.Lidx_\cond
    .endr
    adr     x0, fmt_cond
    mov     x1, x19
    mov     x2, x20
    mov     x3, x21
    mov     x4, x22
    bl      rt_printf
    add     x19, x19, #1
    cmp     x19, #16
    b.lo    1b

    // ---- TBZ / TBNZ on every bit of a pattern
    ldr     x19, =0xA5C3000F0F0F8001
    mov     x20, #0                     // rebuilt value from TBNZ
    mov     x21, #0                     // rebuilt complement from TBZ
    .irp bit, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
    tbnz    x19, #\bit, 4f
    b       5f
4:  orr     x20, x20, #(1 << \bit)
5:  tbz     x19, #\bit, 6f
    b       7f
6:  orr     x21, x21, #(1 << \bit)
7:
    .endr
    adr     x0, fmt_tb
    mov     x1, x19
    mov     x2, x20
    mov     x3, x21
    bl      rt_printf

    // ---- CBZ / CBNZ: 0x1_0000_0000 is nonzero as X but zero as W
    mov     x19, #0x100000000
    mov     x20, #0
    cbz     w19, 8f
    orr     x20, x20, #1
8:  cbnz    x19, 9f
    orr     x20, x20, #2
9:  cbz     xzr, 10f
    orr     x20, x20, #4
10: cbnz    wzr, 11f
    orr     x20, x20, #8
11: adr     x0, fmt_cb
    mov     x1, x20
    bl      rt_printf

    // ---- indirect branches: a table of handler addresses, BLR through it, BR to a computed label
    adr     x21, handlers
    mov     x22, #0                     // accumulated result
    mov     x23, #0
12: ldr     x9, [x21, x23, lsl #3]
    mov     x0, x23
    blr     x9
    add     x22, x22, x0
    lsl     x22, x22, #4
    add     x23, x23, #1
    cmp     x23, #4
    b.lo    12b
    adr     x9, 13f
    add     x9, x9, #8                  // skip the two instructions after the label
    br      x9
13: orr     x22, x22, #0x1
    orr     x22, x22, #0x2
    orr     x22, x22, #0x4              // the BR lands here
    adr     x0, fmt_ind
    mov     x1, x22
    bl      rt_printf

    // ---- recursion depth through BL/RET
    mov     x0, #200
    bl      depth
    mov     x1, x0
    adr     x0, fmt_depth
    bl      rt_printf

    mov     w0, #0
    ldp     x23, x24, [sp, #48]
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #64
    ret

h0: add     x0, x0, #1
    ret
h1: lsl     x0, x0, #2
    ret
h2: mov     x9, x30                     // RET through another register
    add     x0, x0, #5
    ret     x9
h3: eor     x0, x0, #0xF0
    ret

// depth(n) = n == 0 ? 0 : depth(n - 1) + 3
depth:
    cbz     x0, 1f
    stp     x29, x30, [sp, #-16]!
    sub     x0, x0, #1
    bl      depth
    add     x0, x0, #3
    ldp     x29, x30, [sp], #16
1:  ret

fmt_cond:  .asciz "NZCV %2lu: b.cond %04lx csel %04lx ccmp %04lx\n"
fmt_tb:    .asciz "tbnz/tbz over %016lx: set %016lx clear %016lx\n"
fmt_cb:    .asciz "cbz/cbnz mask %lx\n"
fmt_ind:   .asciz "indirect %lx\n"
fmt_depth: .asciz "depth(200) = %lu\n"
    .balign 8
handlers: .quad h0, h1, h2, h3
    .ltorg
