/* logger (task 4, slot 2; REFERENCE §9): "LOGGER:init ", then forever RECV on endpoint 1,
 * print "LOG:", the low nibble of the reading as one lowercase hex digit (a 1-byte SYS_WRITE
 * from the stack), " ", and yield. */
#include "syscall.h"

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    print("LOGGER:init ");
    for (;;) {
        uint64_t reading = syscall_recv(1);
        print("LOG:");
        volatile char digit = "0123456789abcdef"[reading & 0xF];
        syscall_write((const void *)&digit, 1);
        print(" ");
        syscall_yield();
    }
}
