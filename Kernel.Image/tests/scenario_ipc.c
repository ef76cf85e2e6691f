/* SCENARIO=ipc (test-only, replaces src/task_table.c in that build): IPC payloads, priority
 * inheritance, notification wake-up and deviation 4, checked by Tests/Kernel/Scenarios.
 *
 *   task 0 waiter (prio 4): WAIT_NOTIFY, prints the bits it was woken with.
 *   task 2 server (prio 2): RECV on ep 1, prints x0-x3 of each message; answers the first CALL
 *                           with a SEND of four values; faults (EL0 store to kernel .data) on the 3rd.
 *   task 3 client (prio 5): CALL / SEND / CALL on ep 1, prints what comes back.
 *
 * Priority inheritance (REF §4.5) is observable in the order: right after its first CALL the client
 * makes the waiter Ready (prio 4) and the CALL boosts the server from 2 to 5, so the server's
 * "S:recv" line comes before "W:woken". Without the boost the waiter would print first. */
#include "aegis/task_table.h"
#include "aegis/user_tasks.h"
#include "aegis/linker.h"
#include "scenario_lib.h"

#define EP 1
#define WAITER 0
#define SERVER 2
#define CLIENT 3

__attribute__((noreturn)) static void waiter_entry(void)
{
    LINE(l);
    say("W:wait");
    for (;;) {
        uint64_t bits = u_wait_notify();
        l_str(&l, "W:woken bits="); l_hex(&l, bits); l_end(&l);
    }
}

__attribute__((noreturn)) static void server_entry(void)
{
    LINE(l);
    unsigned n = 0;
    say("S:ready");
    u_notify(CLIENT, 0x1); /* the client may CALL now: we are about to wait in RECV */
    for (;;) {
        struct msg4 m = u_recv(EP);
        n++;
        l_str(&l, "S:recv"); l_regs(&l, m); l_end(&l);
        if (n == 1) {
            u_send(EP, 0x0123456789ABCDEFULL, 0xFEDCBA9876543210ULL, 0x8000000000000001ULL, 0x7FFFFFFFFFFFFFFFULL);
            say("S:replied");
        } else if (n == 2) {
            u_notify(CLIENT, 0x2);
        } else {
            say("S:fault");
            *(volatile uint64_t *)__data_start = 0; /* EL1-only page: permission fault, client waits */
        }
    }
}

__attribute__((noreturn)) static void client_entry_ipc(void)
{
    LINE(l);
    say("C:wait");
    uint64_t bits = u_wait_notify();
    l_str(&l, "C:woken bits="); l_hex(&l, bits); l_end(&l);
    u_notify(WAITER, 0x5);
    struct msg4 r = u_call4(EP, 0xA0A1A2A3A4A5A6A7ULL, 0xB0B1B2B3B4B5B6B7ULL, 0xC0C1C2C3C4C5C6C7ULL, 0xD0D1D2D3D4D5D6D7ULL);
    l_str(&l, "C:reply"); l_regs(&l, r); l_end(&l);
    u_send(EP, 0x1111111111111111ULL, 0x2222222222222222ULL, 0x3333333333333333ULL, 0x4444444444444444ULL);
    bits = u_wait_notify();
    l_str(&l, "C:woken bits="); l_hex(&l, bits); l_end(&l);
    r = u_call4(EP, 0xCA11000000000003ULL, 0x31, 0x32, 0x33);
    l_str(&l, "C:gone"); l_regs(&l, r); l_end(&l);
    u_exit(0);
    for (;;)
        u_yield();
}

const struct task_meta task_meta[NUM_TASKS] = {
    /* caps, priority, budget, heartbeat, grant ids owned */
    { CAP_WRITE | CAP_WAIT_NOTIFY | CAP_YIELD, 4, 0, 0, 0 },
    { CAP_NONE, 0, 0, 0, 0 },
    { CAP_IPC_SEND_EP1 | CAP_IPC_RECV_EP1 | CAP_WRITE | CAP_NOTIFY | CAP_YIELD, 2, 0, 0, 0 },
    { CAP_IPC_SEND_EP1 | CAP_IPC_RECV_EP1 | CAP_WRITE | CAP_NOTIFY | CAP_WAIT_NOTIFY | CAP_YIELD | CAP_EXIT, 5, 0, 0, 0 },
    { CAP_NONE, 0, 0, 0, 0 },
    { CAP_NONE, 0, 0, 0, 0 },
    { CAP_NONE, 0, 0, 0, 0 },
    { CAP_YIELD, 0, 0, 0, 0 }, /* 7 idle, as the safety audit requires */
};

const uint64_t task_boot_entries[NUM_TASKS] = {
    (uint64_t)(uintptr_t)waiter_entry, 0,
    (uint64_t)(uintptr_t)server_entry, (uint64_t)(uintptr_t)client_entry_ipc,
    0, 0, 0, (uint64_t)(uintptr_t)idle_entry,
};
