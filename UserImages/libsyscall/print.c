/* print: SYS_WRITE of a NUL-terminated string (REFERENCE §9 `print(&str)`). */
#include "syscall.h"

void print(const char *s)
{
    uint64_t n = 0;
    while (s[n] != 0)
        n++;
    syscall_write(s, n);
}
