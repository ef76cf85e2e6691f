/* revoker (attack suite, issue 10 point 4; task 5, the owner grant 1 is assigned to): creates grant 1 for task 2,
 * writes into it, revokes it, lets task 6 try to create grant 1 for its own secret, then reads the page at EL0.
 * After its own revoke the page must be gone from its address space: the read faults, and whatever task 6 may
 * have put there never reaches this task. */
#include "attack.h"

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    struct line l;
    l.n = 0;
    volatile char *page = (volatile char *)(uintptr_t)grant_page(1);
    l_str(&l, "R:create1="); l_hex(&l, syscall_grant_create(1, 2)); l_end(&l);
    page[0] = 'R';
    l_str(&l, "R:revoke1="); l_hex(&l, syscall_grant_revoke(1)); l_end(&l);
    syscall_notify(6, 1);
    syscall_wait_notify();
    say("R:reading");
    char copy[16];
    for (unsigned i = 0; i < sizeof copy; i++)
        copy[i] = page[i]; /* an EL0 load from a page it no longer has */
    l_str(&l, "R:read="); l_end(&l);
    syscall_write(copy, sizeof copy);
    block_forever();
}
