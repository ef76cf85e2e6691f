// semihost: the semihosting calls a bare-metal program uses besides SYS_EXIT: SYS_WRITEC, SYS_WRITE0,
// SYS_OPEN(":tt") / SYS_CLOSE, then SYS_EXIT_EXTENDED.
// Semihosting console output is a separate stream (QEMU writes it to its stderr); the return values
// are printed on the UART.
#include "rt.h"

static uint64_t semihost(uint64_t op, uint64_t arg)
{
    register uint64_t x0 __asm__("x0") = op;
    register uint64_t x1 __asm__("x1") = arg;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}

int main(void)
{
    printf("semihost: entered at EL%d\n", rt_entry_el);
    static const char c = '*';
    for (int i = 0; i < 3; i++) semihost(0x03, (uint64_t)&c);      // SYS_WRITEC
    semihost(0x04, (uint64_t)"\nSYS_WRITE0 says hello\n");          // SYS_WRITE0
    static const char tt[] = ":tt";
    static uint64_t open_block[3];
    open_block[0] = (uint64_t)tt; open_block[1] = 4; open_block[2] = 3;   // ":tt", mode "w", name length
    int64_t h = (int64_t)semihost(0x01, (uint64_t)open_block);             // SYS_OPEN
    printf("SYS_OPEN(\":tt\", w) -> %s\n", h > 0 ? "a handle" : "error");
    // (SYS_WRITE to ":tt" and SYS_ISTTY reach QEMU's host stdout and depend on whether it is a
    // terminal: not used.)
    static uint64_t handle_block[1];
    handle_block[0] = (uint64_t)h;
    printf("SYS_CLOSE -> %ld\n", (int64_t)semihost(0x02, (uint64_t)handle_block));
    static uint64_t exit_block[2] = { 0x20026, 0 };                       // ADP_Stopped_ApplicationExit, 0
    uart_puts("exiting through SYS_EXIT_EXTENDED\n");
    semihost(0x20, (uint64_t)exit_block);
    return 1;   // not reached
}
