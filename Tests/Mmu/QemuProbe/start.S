// Bare-metal probe runner: every probe records ESR_ELx of the exception it caused (0 if none) and resumes.
// Built with -DELX=1 (runs at EL1, QEMU -M virt) or -DELX=2 (runs at EL2, -M virt,virtualization=on).
#if ELX == 2
#define VBAR vbar_el2
#define ESR esr_el2
#define ELR elr_el2
#define SPSR spsr_el2
#define SPSR_RESUME 0x3c9
#else
#define VBAR vbar_el1
#define ESR esr_el1
#define ELR elr_el1
#define SPSR spsr_el1
#define SPSR_RESUME 0x3c5
#endif
    .section .text.start
    .global _start
_start:
    ldr     x0, =stack_top
    mov     sp, x0
    adr     x0, vectors
    msr     VBAR, x0
    isb
    bl      main
    // SYS_EXIT (0x18) with ADP_Stopped_ApplicationExit (0x20026), status 0
    ldr     x1, =exit_block
    mov     w0, #0x18
    hlt     #0xf000
1:  b       1b

    .global semihost
semihost:                       // x0 = operation, x1 = parameter
    hlt     #0xf000
    ret

    .balign 2048
vectors:
    .rept 16
    b       handler
    .balign 0x80
    .endr

handler:
    mrs     x9, ESR
    adr     x10, last_esr
    str     x9, [x10]
    adr     x10, resume_pc
    ldr     x10, [x10]
    msr     ELR, x10
    mov     x10, #SPSR_RESUME   // back to ELxh, DAIF masked
    msr     SPSR, x10
    eret

    .macro PROBE name, insn
    .global \name
\name:
    adr     x9, 1f
    adr     x10, resume_pc
    str     x9, [x10]
    adr     x10, last_esr
    str     xzr, [x10]
    ldr     x1, =0xd4000001d65f03c0     // the code page's own contents: ret; svc #0
    \insn
1:  adr     x10, last_esr
    ldr     x0, [x10]
    ret
    .endm

    PROBE probe_read, "ldr x2, [x0]"
    PROBE probe_write, "str x1, [x0]"
    PROBE probe_uread, "ldtr x2, [x0]"
    PROBE probe_uwrite, "sttr x1, [x0]"
    PROBE probe_read32, "ldr w2, [x0]"

    // EL1 instruction fetch: the target is `ret`.
    .global probe_fetch1
probe_fetch1:
    mov     x12, x30
    adr     x9, 1f
    adr     x10, resume_pc
    str     x9, [x10]
    adr     x10, last_esr
    str     xzr, [x10]
    blr     x0
1:  mov     x30, x12
    adr     x10, last_esr
    ldr     x0, [x10]
    ret

    // EL0 instruction fetch: ERET to the target, which is `svc #0` (EC 0x15 = executed).
    .global probe_fetch0
probe_fetch0:
    adr     x9, 1f
    adr     x10, resume_pc
    str     x9, [x10]
    adr     x10, last_esr
    str     xzr, [x10]
    msr     elr_el1, x0
    mov     x9, #0x3c0          // EL0t, DAIF masked
    msr     spsr_el1, x9
    eret
1:  adr     x10, last_esr
    ldr     x0, [x10]
    ret

    .data
    .balign 8
last_esr:   .quad 0
resume_pc:  .quad 0
exit_block: .quad 0x20026, 0
