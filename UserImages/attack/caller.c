/* caller (attack suite, issue 10 point 5; task 2): CALLs the server (task 6) on endpoint 2 twice and prints each
 * reply. The forger (task 5) runs between the first CALL and the server's answer and SENDs 0x666 on endpoint 2:
 * the reply must still be the server's 0xA11. The second CALL is queued while the server is busy; the server's
 * RECV takes it later, and the caller must wait for the server's 0xA12, not get its own message back. */
#include "attack.h"

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    struct line l;
    l.n = 0;
    syscall_wait_notify();          /* the server waits in RECV */
    syscall_notify(5, 1);           /* the forger may go as soon as this task blocks */
    l_str(&l, "C:reply1="); l_hex(&l, syscall_call(2, 0xC0FFEE, 0, 0, 0)); l_end(&l);
    syscall_notify(6, 2);           /* the server RECVs again only now: this CALL is queued first */
    l_str(&l, "C:reply2="); l_hex(&l, syscall_call(2, 0xC0FFEF, 0, 0, 0)); l_end(&l);
    block_forever();
}
