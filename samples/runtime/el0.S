// rt_el0_enter(fn, arg, stack_top): ERET to EL0t at fn with x0 = arg and SP_EL0 = stack_top;
// fn returns into rt_el0_exit, which issues svc #0xFFFF; rt_exception recognises it and calls
// rt_el0_resume, which returns from rt_el0_enter at EL1 with the callee-saved registers and SP
// as they were (the exception frame is abandoned).
    .section .text, "ax"
    .global rt_el0_enter
rt_el0_enter:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    ldr     x9, =rt_el0_saved_sp
    mov     x10, sp
    str     x10, [x9]
    msr     sp_el0, x2
    msr     elr_el1, x0
    msr     spsr_el1, xzr               // EL0t, DAIF clear
    mov     x0, x1
    ldr     x30, =rt_el0_exit
    eret

    // rt_el1_enter(fn, arg, stack_top), called at EL2: the same for EL1h (SP_EL1 = stack_top, DAIF
    // masked); fn returns into rt_el1_exit, whose hvc #0xFFFF brings the EL2 caller back.
    .global rt_el1_enter
rt_el1_enter:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    ldr     x9, =rt_el0_saved_sp
    mov     x10, sp
    str     x10, [x9]
    msr     sp_el1, x2
    msr     elr_el2, x0
    mov     x9, #0x3C5                  // EL1h, DAIF masked
    msr     spsr_el2, x9
    mov     x0, x1
    ldr     x30, =rt_el1_exit
    eret

    .global rt_el1_exit
rt_el1_exit:
    hvc     #0xFFFF
1:  b       1b

    .global rt_el0_exit
rt_el0_exit:
    svc     #0xFFFF
1:  b       1b

    // Called (by rt_exception's SVC #0xFFFF path) with x0 = the EL0 result: restores the EL1 context.
    .global rt_el0_resume
rt_el0_resume:
    ldr     x9, =rt_el0_saved_sp
    ldr     x10, [x9]
    mov     sp, x10
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #96
    ret

    .section .bss
    .balign 8
rt_el0_saved_sp: .quad 0
