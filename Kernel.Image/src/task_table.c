/* TASK_META: the static task table (REFERENCE §4.6). Caps are fixed at boot. */
#include "aegis/task_table.h"
#include "aegis/user_tasks.h"

#define CAPS_UART_DRIVER (CAP_IPC_SEND_EP0 | CAP_IPC_RECV_EP0 | CAP_WRITE | CAP_YIELD | CAP_NOTIFY | \
                          CAP_WAIT_NOTIFY | CAP_GRANT_CREATE | CAP_GRANT_REVOKE | CAP_IRQ_BIND | \
                          CAP_IRQ_ACK | CAP_DEVICE_MAP | CAP_HEARTBEAT)
#define CAPS_CLIENT      (CAP_IPC_SEND_EP0 | CAP_IPC_RECV_EP0 | CAP_WRITE | CAP_YIELD | CAP_NOTIFY | \
                          CAP_WAIT_NOTIFY | CAP_GRANT_CREATE | CAP_GRANT_REVOKE | CAP_HEARTBEAT)
#define CAPS_HELLO       (CAP_WRITE | CAP_YIELD | CAP_EXIT)
#define CAPS_SENSOR      (CAP_IPC_SEND_EP1 | CAP_WRITE | CAP_YIELD | CAP_HEARTBEAT | CAP_EXIT)
#define CAPS_LOGGER      (CAP_IPC_RECV_EP1 | CAP_WRITE | CAP_YIELD | CAP_EXIT)

_Static_assert(CAPS_UART_DRIVER == 0x3F0F3, "task 0 caps");
_Static_assert(CAPS_CLIENT == 0x230F3, "task 1 caps");
_Static_assert(CAPS_HELLO == 0x40030, "task 2 caps");
_Static_assert(CAPS_SENSOR == 0x60034, "task 3 caps");
_Static_assert(CAPS_LOGGER == 0x40038, "task 4 caps");

const struct task_meta task_meta[NUM_TASKS] = {
    /* caps, priority, budget, heartbeat, grant ids owned */
    { CAPS_UART_DRIVER, 6, 0, 0, 0 },  /* 0 uart_driver: registers heartbeat 50 itself */
    { CAPS_CLIENT, 4, 50, 0, GRANT_ID(0) }, /* 1 client: registers heartbeat 50 itself; grant 0 is its */
    { CAPS_HELLO, 5, 2, 0, 0 },        /* 2 hello (ELF slot 0) */
    { CAPS_SENSOR, 5, 10, 0, 0 },      /* 3 sensor (ELF slot 1): priority 5, not 4 (docs/PHASE-O-DECISIONS.md Q7) */
    { CAPS_LOGGER, 5, 10, 0, 0 },      /* 4 logger (ELF slot 2): priority 5, not 3 (docs/PHASE-O-DECISIONS.md Q7) */
    { CAP_NONE, 0, 0, 0, 0 },          /* 5 reserved, Inactive */
    { CAP_NONE, 0, 0, 0, 0 },          /* 6 reserved, Inactive */
    { CAP_YIELD, 0, 0, 0, 0 },         /* 7 idle */
};

/* Boot entries: tasks 2-4 run idle_entry until their ELF is loaded; 5/6 stay Inactive. */
const uint64_t task_boot_entries[NUM_TASKS] = {
    (uint64_t)(uintptr_t)uart_driver_entry,
    (uint64_t)(uintptr_t)client_entry,
#ifdef AEGIS_SCENARIO_FAULTS
    (uint64_t)(uintptr_t)scenario_cap_denied_entry,
    (uint64_t)(uintptr_t)scenario_fp_entry,
    (uint64_t)(uintptr_t)scenario_exit_entry,
#else
    (uint64_t)(uintptr_t)idle_entry,
    (uint64_t)(uintptr_t)idle_entry,
    (uint64_t)(uintptr_t)idle_entry,
#endif
    0,
    0,
    (uint64_t)(uintptr_t)idle_entry,
};
