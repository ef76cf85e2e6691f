/* SCENARIO=misc (test-only, replaces src/task_table.c in that build): the UART receive interrupt
 * bound to a task, a shared-memory grant and its revocation, and a missed heartbeat.
 * Checked by Tests/Kernel/Scenarios.
 *
 *   task 0 uart (prio 6): DEVICE_MAP(UART0), sets PL011 UARTIMSC.RXIM from EL0, IRQ_BIND(33, bit 2),
 *                         then per notification prints the bits and the bytes it reads, and IRQ_ACKs.
 *   task 2 owner (prio 3): GRANT_CREATE(0, peer 3), writes a text into the page, lets the peer read
 *                          it, revokes, asks SYS_WRITE to print the page (refused: deviation 11 unmaps
 *                          the owner too), and tells the peer to read again.
 *   task 3 peer (prio 3):  reads the page at EL0 and prints it; after the revoke its read faults.
 *   task 4 (prio 1):       HEARTBEAT(5), then waits forever: the watchdog faults it (REF §4.4).
 *   task 5 (prio 2):       RECV on ep 2 (so it is ep 2's server), prints the message, then makes an
 *                          unknown syscall (#99): REF §5 faults it.
 *   task 6 (prio 1):       SENDs twice on ep 2: the first reaches the waiting task 5, the second is
 *                          queued while task 5 runs, so task 6 waits on task 5 and is woken by its fault
 *                          with x0 = ERR_IPC_PARTNER_GONE, x1-x3 unchanged (deviation 4). */
#include "aegis/task_table.h"
#include "aegis/user_tasks.h"
#include "aegis/linker.h"
#include "aegis/platform.h"
#include "scenario_lib.h"

#define UARTDR   0x00
#define UARTFR   0x18
#define UARTIMSC 0x38
#define FR_RXFE  0x10
#define IMSC_RX  0x10
#define UART_NOTIFY_BIT 0x4
#define OWNER 2
#define PEER 3

static inline volatile uint32_t *uart_reg(unsigned off) { return (volatile uint32_t *)(UART0_BASE + off); }

__attribute__((noreturn)) static void uart_rx_entry(void)
{
    LINE(l);
    u_device_map(0);
    *uart_reg(UARTIMSC) |= IMSC_RX;
    uint64_t rc = u_irq_bind(UART0_INTID, UART_NOTIFY_BIT);
    l_str(&l, "U:ready bind="); l_hex(&l, rc); l_end(&l);
    for (;;) {
        uint64_t bits = u_wait_notify();
        l_str(&l, "U:irq bits="); l_hex(&l, bits); l_str(&l, " data=");
        while (!(*uart_reg(UARTFR) & FR_RXFE))
            l.b[l.n < sizeof l.b - 2 ? l.n++ : l.n] = (char)(*uart_reg(UARTDR) & 0xFF);
        rc = u_irq_ack(UART0_INTID);
        l_str(&l, " ack="); l_hex(&l, rc); l_end(&l);
    }
}

static const char grant_text[] = "grant-page-text";

static void read_page(struct line *l, const char *who)
{
    volatile const char *page = (volatile const char *)__grant_pages_start; /* grant 0 */
    l_str(l, who); l_hex(l, (uint64_t)(uintptr_t)page); l_str(l, " '");
    for (unsigned i = 0; i < sizeof grant_text - 1; i++)
        l->b[l->n++] = page[i]; /* an EL0 load: faults once the page is gone */
    l_str(l, "'");
    l_end(l);
}

