/* SCENARIO=attack (test-only, replaces src/task_table.c in that build): the kernel the attack suite
 * (issue 10, Tests/Attack) boots its hostile bundles on. Tasks 0/1 (UART driver, client: the J4
 * ping-pong) and 7 (idle) are the real ones; the ELF tasks 2-6 get whatever a bundle loads into
 * slots 0-4 (UserImages/attack/). The attackers, tasks 2, 5 and 6, hold every right except those of
 * endpoint 1 (sensor -> logger): a task that may SEND or RECV there could legitimately inject or take
 * readings, and the suite checks that nobody without that right can. Their priority is 5, above the
 * client's 4, so that they run before it (the grant squatter must try to take grant 0 first).
 * Grant ids are assigned to owners here (issue 10, point 5): grant 0 to the client, grant 1 to task 5. */
#include "aegis/task_table.h"
#include "aegis/user_tasks.h"

#define CAPS_UART_DRIVER (CAP_IPC_SEND_EP0 | CAP_IPC_RECV_EP0 | CAP_WRITE | CAP_YIELD | CAP_NOTIFY | \
                          CAP_WAIT_NOTIFY | CAP_GRANT_CREATE | CAP_GRANT_REVOKE | CAP_IRQ_BIND | \
                          CAP_IRQ_ACK | CAP_DEVICE_MAP | CAP_HEARTBEAT)
#define CAPS_CLIENT      (CAP_IPC_SEND_EP0 | CAP_IPC_RECV_EP0 | CAP_WRITE | CAP_YIELD | CAP_NOTIFY | \
                          CAP_WAIT_NOTIFY | CAP_GRANT_CREATE | CAP_GRANT_REVOKE | CAP_HEARTBEAT)
#define CAPS_SENSOR      (CAP_IPC_SEND_EP1 | CAP_WRITE | CAP_YIELD | CAP_HEARTBEAT | CAP_EXIT)
#define CAPS_LOGGER      (CAP_IPC_RECV_EP1 | CAP_WRITE | CAP_YIELD | CAP_EXIT)
#define CAPS_ATTACKER    (CAP_ALL & ~(CAP_IPC_SEND_EP1 | CAP_IPC_RECV_EP1))

const struct task_meta task_meta[NUM_TASKS] = {
    /* caps, priority, budget, heartbeat, grant ids owned */
    { CAPS_UART_DRIVER, 6, 0, 0, 0 },
    { CAPS_CLIENT, 4, 50, 0, GRANT_ID(0) },
    { CAPS_ATTACKER, 5, 0, 0, 0 },   /* 2: slot 0 */
    { CAPS_SENSOR, 5, 10, 0, 0 },    /* 3: slot 1 (sensor, or an attacker with the sensor's rights) */
    { CAPS_LOGGER, 5, 10, 0, 0 },    /* 4: slot 2 (logger, or an attacker with the logger's rights) */
    { CAPS_ATTACKER, 5, 0, 0, GRANT_ID(1) }, /* 5: slot 3 */
    { CAPS_ATTACKER, 5, 0, 0, 0 },   /* 6: slot 4 */
    { CAP_YIELD, 0, 0, 0, 0 },       /* 7: idle, as the safety audit requires */
};

/* The ELF tasks start on the idle placeholder until their image is loaded (src/task_table.c). */
const uint64_t task_boot_entries[NUM_TASKS] = {
    (uint64_t)(uintptr_t)uart_driver_entry, (uint64_t)(uintptr_t)client_entry,
    (uint64_t)(uintptr_t)idle_entry, (uint64_t)(uintptr_t)idle_entry, (uint64_t)(uintptr_t)idle_entry,
    (uint64_t)(uintptr_t)idle_entry, (uint64_t)(uintptr_t)idle_entry, (uint64_t)(uintptr_t)idle_entry,
};
