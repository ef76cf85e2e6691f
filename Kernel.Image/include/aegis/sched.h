/* Priority scheduler with budgets, epochs and watchdog (REFERENCE §4). */
#ifndef AEGIS_SCHED_H
#define AEGIS_SCHED_H
#include "aegis/types.h"

#define NO_TASK 0xFF

struct tcb {
    struct trap_frame context;
    uint8_t state;
    uint16_t id;
    uint64_t stack_top;        /* per-task kernel stack: allocated, unused (REFERENCE §1.3) */
    uint64_t entry_point;
    uint64_t user_stack_top;
    uint64_t fault_tick;
    uint64_t caps;
    uint64_t ttbr0;
    uint64_t notify_pending;
    bool notify_waiting;
    uint8_t priority;          /* effective */
    uint8_t base_priority;
    uint64_t time_budget;      /* 0 = unlimited */
    uint64_t ticks_used;
    uint64_t heartbeat_interval; /* 0 = off */
    uint64_t last_heartbeat;
    /* ours (deviation 4) */
    uint8_t ipc_partner;       /* task this Blocked task waits on, or NO_TASK */
    uint8_t reply_to;          /* caller whose received CALL this task has not answered yet: its one-shot reply right */
    bool reply_gone;           /* that caller faulted or exited before the answer */
    /* ours (deviation 9) */
    uint8_t reply_ep;          /* the endpoint of that CALL: the answer is this task's next SEND there */
    bool calling;              /* this task is queued on an endpoint with a CALL (not a SEND) */
    /* ours (deviation 8): EL0 state the TrapFrame does not hold, switched by schedule() */
    uint64_t tpidr_el0;
    uint64_t tpidrro_el0;
};

extern struct tcb tcbs[NUM_TASKS];
extern unsigned current_task;

void sched_init(const uint64_t entries[NUM_TASKS]);
void schedule(struct trap_frame *frame);
void sched_save_frame(unsigned task, const struct trap_frame *frame);
void sched_load_frame(unsigned task, struct trap_frame *frame);
void fault_current_task(struct trap_frame *frame);
void restart_task(unsigned task);
void epoch_reset(void);
void watchdog_scan(void);
void record_heartbeat(unsigned task, uint64_t interval);
void sys_exit(struct trap_frame *frame, uint64_t code);
void cleanup_task_resources(unsigned task);
__attribute__((noreturn)) void sched_bootstrap(void);
#endif
