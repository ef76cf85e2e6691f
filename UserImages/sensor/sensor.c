/* sensor (task 3, slot 1; REFERENCE §9): "SENSOR:init ", then forever SEND on endpoint 1 with
 * x0 = counter (from 0, wrapping), x1 = 0xCAFE, x2 = x3 = 0; print "S "; counter++; yield. */
#include "syscall.h"

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    print("SENSOR:init ");
    for (uint64_t counter = 0;; counter++) {
        syscall_send(1, counter, 0xCAFE, 0, 0);
        print("S ");
        syscall_yield();
    }
}
