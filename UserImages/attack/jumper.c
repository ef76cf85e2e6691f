/* jumper (attack suite, issue 10 point 2): branches at EL0 to code it was not given. JUMP selects the target:
 *   1 its own image's payload inside the boot bundle (EL1-only RAM at 0x4200_0000): if that runs, the task exits
 *     with code 119;
 *   2 the kernel's _start (0x4008_0000, kernel text);
 *   3 the RAM block at 0x4020_0000 (EL1-only RAM).
 * Each must end in an instruction abort (the task faults); nothing runs there. */
#include "attack.h"

#ifndef BUNDLE_ENTRIES
#define BUNDLE_ENTRIES 5
#endif
#define ELF_TEXT_OFFSET 0x1000ULL /* ld.lld with -z max-page-size=4096 puts the text segment there (a test checks it) */

/* Position independent: runs wherever it is fetched from (the bl is PC-relative, and the bundle holds this whole
 * image, syscall_exit included). */
__attribute__((noreturn, noinline)) void jump_payload(void)
{
    syscall_exit(119);
}

void _start(void);

static uint64_t target(void)
{
#if JUMP == 1
    /* The bundle builder places entry 0's image right after the header and the entry table (docs/BOOT-BUNDLE.md). */
    return BUNDLE_ADDR + 16 + 32 * BUNDLE_ENTRIES + ELF_TEXT_OFFSET
        + ((uint64_t)(uintptr_t)jump_payload - (uint64_t)(uintptr_t)_start);
#elif JUMP == 2
    return 0x40080000ULL;
#else
    return 0x40200000ULL;
#endif
}

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    struct line l;
    l.n = 0;
    uint64_t t = target();
    l_str(&l, "JMP:"); l_dec(&l, TASK); l_str(&l, " to "); l_hex(&l, t); l_end(&l);
    ((void (*)(void))(uintptr_t)t)();
    say("JMP:returned");
    block_forever();
}
