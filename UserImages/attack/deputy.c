/* deputy (attack suite, issue 10 point 5; task 2): asks the UART driver (task 0) to print memory for it. A print
 * request carries its bytes in x0-x2 and their count in x3 (Kernel.Image/src/user_tasks.c); these requests
 * instead pass the old (address, length) pair: 128 bytes of the driver's own stack, then a kernel address. The
 * driver must print neither and must not fault; a proper request ("ATK:regs", 8 bytes) is printed. */
#include "attack.h"

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    struct line l;
    l.n = 0;
    uint64_t driver_stack = user_stack_of(0) + PAGE - 128;
    l_str(&l, "DP:reply1="); l_hex(&l, syscall_call(0, driver_stack, 128, 0, 0)); l_end(&l);
    l_str(&l, "DP:reply2="); l_hex(&l, syscall_call(0, 0x736765723A4B5441ULL /* "ATK:regs" */, 0, 0, 8)); l_end(&l);
    l_str(&l, "DP:reply3="); l_hex(&l, syscall_call(0, 0x40119000ULL, 64, 0, 0)); l_end(&l);
    block_forever();
}
