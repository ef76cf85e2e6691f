/* Tasks 0, 1 and 7 (REFERENCE §9): code of the kernel image executed at EL0, linked into .user_text (deviation 12).
 * Rules for this file: touch no kernel .data/.bss (EL1-only) and call no kernel function (kernel text is EL1-only):
 * only this file's constants, the task's own stack, the grant page and (after DEVICE_MAP) the UART. */
#include "aegis/user_tasks.h"
#include "aegis/user_syscall.h"
#include "aegis/linker.h"
#include "aegis/platform.h"

#define UART_EP 0
#define HEARTBEAT_TICKS 50
/* The client reports every 0.5 s of guest time (issue 13: a human rate on the console). */
#define REPORTS_PER_SECOND 2

static const char drv_ready[] = "DRV:ready ";
static const char client_report[] = "J4:UserDrv round trips: ";
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
 * EL0, answers "OK" (or "NO" for a bad count) with a SEND on ep 0: the answer to that CALL (deviation 9). The empty
 * request (all four registers 0) prints nothing and is answered "OK"; a count of 0 with bytes in x0-x2 (upstream's
 * (address, length) request) stays "NO". */
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
        if (n <= UART_MSG_MAX && (n != 0 || (m.r[0] | m.r[1] | m.r[2]) == 0)) {
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

/* Task 1: client. Makes round trips with the driver: each is a HEARTBEAT and a CALL on ep 0, answered by the driver's
 * SEND (REF §9; the hot IPC path the benchmarks measure). It counts them and reports the count through the driver,
 * "J4:UserDrv round trips: <n>\n", after its first round trip and then after each 0.5 s mark of guest time
 * (CNTVCT_EL0); the report's bytes ride in the CALLs that follow, at most UART_MSG_MAX per request, and every other
 * CALL is the empty request. Upstream printed "J4:UserDrv " at every round trip: 8 MB in 2 s of guest time. It still
 * shares grant 0 with the driver (REF §9's boot sequence; the faults scenario keeps a flag there). */
static unsigned put_dec(char *buf, unsigned at, uint64_t v)
{
    unsigned n = 1;
    for (uint64_t t = v; t >= 10; t /= 10)
        n++;
    /* Filled from the last digit back, one loop, not unrolled: no never-run variant for some lengths (coverage). */
#pragma clang loop unroll(disable)
    for (unsigned i = n; i-- > 0; v /= 10)
        buf[at + i] = (char)('0' + v % 10);
    return at + n;
}

void client_entry(void)
{
    char report[sizeof client_report - 1 + 20 + 1];
    unsigned len = 0, sent = 0; /* report[sent..len) still to be printed */
    uint64_t trips = 0, next = 0;
    const uint64_t period = u_clock_freq() / REPORTS_PER_SECOND;
    u_grant_create(0, 0);
    u_heartbeat(HEARTBEAT_TICKS);
    for (;;) {
        uint64_t m[3] = { 0, 0, 0 }, n = 0;
        if (sent < len) {
            n = len - sent < UART_MSG_MAX ? len - sent : UART_MSG_MAX;
            for (unsigned i = 0; i < n; i++)
                m[i / 8] |= (uint64_t)(uint8_t)report[sent + i] << (8 * (i % 8));
            sent += n;
        }
        u_heartbeat(HEARTBEAT_TICKS);
        uint64_t r = u_call(UART_EP, m[0], m[1], m[2], n);
#ifdef AEGIS_SCENARIO_FAULTS
        if (r == ERR_IPC_PARTNER_GONE)
            u_write(partner_gone, sizeof partner_gone - 1);
#endif
        (void)r;
        trips++;
        if (sent == len) {
            uint64_t now = u_clock_now();
            if (now >= next) {
                for (len = 0; len < sizeof client_report - 1; len++)
                    report[len] = client_report[len];
                len = put_dec(report, len, trips);
                report[len++] = '\n';
                sent = 0;
                next = (now / period + 1) * period;
            }
        }
    }
}

/* Task 7 (and the placeholders of tasks 2-4): sleep until the next interrupt. */
void idle_entry(void)
{
    for (;;)
        __asm__ volatile("wfi");
}
