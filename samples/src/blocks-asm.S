// The straight-line code of blocks.c: long blocks of integer work with a load in the middle (a fault there is taken
// in the middle of a translated block) and a block that writes the next instruction of its own page.

    .text

// uint64_t long_block(uint64_t n, uint64_t seed): n rounds of a 48-instruction register-only body; returns a checksum.
// The body is one block for the translator: an interrupt lands anywhere inside it.
    .global long_block
    .balign 64
long_block:
    mov     x2, x1
    mov     x3, #0x9E37
    movk    x3, #0x79B9, lsl #16
1:  .rept 8
    add     x2, x2, x3
    eor     x2, x2, x2, lsr #7
    add     x4, x2, x0
    orr     x5, x4, x2, lsl #3
    sub     x2, x5, x4, lsr #2
    and     x6, x2, #0xFFFF
    .endr
    subs    x0, x0, #1
    b.ne    1b
    mov     x0, x2
    ret

// uint64_t faulting_block(uint64_t n, uint64_t hole, uint64_t good): n rounds; each round loads from `hole` on odd
// rounds (the load faults in the middle of the block: the handler skips it and writes 0xFA to x0) and from `good` on
// even ones. Returns a checksum that counts the skipped loads' marker.
    .global faulting_block
    .balign 64
faulting_block:
    mov     x9, x0                  // rounds left
    mov     x10, #0                 // checksum
1:  tst     x9, #1
    csel    x11, x1, x2, ne         // the address: hole on odd rounds
    add     x10, x10, x9
    eor     x10, x10, x10, lsl #5
    add     x10, x10, #3
    mov     x0, #0
    ldr     x0, [x11]               // faults on odd rounds: the handler sets x0 = 0xFA and skips it
    add     x10, x10, x0
    eor     x10, x10, x10, lsr #11
    add     x10, x10, #7
    sub     x9, x9, #1
    cbnz    x9, 1b
    mov     x0, x10
    ret

// uint64_t patch_next(uint32_t *slot, uint32_t insn): stores insn over the `movz x0, #1` below (slot must point at
// it), cleans and invalidates the line, and runs the new instruction: code written in the page of the running block.
    .global patch_next, patch_slot
    .balign 64
patch_next:
    str     w1, [x0]
    dc      cvau, x0
    dsb     ish
    ic      ivau, x0
    dsb     ish
    isb
patch_slot:
    movz    x0, #1
    ret
