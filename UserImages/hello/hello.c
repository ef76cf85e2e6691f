/* hello (task 2, slot 0; REFERENCE §9): print "L5:ELF ", yield twice, exit with code 0. */
#include "syscall.h"

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    print("L5:ELF ");
    syscall_yield();
    syscall_yield();
    syscall_exit(0);
}
