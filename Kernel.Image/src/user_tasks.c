/* Tasks 0, 1 and 7 (REFERENCE §9): code of the kernel image executed at EL0, linked into .user_text (deviation 12).
 * Rules for this file: touch no kernel .data/.bss (EL1-only) and call no kernel function (kernel text is EL1-only):
 * only this file's constants, the task's own stack, the grant page and (after DEVICE_MAP) the UART. */
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

/* Deviation 10: a print request carries its bytes in the message registers, so the driver never dereferences a
 * caller's pointer (upstream's (address, length) request made it read, with its own rights, whatever the caller
 * named: a confused deputy). Byte i is bits 8*(i%8) of x[i/8], x3 is the count (1..UART_MSG_MAX). */
static uint8_t msg_byte(const struct msg4 *m, unsigned i)
{
    return (uint8_t)(m->r[i / 8] >> (8 * (i % 8)));
}

/* Task 0: UART driver. Receives print requests on ep 0, writes their bytes straight to the PL011 data register from
 * EL0, answers "OK" (or "NO" for a bad count) with a SEND on ep 0: the answer to that CALL (deviation 9). */
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
        uint64_t n = m.r[3], reply = UART_DRIVER_REPLY_BAD;
        if (n >= 1 && n <= UART_MSG_MAX) {
            for (unsigned i = 0; i < n; i++)
                *(volatile uint8_t *)UART0_BASE = msg_byte(&m, i);
            reply = UART_DRIVER_REPLY_OK;
        }
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
        u_send(UART_EP, reply, 0, 0, 0);
    }
}

/* Task 1: client. Asks the driver to print its text, the bytes in the message registers. It still shares grant 0
 * with the driver (REF §9's boot sequence; the faults scenario keeps a flag there). */
void client_entry(void)
{
    struct msg4 m = { { 0, 0, 0, sizeof client_msg - 1 } };
    for (unsigned i = 0; i < sizeof client_msg - 1; i++)
        m.r[i / 8] |= (uint64_t)(uint8_t)client_msg[i] << (8 * (i % 8));
    u_grant_create(0, 0);
    u_heartbeat(HEARTBEAT_TICKS);
    for (;;) {
        u_heartbeat(HEARTBEAT_TICKS);
        uint64_t r = u_call(UART_EP, m.r[0], m.r[1], m.r[2], m.r[3]);
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
