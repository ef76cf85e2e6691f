/* keeper (attack suite, issue 10 point 1 and 3): holds secrets and never prints them. "KEEPER-BSS-q7Zr4" in its
 * .bss, "KEEPER-STK-m2Pw9" on its stack, "KPR-X28!" in x28 (saved in its TCB while it is blocked) and "KPR-TLS!" in
 * TPIDR_EL0; "BUNDLE-ONLY-c3Vn" is in its image only (the boot bundle and its own code page). It tells the spy
 * (task 2) that all of it is in place, then waits forever. */
#include "attack.h"

static const volatile unsigned char enc_bss[16] = { 0x11, 0x1F, 0x1F, 0x0A, 0x1F, 0x08, 0x77, 0x18, 0x09, 0x09, 0x77, 0x2B, 0x6D, 0x00, 0x28, 0x6E };
static const volatile unsigned char enc_stack[16] = { 0x11, 0x1F, 0x1F, 0x0A, 0x1F, 0x08, 0x77, 0x09, 0x0E, 0x11, 0x77, 0x37, 0x68, 0x0A, 0x2D, 0x63 };
static const volatile uint64_t enc_x28 = 0x7B62680277080A11ULL, enc_tls = 0x7B09160E77080A11ULL;
const char bundle_marker[] = "BUNDLE-ONLY-c3Vn";
static volatile char bss_secret[16];

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    volatile char stack_secret[16];
    reveal(bss_secret, enc_bss, sizeof bss_secret);
    reveal(stack_secret, enc_stack, sizeof stack_secret);
    __asm__ volatile("" :: "r"(bundle_marker));
    uint64_t x28 = enc_x28 ^ 0x5A5A5A5A5A5A5A5AULL, tls = enc_tls ^ 0x5A5A5A5A5A5A5A5AULL;
    /* x28 must hold the secret whenever the kernel saves this task's registers: set it, then only call libsyscall
     * (which leaves x28 alone) from here on. */
    __asm__ volatile(
        "msr tpidr_el0, %[tls]\n"
        "mov x28, %[x28]\n"
        "mov x0, #2\n"
        "mov x1, #1\n"
        "bl syscall_notify\n"
        "1: bl syscall_wait_notify\n"
        "b 1b\n"
        :: [tls] "r"(tls), [x28] "r"(x28)
        : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x28", "x30", "memory");
    __builtin_unreachable();
}
