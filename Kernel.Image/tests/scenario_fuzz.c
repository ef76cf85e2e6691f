/* SCENARIO=fuzz (test-only, replaces src/task_table.c in that build): the kernel of the attack suite's fuzz campaign
 * (issue 10, Tests/Attack/FuzzCampaignTests). The fuzzers in tasks 2, 5 and 6 hold the rights of SCENARIO=attack
 * (tests/scenario_attack.c): every right but those of endpoint 1, and task 5 owns grant 1. They run next to the sensor
 * and logger (priority 5, 10-tick budgets) at priority 4 with no budget. There is no J4 ping-pong: it would take most
 * of the CPU (its client rarely uses up its budget, docs/PHASE-O-DECISIONS.md Q7), and the fuzzers cannot starve it
 * without its heartbeats failing. Task 0, which the kernel starts first, runs the idle loop; task 1 is Inactive. */
#include "aegis/task_table.h"
#include "aegis/user_tasks.h"

#define CAPS_SENSOR      (CAP_IPC_SEND_EP1 | CAP_WRITE | CAP_YIELD | CAP_HEARTBEAT | CAP_EXIT)
#define CAPS_LOGGER      (CAP_IPC_RECV_EP1 | CAP_WRITE | CAP_YIELD | CAP_EXIT)
#define CAPS_FUZZER      (CAP_ALL & ~(CAP_IPC_SEND_EP1 | CAP_IPC_RECV_EP1))

const struct task_meta task_meta[NUM_TASKS] = {
    /* caps, priority, budget, heartbeat, grant ids owned */
    { CAP_YIELD, 0, 0, 0, 0 },             /* 0: idle loop */
    { CAP_NONE, 0, 0, 0, 0 },              /* 1: Inactive */
    { CAPS_FUZZER, 4, 0, 0, 0 },           /* 2: slot 0 */
    { CAPS_SENSOR, 5, 10, 0, 0 },          /* 3: slot 1, the sensor */
    { CAPS_LOGGER, 5, 10, 0, 0 },          /* 4: slot 2, the logger */
    { CAPS_FUZZER, 4, 0, 0, GRANT_ID(1) }, /* 5: slot 3 */
    { CAPS_FUZZER, 4, 0, 0, 0 },           /* 6: slot 4 */
    { CAP_YIELD, 0, 0, 0, 0 },             /* 7: idle, as the safety audit requires */
};

/* The ELF tasks start on the idle placeholder until their image is loaded (src/task_table.c). */
const uint64_t task_boot_entries[NUM_TASKS] = {
    (uint64_t)(uintptr_t)idle_entry, 0,
    (uint64_t)(uintptr_t)idle_entry, (uint64_t)(uintptr_t)idle_entry, (uint64_t)(uintptr_t)idle_entry,
    (uint64_t)(uintptr_t)idle_entry, (uint64_t)(uintptr_t)idle_entry, (uint64_t)(uintptr_t)idle_entry,
};
