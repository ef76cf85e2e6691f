/* forger (attack suite, issue 10 point 5; task 5): holds CAP_IPC_SEND_EP2 and tries to answer the caller's CALL
 * in the server's place with a SEND of 0x666. */
#include "attack.h"

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    syscall_wait_notify();
    syscall_send(2, 0x666, 0, 0, 0);
    say("F:sent");
    block_forever();
}
