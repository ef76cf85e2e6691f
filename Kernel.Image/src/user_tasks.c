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
#ifdef AEGIS_SCENARIO_FAULTS
static const char partner_gone[] = "J4:PartnerGone ";
#endif

/* Task 0: UART driver. Receives (buffer, length) on ep 0, writes the bytes straight
 * to the PL011 data register from EL0, answers "OK" with a SEND on ep 0. */
void uart_driver_entry(void)
{
#ifdef AEGIS_SCENARIO_FAULTS
    unsigned served = 0;
#endif
    u_device_map(0);
    u_heartbeat(HEARTBEAT_TICKS);
    u_write(drv_ready, sizeof drv_ready - 1);
    for (;;) {
        u_heartbeat(HEARTBEAT_TICKS);
        struct msg4 m = u_recv(UART_EP);
        const volatile uint8_t *buf = (const volatile uint8_t *)(uintptr_t)m.r[0];
        for (uint64_t i = 0; i < m.r[1]; i++)
            *(volatile uint8_t *)UART0_BASE = buf[i];
#ifdef AEGIS_SCENARIO_FAULTS
        /* Scenario: once, before answering the 20th request, store to kernel .data (EL1-only):
         * a permission fault while the client waits for the reply (deviation 4). The restart
         * zeroes this stack, so "once" is remembered in the shared grant page (byte 2048). */
        volatile char *grant = (volatile char *)__grant_pages_start;
        if (++served == 20 && grant[2048] != 'F') {
            grant[2048] = 'F';
            *(volatile uint64_t *)__data_start = 0;
        }
#endif
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
        uint64_t r = u_call(UART_EP, (uint64_t)(uintptr_t)__grant_pages_start, sizeof client_msg - 1, 0, 0);
#ifdef AEGIS_SCENARIO_FAULTS
        if (r == ERR_IPC_PARTNER_GONE)
            u_write(partner_gone, sizeof partner_gone - 1);
#endif
        (void)r;
    }
}

/* Task 7 (and the placeholders of tasks 2-4): sleep until the next interrupt. */
void idle_entry(void)
{
    for (;;)
        __asm__ volatile("wfi");
}

#ifdef AEGIS_SCENARIO_FAULTS
/* Scenario tasks replacing the idle placeholders of tasks 2-4 (not in the committed image). */
void scenario_cap_denied_entry(void) /* task 2: SEND on ep 0 without CAP_IPC_SEND_EP0 */
{
    u_send(0, 1, 2, 3, 4);
    for (;;)
        u_yield();
}

void scenario_fp_entry(void) /* task 3: an FP instruction at EL0 traps (CPACR.FPEN = 01) */
{
    __asm__ volatile(".inst 0x9e6703e0"); /* fmov d0, xzr */
    for (;;)
        u_yield();
}

void scenario_exit_entry(void) /* task 4: SYS_EXIT(7) */
{
    aegis_syscall(SYS_EXIT, 0, 7, 0, 0, 0);
    for (;;)
        u_yield();
}
#endif
