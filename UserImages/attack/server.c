/* server (attack suite, issue 10 point 5; task 6): RECV on endpoint 2, prints each message; answers 0xC0FFEE with
 * 0xA11 and 0xC0FFEF with 0xA12 (a SEND on endpoint 2). After its second message it waits for the caller's
 * notification before it receives again, so that the caller's second CALL is queued. */
#include "attack.h"

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    struct line l;
    l.n = 0;
    syscall_notify(2, 1);
    for (unsigned n = 1;; n++) {
        uint64_t m = syscall_recv(2);
        l_str(&l, "S:got="); l_hex(&l, m); l_end(&l);
        if (m == 0xC0FFEE)
            syscall_send(2, 0xA11, 0, 0, 0);
        else if (m == 0xC0FFEF)
            syscall_send(2, 0xA12, 0, 0, 0);
        if (n == 2)
            syscall_wait_notify();
    }
}
