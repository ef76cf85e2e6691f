// libsyscall: syscall_raw, for test programs only (the attack suite, UserImages/attack; issue 10), in an object of
// its own so that the REFERENCE §9 programs do not carry it. (nr, x6, a0, a1, a2, a3) -> x7 = nr, x6, x0..x3 = a0..a3;
// the kernel's x0..x3 are stored through x8, where AAPCS64 returns the 32-byte struct regs4 (the kernel preserves x8).
    .section .text.syscall_raw, "ax"
    .global syscall_raw
    .type syscall_raw, %function
    .p2align 2
syscall_raw:
    mov x7, x0
    mov x6, x1
    mov x0, x2
    mov x1, x3
    mov x2, x4
    mov x3, x5
    svc #0
    stp x0, x1, [x8]
    stp x2, x3, [x8, #16]
    ret
