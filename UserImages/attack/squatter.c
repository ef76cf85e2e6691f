/* squatter (attack suite, issue 10 point 5): runs before the client (priority 5 > 4) and tries to take grant 0,
 * the client's, for itself. The client's GRANT_CREATE of it must still succeed, and the J4 ping-pong run. */
#include "attack.h"

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    struct line l;
    l.n = 0;
    l_str(&l, "SQ:create0="); l_hex(&l, syscall_grant_create(0, 6)); l_end(&l);
    block_forever();
}
