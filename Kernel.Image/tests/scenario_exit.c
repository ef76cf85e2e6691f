/* SCENARIO=exit (test-only, replaces src/task_table.c in that build): a task that exits while it
 * holds a grant, an IRQ binding, a heartbeat and a queued sender (phase O, SYS_EXIT cleanup).
 * Checked by Tests/Kernel/Scenarios/ExitScenarioTests.
 *
 *   task 0 (prio 1):       prints, then waits for a notification forever (the bootstrap task).
 *   task 2 holder (prio 3): GRANT_CREATE(0, peer 3), IRQ_BIND(33, bit 2), HEARTBEAT(50), RECV on ep 2
 *                           (so it is ep 2's server); after the first message it wakes the peer and
 *                           calls SYS_EXIT(5) while task 6's second SEND is queued on ep 2.
 *   task 3 peer (prio 2):   reads the grant page while the grant is live; once woken after the exit
 *                           it reads again: the page is gone, the read faults (REF §3.3).
 *   task 6 sender (prio 1): SENDs twice on ep 2: the first reaches the waiting holder, the second is
 *                           queued; the holder's exit wakes it with x0 = ERR_IPC_PARTNER_GONE. */
#include "aegis/task_table.h"
#include "aegis/user_tasks.h"
#include "aegis/linker.h"
#include "aegis/platform.h"
#include "scenario_lib.h"

#define HOLDER 2
#define PEER 3
#define EXIT_CODE 5

static void read_page(const char *who)
{
    LINE(l);
    volatile const char *page = (volatile const char *)__grant_pages_start; /* grant 0 */
    l_str(&l, who);
    l.b[l.n++] = page[0]; /* an EL0 load: faults once the grant is gone */
    l_end(&l);
}

__attribute__((noreturn)) static void waiter_entry(void)
{
    say("E:ready");
    for (;;)
        u_wait_notify();
}

__attribute__((noreturn)) static void holder_entry(void)
{
    LINE(l);
    volatile char *page = (volatile char *)__grant_pages_start;
    l_str(&l, "X:grant="); l_hex(&l, u_grant_create(0, PEER)); l_end(&l);
    page[0] = 'g';
    l_str(&l, "X:bind="); l_hex(&l, u_irq_bind(UART0_INTID, 0x4)); l_end(&l);
    l_str(&l, "X:heartbeat="); l_hex(&l, u_heartbeat(50)); l_end(&l);
    struct msg4 m = u_recv(2);
    l_str(&l, "X:recv"); l_regs(&l, m); l_end(&l);
    u_notify(PEER, 0x1);
    say("X:exit");
    u_exit(EXIT_CODE);
    say("X:after exit"); /* never printed: SYS_EXIT does not return */
    for (;;)
        u_yield();
}

__attribute__((noreturn)) static void peer_entry(void)
{
    read_page("P:reads ");
    u_wait_notify();
    say("P:read after exit");
    read_page("P:still reads ");
    for (;;)
        u_wait_notify();
}

__attribute__((noreturn)) static void sender_entry(void)
{
    LINE(l);
    say("Q:send");
    u_send(2, 0x71, 0x72, 0x73, 0x74);
    struct msg4 r = aegis_syscall(SYS_SEND, 2, 0x81, 0x82, 0x83, 0x84);
    l_str(&l, "Q:gone"); l_regs(&l, r); l_end(&l);
    for (;;)
        u_wait_notify();
}

const struct task_meta task_meta[NUM_TASKS] = {
    /* caps, priority, budget, heartbeat, grant ids owned */
    { CAP_WAIT_NOTIFY | CAP_WRITE | CAP_YIELD, 1, 0, 0, 0 },
    { CAP_NONE, 0, 0, 0, 0 },
    { CAP_GRANT_CREATE | CAP_IRQ_BIND | CAP_HEARTBEAT | CAP_IPC_RECV_EP2 | CAP_NOTIFY | CAP_WRITE | CAP_YIELD | CAP_EXIT,
      3, 0, 0, GRANT_ID(0) },
    { CAP_WAIT_NOTIFY | CAP_WRITE | CAP_YIELD, 2, 0, 0, 0 },
    { CAP_NONE, 0, 0, 0, 0 },
    { CAP_NONE, 0, 0, 0, 0 },
    { CAP_IPC_SEND_EP2 | CAP_WAIT_NOTIFY | CAP_WRITE | CAP_YIELD, 1, 0, 0, 0 },
    { CAP_YIELD, 0, 0, 0, 0 }, /* 7 idle, as the safety audit requires */
};

const uint64_t task_boot_entries[NUM_TASKS] = {
    (uint64_t)(uintptr_t)waiter_entry, 0,
    (uint64_t)(uintptr_t)holder_entry, (uint64_t)(uintptr_t)peer_entry,
    0, 0,
    (uint64_t)(uintptr_t)sender_entry, (uint64_t)(uintptr_t)idle_entry,
};
