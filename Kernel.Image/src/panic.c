/* Kernel panic (REFERENCE §13.1): print the context and stop. */
#include "aegis/panic.h"
#include "aegis/uart.h"
#include "aegis/arch.h"
#include "aegis/sched.h"
#include "aegis/timer.h"

void kernel_panic(const char *file, unsigned line, const char *msg)
{
    uart_print("\n!!! KERNEL PANIC !!!\n");
    uart_print("  tick: 0x");
    uart_print_hex(timer_tick_count());
    uart_print("\n  task: ");
    uart_print_dec(current_task);
    uart_print("\n  at: ");
    uart_print(file);
    uart_print(":");
    uart_print_dec(line);
    uart_print("\n  ESR_EL1: 0x");
    uart_print_hex(read_sysreg(esr_el1));
    uart_print("\n  FAR_EL1: 0x");
    uart_print_hex(read_sysreg(far_el1));
    uart_print("\n");
    if (msg) {
        uart_print("  ");
        uart_print(msg);
        uart_print("\n");
    }
    halt_forever();
}
