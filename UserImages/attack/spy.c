/* spy (attack suite, issue 10 points 1 and 3): once the keeper (task 6) has its secrets in place, reads TPIDR_EL0
 * (the keeper's value must not be there), then asks SYS_WRITE to print memory it does not own: the keeper's .bss and
 * stack, the logger's stack, the kernel's .bss (the TCBs, with the keeper's saved x28), its own page tables, the boot
 * bundle, and last two unmapped pages inside RAM. For each target one line: how many 256-byte writes the kernel did
 * and how many it refused (x0 = the error code). */
#include "attack.h"

#define CHUNK 256

static void scan(const char *name, uint64_t addr, uint64_t len)
{
    uint64_t written = 0, refused = 0;
    for (uint64_t off = 0; off < len; off += CHUNK) {
        if (sys(SYS_WRITE, 0, addr + off, CHUNK, 0, 0) == addr + off)
            written++;
        else
            refused++;
    }
    struct line l;
    l.n = 0;
    l_str(&l, "\nSPY:"); l_str(&l, name); l_str(&l, " written="); l_dec(&l, written);
    l_str(&l, " refused="); l_dec(&l, refused); l_end(&l);
}

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    struct line l;
    l.n = 0;
    say("SPY:start");
    syscall_wait_notify();

    uint64_t tls;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tls));
    l_str(&l, "SPY:tpidr="); l_hex(&l, tls); l_end(&l);
    syscall_write(&tls, sizeof tls); /* the raw bytes too: the tests look for the keeper's text */

    uint64_t pt = page_tables_start();
    scan("keeper-bss", 0x40111000ULL, PAGE);             /* slot 4's .bss page (user.ld: .bss after 4 KiB of text) */
    scan("keeper-stack", user_stack_of(6), PAGE);
    scan("logger-stack", user_stack_of(4), PAGE);
    scan("kernel-bss", pt - 3 * PAGE, 3 * PAGE);         /* .data/.bss end right below .page_tables */
    scan("own-l3", pt + (3 * 8 + TASK) * PAGE, PAGE);    /* PT_INDEX(task, L3) = 3 x 8 + task */
    scan("bundle", BUNDLE_ADDR, 8 * PAGE);
    scan("unmapped-guard", 0x40118000ULL, CHUNK);        /* __stack_guard */
    scan("unmapped-ram", 0x40150000ULL, CHUNK);          /* above __kernel_end, invalid in every L3 */
    say("\nSPY:done");
    block_forever();
}
