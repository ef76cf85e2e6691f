/* grantee (attack suite, issue 10 point 4; task 6): once the revoker (task 5) revoked grant 1, tries to create
 * grant 1 for itself and, if it may, keeps the secret "GRANT-SECRET-h5K" there. Grant 1 is not assigned to it, so
 * the create must fail. */
#include "attack.h"

static const volatile unsigned char enc_secret[16] = { 0x1D, 0x08, 0x1B, 0x14, 0x0E, 0x77, 0x09, 0x1F, 0x19, 0x08, 0x1F, 0x0E, 0x77, 0x32, 0x6F, 0x11 };

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    struct line l;
    l.n = 0;
    syscall_wait_notify();
    uint64_t rc = syscall_grant_create(1, 2);
    l_str(&l, "G:create1="); l_hex(&l, rc); l_end(&l);
    if (rc == 0)
        reveal((volatile char *)(uintptr_t)grant_page(1), enc_secret, sizeof enc_secret);
    syscall_notify(5, 1);
    block_forever();
}
