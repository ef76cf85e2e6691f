/* Reading user memory with the caller's rights (issue 10, deviation 7). The kernel copies a syscall's buffer with
 * LDTRB, which EL1 executes with EL0 permissions through the caller's TTBR0: a byte the task could not load itself
 * faults here. exception.c sends a data abort taken at uaccess_load to uaccess_fault, so the fault becomes the
 * caller's error code, never a kernel halt. */
    .section .text, "ax"

/* uint64_t copy_from_user(void *dst, uint64_t user_src, uint64_t len): 0, or 1 when a byte faulted. */
    .global copy_from_user
    .type copy_from_user, %function
copy_from_user:
    cbz     x2, 2f
1:
    .global uaccess_load
uaccess_load:
    ldtrb   w3, [x1]
    strb    w3, [x0], #1
    add     x1, x1, #1
    subs    x2, x2, #1
    b.ne    1b
2:  mov     x0, #0
    ret

    .global uaccess_fault
uaccess_fault:
    mov     x0, #1
    ret