__attribute__((noreturn)) static void owner_entry(void)
{
    LINE(l);
    volatile char *page = (volatile char *)__grant_pages_start;
    uint64_t rc = aegis_syscall(SYS_GRANT_CREATE, PEER, 0, 0, 0, 0).r[0];
    l_str(&l, "G:owner create="); l_hex(&l, rc); l_end(&l);
    for (unsigned i = 0; i < sizeof grant_text; i++)
        page[i] = grant_text[i];
    u_notify(PEER, 0x1);
    u_wait_notify();
    rc = u_grant_revoke(0);
    l_str(&l, "G:owner revoke="); l_hex(&l, rc); l_end(&l);
    /* Deviation 11: revoke unmaps the owner too (REF §7.3 kept it). Its SYS_WRITE of the page, read with its own
     * rights (deviation 7), is refused where an EL0 load would fault (and restart it). */
    rc = aegis_syscall(SYS_WRITE, 0, (uint64_t)(uintptr_t)__grant_pages_start, sizeof grant_text - 1, 0, 0).r[0];
    l_str(&l, "G:owner writes the page="); l_hex(&l, rc); l_end(&l);
    u_notify(PEER, 0x2);
    for (;;)
        u_wait_notify();
}

__attribute__((noreturn)) static void peer_entry(void)
{
    LINE(l);
    say("G:peer wait");
    u_wait_notify();
    read_page(&l, "G:peer reads ");
    u_notify(OWNER, 0x1);
    u_wait_notify();
    say("G:peer reads after revoke");
    read_page(&l, "G:peer still reads ");
    for (;;)
        u_wait_notify();
}

__attribute__((noreturn)) static void heartbeat_entry(void)
{
    u_heartbeat(5);
    say("H:armed");
    for (;;)
        u_wait_notify();
}

__attribute__((noreturn)) static void ep2_server_entry(void)
{
    LINE(l);
    say("V:ready");
    struct msg4 m = u_recv(2);
    l_str(&l, "V:recv"); l_regs(&l, m); l_end(&l);
    aegis_syscall(99, 0, 0, 0, 0, 0); /* no such syscall: the task is faulted */
    for (;;)
        u_yield();
}

__attribute__((noreturn)) static void ep2_sender_entry(void)
{
    LINE(l);
    say("Q:send");
    u_send(2, 0x51, 0x52, 0x53, 0x54);
    struct msg4 r = aegis_syscall(SYS_SEND, 2, 0x61, 0x62, 0x63, 0x64);
    l_str(&l, "Q:gone"); l_regs(&l, r); l_end(&l);
    for (;;)
        u_wait_notify();
}

const struct task_meta task_meta[NUM_TASKS] = {
    /* caps, priority, budget, heartbeat, grant ids owned */
    { CAP_DEVICE_MAP | CAP_IRQ_BIND | CAP_IRQ_ACK | CAP_WAIT_NOTIFY | CAP_WRITE | CAP_YIELD, 6, 0, 0, 0 },
    { CAP_NONE, 0, 0, 0, 0 },
    { CAP_GRANT_CREATE | CAP_GRANT_REVOKE | CAP_NOTIFY | CAP_WAIT_NOTIFY | CAP_WRITE | CAP_YIELD, 3, 0, 0, GRANT_ID(0) },
    { CAP_NOTIFY | CAP_WAIT_NOTIFY | CAP_WRITE | CAP_YIELD, 3, 0, 0, 0 },
    { CAP_HEARTBEAT | CAP_WAIT_NOTIFY | CAP_WRITE | CAP_YIELD, 1, 0, 0, 0 },
    { CAP_IPC_RECV_EP2 | CAP_WRITE | CAP_YIELD, 2, 0, 0, 0 },
    { CAP_IPC_SEND_EP2 | CAP_WAIT_NOTIFY | CAP_WRITE | CAP_YIELD, 1, 0, 0, 0 },
    { CAP_YIELD, 0, 0, 0, 0 }, /* 7 idle, as the safety audit requires */
};

const uint64_t task_boot_entries[NUM_TASKS] = {
    (uint64_t)(uintptr_t)uart_rx_entry, 0,
    (uint64_t)(uintptr_t)owner_entry, (uint64_t)(uintptr_t)peer_entry,
    (uint64_t)(uintptr_t)heartbeat_entry, (uint64_t)(uintptr_t)ep2_server_entry,
    (uint64_t)(uintptr_t)ep2_sender_entry, (uint64_t)(uintptr_t)idle_entry,
};
