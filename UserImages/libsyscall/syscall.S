// libsyscall: every `svc` of the user programs is here (REFERENCE §9). AAPCS64 puts the C
// arguments in x0-x5; each stub moves them to the kernel's registers (x6 = endpoint/target/peer,
// x7 = number, x0-x3 = payload) and returns the kernel's x0 (and x1 for syscall_recv2).
    .text

    .macro SYSCALL name, nr
    .section .text.\name, "ax"
    .global \name
    .type \name, %function
    .p2align 2
\name:
    .endm

// (ep, m0, m1, m2, m3) -> x6 = ep, x0..x3 = m0..m3
    SYSCALL syscall_send
    mov x6, x0
    mov x0, x1
    mov x1, x2
    mov x2, x3
    mov x3, x4
    mov x7, #1
    svc #0
    ret

    SYSCALL syscall_call
    mov x6, x0
    mov x0, x1
    mov x1, x2
    mov x2, x3
    mov x3, x4
    mov x7, #3
    svc #0
    ret

    SYSCALL syscall_yield
    mov x7, #0
    svc #0
    ret

// (ep) -> x0 (syscall_recv) or x0, x1 (syscall_recv2, returned as a 16-byte struct in x0/x1)
    SYSCALL syscall_recv
    mov x6, x0
    mov x7, #2
    svc #0
    ret

    SYSCALL syscall_recv2
    mov x6, x0
    mov x7, #2
    svc #0
    ret

// (ptr, len)
    SYSCALL syscall_write
    mov x7, #4
    svc #0
    ret

// (target, bits) -> x6 = target, x0 = bits
    SYSCALL syscall_notify
    mov x6, x0
    mov x0, x1
    mov x7, #5
    svc #0
    ret

    SYSCALL syscall_wait_notify
    mov x7, #6
    svc #0
    ret

// (id, peer) -> x0 = id, x6 = peer
    SYSCALL syscall_grant_create
    mov x6, x1
    mov x7, #7
    svc #0
    ret

    SYSCALL syscall_grant_revoke
    mov x7, #8
    svc #0
    ret

// (intid, bit) -> x0, x1
    SYSCALL syscall_irq_bind
    mov x7, #9
    svc #0
    ret

    SYSCALL syscall_irq_ack
    mov x7, #10
    svc #0
    ret

    SYSCALL syscall_device_map
    mov x7, #11
    svc #0
    ret

    SYSCALL syscall_heartbeat
    mov x7, #12
    svc #0
    ret

// (code): never returns; should the kernel ever come back, trap rather than run on.
    SYSCALL syscall_exit
    mov x7, #13
    svc #0
    udf #0
