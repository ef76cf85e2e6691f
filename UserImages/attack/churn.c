/* churn (issue 11 point 4, Tests/Attack/ContextSwitchTests): keeps every general register, SP_EL0, NZCV and TPIDR_EL0
 * full of fresh pseudo-random values in an endless loop, and yields now and then. The state is an xorshift64 in x28,
 * seeded per slot; each pass folds it into every other register at a different rotation. About one pass in 64
 * yields through libsyscall's syscall_yield (at that call only x7 = 0 and x30, the return address, are not random).
 * Nothing touches memory (syscall_yield neither), so it runs whatever SP holds. The host's context checker (Aegis.Emu --check context) compares the state the task leaves EL0
 * with, at each timer interrupt and each yield, with the state it resumes with. Built for slots 0, 3 and 4. */
#define STR2(x) #x
#define STR(x) STR2(x)

__asm__(
    ".section .text._start, \"ax\"\n"
    ".global _start\n"
    "_start:\n"
    "    mov x28, #(" STR(SLOT) " + 1)\n"
    "    movk x28, #0x9E37, lsl #48\n"
    "    movk x28, #0x79B9, lsl #32\n"
    "1:  eor x28, x28, x28, lsl #13\n"
    "    eor x28, x28, x28, lsr #7\n"
    "    eor x28, x28, x28, lsl #17\n"
    "    .irp r, 0,1,2,3,4,5,6,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,29,30\n"
    "    eor x\\r, x\\r, x28, ror #(\\r + 1)\n"
    "    .endr\n"
    "    mov sp, x5\n"
    "    msr nzcv, x4\n"
    "    msr tpidr_el0, x3\n"
    "    and x7, x28, #0x3F00\n"
    "    cbnz x7, 1b\n"
    "    bl syscall_yield\n"
    "    b 1b\n");
