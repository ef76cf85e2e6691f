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
/* The tick count as the timer last handed it to sched_tick: the scheduler's clock (fault_tick, heartbeats, restart
 * delay, watchdog). One value for a whole kernel entry: only a tick changes it, and the kernel runs with IRQs
 * masked on one core. */
extern uint64_t sched_now;

#ifdef __FRAMAC__
/* Proof vocabulary (scripts/prove.sh, docs/PROOFS.md), used in ACSL through -pp-annot. Macros rather than ACSL
 * predicates: z3 and CVC4 prove far more when they see the formulas themselves than when they must unfold a
 * predicate. */
#define TASK_ID(t) (0 <= (t) && (t) < NUM_TASKS)
#define TASK_REF(t) (TASK_ID(t) || (t) == NO_TASK)
/* What schedule() may pick: Ready with budget left this epoch. */
#define ELIGIBLE(i) (tcbs[i].state == TASK_READY && (tcbs[i].time_budget == 0 || tcbs[i].ticks_used < tcbs[i].time_budget))
/* Task references in the TCBs name a task or none. */
#define TCBS_OK (current_task < NUM_TASKS && \
    (\forall integer i_; TASK_ID(i_) ==> TASK_REF(tcbs[i_].ipc_partner) && TASK_REF(tcbs[i_].reply_to)))
/* Backlog (priority inheritance): a task runs above its base priority only while it owes the answer to the CALL of
 * a live caller (reply_to names it; the answer, or the caller's death, clears reply_to). */
#define PRIO_OK (\forall integer i_; TASK_ID(i_) ==> \
    (tcbs[i_].priority > tcbs[i_].base_priority ==> tcbs[i_].reply_to != NO_TASK))
/* Round-robin distance: how many places after `old` task i comes (0 for old + 1, NUM_TASKS - 1 for old itself). */
#define RR_DIST(i, old) (((i) + 2 * NUM_TASKS - (old) - 1) % NUM_TASKS)
/* Watchdog (REF §4.4): the task is watched (not Faulted, Inactive or Exited) / its heartbeat is late. */
#define WD_LIVE(i) (tcbs[i].state != TASK_FAULTED && tcbs[i].state != TASK_INACTIVE && tcbs[i].state != TASK_EXITED)
#define WD_MISSED(i) (tcbs[i].heartbeat_interval > 0 && \
    (uint64_t)(sched_now - tcbs[i].last_heartbeat) > tcbs[i].heartbeat_interval)
/* The state changes schedule() may make to one task (the idle task excepted: see schedule). */
#define SCHED_STEP(a, b) ((b) == (a) || ((a) == TASK_RUNNING && (b) == TASK_READY) || \
    ((a) == TASK_READY && (b) == TASK_RUNNING) || ((a) == TASK_FAULTED && ((b) == TASK_READY || (b) == TASK_RUNNING)))
#endif

void sched_init(const uint64_t entries[NUM_TASKS]);
void sched_tick(struct trap_frame *frame, uint64_t now);
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
