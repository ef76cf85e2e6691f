/* Tasks 0, 1 and 7 (REFERENCE §9): kernel .text executed at EL0.
 * Rules for this file: touch no kernel .data/.bss (EL1-only), only .rodata
 * strings, the task's own stack, the grant page and (after DEVICE_MAP) the UART. */
#include "aegis/user_tasks.h"
#include "aegis/user_syscall.h"
#include "aegis/linker.h"
#include "aegis/platform.h"

#define UART_EP 0
#define HEARTBEAT_TICKS 50

static const char drv_ready[] = "DRV:ready ";
static const char client_msg[] = "J4:UserDrv ";

/* Task 0: UART driver. Receives (buffer, length) on ep 0, writes the bytes straight
 * to the PL011 data register from EL0, answers "OK" with a SEND on ep 0. */
void uart_driver_entry(void)
{
    u_device_map(0);
    u_heartbeat(HEARTBEAT_TICKS);
    u_write(drv_ready, sizeof drv_ready - 1);
    for (;;) {
        u_heartbeat(HEARTBEAT_TICKS);
        struct msg4 m = u_recv(UART_EP);
        const volatile uint8_t *buf = (const volatile uint8_t *)(uintptr_t)m.r[0];
        for (uint64_t i = 0; i < m.r[1]; i++)
            *(volatile uint8_t *)UART0_BASE = buf[i];
        u_send(UART_EP, UART_DRIVER_REPLY_OK, 0, 0, 0);
    }
}

/* Task 1: client. Shares grant page 0 with the driver and asks it to print. */
void client_entry(void)
{
    volatile char *page = (volatile char *)__grant_pages_start; /* grant 0 */
    u_grant_create(0, 0);
    u_heartbeat(HEARTBEAT_TICKS);
    for (;;) {
        u_heartbeat(HEARTBEAT_TICKS);
        for (unsigned i = 0; i < sizeof client_msg - 1; i++)
            page[i] = client_msg[i];
        u_call(UART_EP, (uint64_t)(uintptr_t)__grant_pages_start, sizeof client_msg - 1, 0, 0);
    }
}

/* Task 7 (and the placeholders of tasks 2-4): sleep until the next interrupt. */
void idle_entry(void)
{
    for (;;)
        __asm__ volatile("wfi");
}
