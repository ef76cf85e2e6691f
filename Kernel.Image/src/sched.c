/* Priority scheduler: 8 tasks, budgets per 100-tick epoch, watchdog, restart
 * (REFERENCE §3.5, §4, §9 SYS_EXIT). Context switches rewrite the TrapFrame in place. */
#include "aegis/sched.h"
#include "aegis/arch.h"
#include "aegis/linker.h"
#include "aegis/mmu.h"
#include "aegis/task_exit.h"
#include "aegis/uart.h"
#ifdef __FRAMAC__
/* Proof vocabulary only: the IPC invariants of the contracts below, and the subscribers named by the `calls` clauses
 * (task_exit.h). The compiled scheduler includes none of them (issue 13). */
#include "aegis/grant.h"
#include "aegis/ipc.h"
#include "aegis/irq.h"

/* What the hooks of task_exit_hooks may assign: the union of the assigns of ipc_cleanup_task, grant_cleanup_task and
 * irq_cleanup_task (their contracts). */
#define TASK_EXIT_ASSIGNS g_keep, endpoints[0 .. MAX_ENDPOINTS - 1], \
    tcbs[0 .. NUM_TASKS - 1].ipc_partner, tcbs[0 .. NUM_TASKS - 1].calling, tcbs[0 .. NUM_TASKS - 1].reply_to, \
    tcbs[0 .. NUM_TASKS - 1].reply_gone, tcbs[0 .. NUM_TASKS - 1].priority, tcbs[0 .. NUM_TASKS - 1].state, \
    tcbs[0 .. NUM_TASKS - 1].context.x[0], grants[0 .. MAX_GRANTS - 1], __page_tables_start[0 .. PT_PAGES * 4096 - 1], \
    bindings[0 .. MAX_IRQ_BINDINGS - 1]
#endif

struct tcb tcbs[NUM_TASKS];
unsigned current_task;
uint64_t sched_now;
static uint64_t epoch_ticks;

/*@ requires \valid_read(entries + (0 .. NUM_TASKS - 1));
    assigns tcbs[0 .. NUM_TASKS - 1];
    ensures \forall integer i; TASK_ID(i) ==> tcbs[i].ipc_partner == NO_TASK && tcbs[i].reply_to == NO_TASK; */
void sched_init(const uint64_t entries[NUM_TASKS])
{
    /*@ loop invariant 0 <= i <= NUM_TASKS;
        loop invariant \forall integer k; 0 <= k < i ==> tcbs[k].ipc_partner == NO_TASK && tcbs[k].reply_to == NO_TASK;
        loop assigns i, tcbs[0 .. NUM_TASKS - 1];
        loop variant NUM_TASKS - i; */
    for (unsigned i = 0; i < NUM_TASKS; i++) {
        struct tcb *t = &tcbs[i];
        t->id = (uint16_t)i;
        t->stack_top = SYM(__task_stacks_start) + (uint64_t)(i + 1) * 4096;
        t->user_stack_top = SYM(__user_stacks_start) + (uint64_t)(i + 1) * 4096;
        t->entry_point = entries[i];
        t->context.elr_el1 = entries[i];
        t->context.spsr_el1 = 0; /* EL0t, DAIF clear */
        t->context.sp_el0 = t->user_stack_top;
        t->state = entries[i] ? TASK_READY : TASK_INACTIVE;
        t->ipc_partner = NO_TASK;
        t->reply_to = NO_TASK;
    }
    uart_print("[AegisOS] scheduler ready (8 tasks, priority-based, EL0)\n");
}

/*@ requires TASK_ID(task) && \valid_read(frame) && \separated(frame, &tcbs[0 .. NUM_TASKS - 1]);
    assigns tcbs[task].context;
    ensures tcbs[task].context == *frame; */
void sched_save_frame(unsigned task, const struct trap_frame *frame)
{
    tcbs[task].context = *frame;
}

/*@ requires TASK_ID(task) && \valid(frame) && \separated(frame, &tcbs[0 .. NUM_TASKS - 1]);
    assigns *frame;
    ensures *frame == tcbs[task].context; */
void sched_load_frame(unsigned task, struct trap_frame *frame)
{
    *frame = tcbs[task].context;
}

/*@ requires \valid_read(t);
    assigns \nothing;
    ensures \result <==> t->state == TASK_READY && (t->time_budget == 0 || t->ticks_used < t->time_budget); */
static bool eligible(const struct tcb *t)
{
    return t->state == TASK_READY && (t->time_budget == 0 || t->ticks_used < t->time_budget);
}

/* Deviation 8: the EL0 registers outside the TrapFrame belong to the task too. TPIDR_EL0 is writable at EL0 (a C
 * runtime's thread pointer); TPIDRRO_EL0 is EL0-readable and set by no one today, kept per task all the same.
 * FP/SIMD is trapped at EL0 (CPACR_EL1.FPEN = 01), so no task has such state yet. */
/*@ requires TASK_ID(old) && TASK_ID(next);
    assigns tcbs[old].tpidr_el0, tcbs[old].tpidrro_el0; */
static void switch_el0_state(unsigned old, unsigned next)
{
    tcbs[old].tpidr_el0 = read_sysreg(tpidr_el0);
    tcbs[old].tpidrro_el0 = read_sysreg(tpidrro_el0);
    write_sysreg(tpidr_el0, tcbs[next].tpidr_el0);
    write_sysreg(tpidrro_el0, tcbs[next].tpidrro_el0);
}

/* P3 (REF §11 #3, the idle guarantee): the highest-priority eligible task, the first one after `old` in round-robin
 * order among equals; NO_TASK (schedule then runs idle) exactly when no task is eligible. An Exited, Inactive,
 * Blocked or Faulted task is never eligible, whatever its priority. */
/*@ requires old < NUM_TASKS;
    assigns \nothing;
    ensures idle: \result == NO_TASK <==> (\forall integer i; TASK_ID(i) ==> !ELIGIBLE(i));
    ensures pick: \result != NO_TASK ==> TASK_ID(\result) && ELIGIBLE(\result) &&
        tcbs[\result].state != TASK_EXITED &&
        \forall integer i; TASK_ID(i) && ELIGIBLE(i) ==> tcbs[i].priority <= tcbs[\result].priority;
    ensures rr: \result != NO_TASK ==> \forall integer i; TASK_ID(i) && ELIGIBLE(i) &&
        tcbs[i].priority == tcbs[\result].priority ==> RR_DIST(\result, old) <= RR_DIST(i, old); */
static unsigned schedule_pick(unsigned old)
{
    int best = -1;
    unsigned next = NO_TASK;
    /*@ loop invariant 0 <= off <= NUM_TASKS && -1 <= best <= 255;
        loop invariant best == -1 <==> next == NO_TASK;
        loop invariant best == -1 ==> \forall integer i; TASK_ID(i) && RR_DIST(i, old) < off ==> !ELIGIBLE(i);
        loop invariant best >= 0 ==> TASK_ID(next) && ELIGIBLE(next) && best == tcbs[next].priority &&
            RR_DIST(next, old) < off;
        loop invariant best >= 0 ==> \forall integer i; TASK_ID(i) && RR_DIST(i, old) < off && ELIGIBLE(i) ==>
            tcbs[i].priority < best || (tcbs[i].priority == best && RR_DIST(next, old) <= RR_DIST(i, old));
        loop assigns off, best, next;
        loop variant NUM_TASKS - off; */
    for (unsigned off = 0; off < NUM_TASKS; off++) {
        unsigned idx = (old + 1 + off) % NUM_TASKS;
        /*@ assert TASK_ID(idx) && RR_DIST(idx, old) == off; */
        if (eligible(&tcbs[idx]) && (int)tcbs[idx].priority > best) { /* strictly higher: ties keep RR order */
            best = tcbs[idx].priority;
            next = idx;
        }
    }
    return next;
}

/* Save the frame, restart the Faulted tasks whose delay is over, run the pick (idle if none), switch.
 * The state changes it may make are SCHED_STEP's (the idle task aside), so no Exited, Inactive or Blocked task ever
 * runs (P3, "including Exited tasks"). */
/*@ requires TCBS_OK && PRIO_OK;
    requires \valid(frame) && \separated(frame, &tcbs[0 .. NUM_TASKS - 1], &current_task);
    assigns tcbs[0 .. NUM_TASKS - 1], current_task, *frame;
    ensures TCBS_OK && PRIO_OK;
    ensures tcbs[current_task].state == TASK_RUNNING;
    ensures \forall integer i; TASK_ID(i) && i != IDLE_TASK_ID ==> SCHED_STEP(\old(tcbs[i].state), tcbs[i].state);
    ensures \forall integer i; TASK_ID(i) ==> tcbs[i].base_priority == \old(tcbs[i].base_priority);
    ensures \forall integer i; TASK_ID(i) && tcbs[i].state != TASK_READY && tcbs[i].state != TASK_RUNNING ==>
        tcbs[i].reply_to == \old(tcbs[i].reply_to) && tcbs[i].ipc_partner == \old(tcbs[i].ipc_partner); */
void schedule(struct trap_frame *frame)
{
    unsigned old = current_task;
    sched_save_frame(old, frame);
    if (tcbs[old].state == TASK_RUNNING)
        tcbs[old].state = TASK_READY;

    uint64_t now = sched_now;
    /*@ loop invariant 0 <= i <= NUM_TASKS && TCBS_OK && PRIO_OK && current_task == old;
        loop invariant \forall integer k; TASK_ID(k) && k != IDLE_TASK_ID ==> SCHED_STEP(\at(tcbs[k].state, Pre), tcbs[k].state);
        loop invariant \forall integer k; TASK_ID(k) ==> tcbs[k].base_priority == \at(tcbs[k].base_priority, Pre);
        loop invariant \forall integer k; TASK_ID(k) && tcbs[k].state != TASK_READY && tcbs[k].state != TASK_RUNNING ==>
            tcbs[k].reply_to == \at(tcbs[k].reply_to, Pre) && tcbs[k].ipc_partner == \at(tcbs[k].ipc_partner, Pre);
        loop assigns i, tcbs[0 .. NUM_TASKS - 1];
        loop variant NUM_TASKS - i; */
    for (unsigned i = 0; i < NUM_TASKS; i++)
        if (tcbs[i].state == TASK_FAULTED && now - tcbs[i].fault_tick >= RESTART_DELAY_TICKS)
            restart_task(i);

    unsigned next = schedule_pick(old);
    if (next == NO_TASK) {
        next = IDLE_TASK_ID;
        if (tcbs[next].state == TASK_FAULTED)
            restart_task(next);
        tcbs[next].state = TASK_READY;
    }

    tcbs[next].state = TASK_RUNNING;
    current_task = next;
    sched_load_frame(next, frame);
    switch_el0_state(old, next);
    write_sysreg(ttbr0_el1, tcbs[next].ttbr0);
    isb();
}

/* Release everything a dead task holds (shared by fault and exit paths): its priority back to base, then every
 * subscribed module's hook (task_exit.h: IPC, grants, IRQ bindings), which the scheduler does not name. */
/*@ requires TASK_ID(task) && TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS;
    assigns tcbs[task].priority, TASK_EXIT_ASSIGNS;
    ensures TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS && IPC_GONE(task); */
void cleanup_task_resources(unsigned task)
{
    tcbs[task].priority = tcbs[task].base_priority;
    /*@ loop invariant 0 <= k <= TASK_EXIT_HOOKS && TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS;
        loop invariant k > 0 ==> IPC_GONE(task);
        loop assigns k, TASK_EXIT_ASSIGNS;
        loop variant TASK_EXIT_HOOKS - k; */
    for (unsigned k = 0; k < TASK_EXIT_HOOKS; k++) {
        /*@ calls ipc_cleanup_task, grant_cleanup_task, irq_cleanup_task; */
        task_exit_hooks[k](task);
    }
}

/*@ requires TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS;
    requires \valid(frame) && \separated(frame, &tcbs[0 .. NUM_TASKS - 1], &current_task);
    assigns tcbs[0 .. NUM_TASKS - 1], current_task, *frame, TASK_EXIT_ASSIGNS;
    ensures TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS && IPC_GONE(\old(current_task)); */
void fault_current_task(struct trap_frame *frame)
{
    unsigned cur = current_task;
    uart_print("[AegisOS] TASK ");
    uart_print_hex(tcbs[cur].id);
    uart_print(" FAULTED\n");
    tcbs[cur].state = TASK_FAULTED;
    tcbs[cur].fault_tick = sched_now;
    cleanup_task_resources(cur);
    schedule(frame);
}

/* P4 (REF §11 #4, the restart state machine): a Faulted task becomes Ready at its entry point with a zeroed context,
 * its stack pointer at the top of its (zeroed) user stack, base priority, no ticks used this epoch, heartbeat = now,
 * and no IPC, notification or EL0 thread state left; a task in any other state is left exactly as it is. */
/*@ requires TASK_ID(task);
    assigns tcbs[task];
    behavior faulted:
      assumes tcbs[task].state == TASK_FAULTED;
      assigns tcbs[task];
      ensures tcbs[task].state == TASK_READY;
      ensures tcbs[task].context.elr_el1 == tcbs[task].entry_point && tcbs[task].context.spsr_el1 == 0;
      ensures tcbs[task].context.sp_el0 == tcbs[task].user_stack_top;
      ensures \forall integer r; 0 <= r < 31 ==> tcbs[task].context.x[r] == 0;
      ensures tcbs[task].priority == tcbs[task].base_priority && tcbs[task].ticks_used == 0;
      ensures tcbs[task].last_heartbeat == sched_now;
      ensures tcbs[task].notify_pending == 0 && !tcbs[task].notify_waiting;
      ensures tcbs[task].ipc_partner == NO_TASK && tcbs[task].reply_to == NO_TASK && !tcbs[task].reply_gone &&
          !tcbs[task].calling;
      ensures tcbs[task].tpidr_el0 == 0 && tcbs[task].tpidrro_el0 == 0;
      ensures tcbs[task].entry_point == \old(tcbs[task].entry_point) &&
          tcbs[task].user_stack_top == \old(tcbs[task].user_stack_top) &&
          tcbs[task].base_priority == \old(tcbs[task].base_priority) && tcbs[task].caps == \old(tcbs[task].caps) &&
          tcbs[task].ttbr0 == \old(tcbs[task].ttbr0) && tcbs[task].time_budget == \old(tcbs[task].time_budget) &&
          tcbs[task].heartbeat_interval == \old(tcbs[task].heartbeat_interval) && tcbs[task].id == \old(tcbs[task].id);
    behavior other:
      assumes tcbs[task].state != TASK_FAULTED;
      assigns \nothing;
    complete behaviors;
    disjoint behaviors; */
void restart_task(unsigned task)
{
    struct tcb *t = &tcbs[task];
    if (t->state != TASK_FAULTED)
        return;
    phys_zero_page(t->user_stack_top - 4096);
    /*@ loop invariant 0 <= i <= 31 && \forall integer r; 0 <= r < i ==> t->context.x[r] == 0;
        loop assigns i, t->context.x[0 .. 30];
        loop variant 31 - i; */
    for (unsigned i = 0; i < 31; i++)
        t->context.x[i] = 0;
    t->context.pad[0] = t->context.pad[1] = 0;
    t->context.elr_el1 = t->entry_point;
    t->context.spsr_el1 = 0;
    t->context.sp_el0 = t->user_stack_top;
    t->state = TASK_READY;
    t->notify_pending = 0;
    t->notify_waiting = false;
    t->priority = t->base_priority;
    t->ticks_used = 0;
    t->last_heartbeat = sched_now;
    t->ipc_partner = NO_TASK;
    t->reply_to = NO_TASK;
    t->reply_gone = false;
    t->calling = false;
    t->tpidr_el0 = t->tpidrro_el0 = 0;
    uart_print("[AegisOS] TASK ");
    uart_print_hex(t->id);
    uart_print(" RESTARTED\n");
}

/* P6 (REF §11 #6): every task's ticks_used is 0 again, except an Inactive or Exited task's, which keeps its own. */
/*@ assigns tcbs[0 .. NUM_TASKS - 1].ticks_used;
    ensures \forall integer i; TASK_ID(i) ==>
        (tcbs[i].state != TASK_INACTIVE && tcbs[i].state != TASK_EXITED ? tcbs[i].ticks_used == 0
                                                                       : tcbs[i].ticks_used == \old(tcbs[i].ticks_used)); */
void epoch_reset(void)
{
    /*@ loop invariant 0 <= i <= NUM_TASKS;
        loop invariant \forall integer k; 0 <= k < i ==>
            (tcbs[k].state != TASK_INACTIVE && tcbs[k].state != TASK_EXITED ? tcbs[k].ticks_used == 0
                                                                           : tcbs[k].ticks_used == \at(tcbs[k].ticks_used, Pre));
        loop invariant \forall integer k; i <= k < NUM_TASKS ==> tcbs[k].ticks_used == \at(tcbs[k].ticks_used, Pre);
        loop assigns i, tcbs[0 .. NUM_TASKS - 1].ticks_used;
        loop variant NUM_TASKS - i; */
    for (unsigned i = 0; i < NUM_TASKS; i++)
        if (tcbs[i].state != TASK_INACTIVE && tcbs[i].state != TASK_EXITED)
            tcbs[i].ticks_used = 0;
}

/* The watchdog's fault of one task (REF §4.4), apart so that the scan's loop below reasons about one call: the task
 * is Faulted with fault_tick = now, at its base priority, no longer waiting for notifications, its IPC cleaned up
 * (P9); nothing else changes but what ipc_cleanup_task may change. Ghost: the task joins g_dead (ipc.h). The
 * assigns name every task's fault_tick and notify_waiting, as the scan's loop does, and the ensures say that only
 * task i's change (the loop-assigns inclusion "tcbs[i] in tcbs[0 .. 7]" did not prove in the scan's context). */
/*@ requires TASK_ID(i) && TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS && DEAD_FREE(NO_TASK);
    assigns g_keep, g_dead[0 .. NUM_TASKS - 1], endpoints[0 .. MAX_ENDPOINTS - 1],
        tcbs[0 .. NUM_TASKS - 1].ipc_partner, tcbs[0 .. NUM_TASKS - 1].calling, tcbs[0 .. NUM_TASKS - 1].reply_to,
        tcbs[0 .. NUM_TASKS - 1].reply_gone, tcbs[0 .. NUM_TASKS - 1].priority, tcbs[0 .. NUM_TASKS - 1].state,
        tcbs[0 .. NUM_TASKS - 1].context.x[0], tcbs[0 .. NUM_TASKS - 1].fault_tick,
        tcbs[0 .. NUM_TASKS - 1].notify_waiting;
    ensures TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS && DEAD_FREE(NO_TASK);
    ensures f_state: tcbs[i].state == TASK_FAULTED;
    ensures f_tick: tcbs[i].fault_tick == now;
    ensures f_prio: tcbs[i].priority == tcbs[i].base_priority;
    ensures f_nw: !tcbs[i].notify_waiting;
    ensures f_dead: g_dead[i];
    ensures o_tick: \forall integer w; TASK_ID(w) && w != i ==> tcbs[w].fault_tick == \old(tcbs[w].fault_tick);
    ensures o_nw: \forall integer w; TASK_ID(w) && w != i ==> tcbs[w].notify_waiting == \old(tcbs[w].notify_waiting);
    ensures o_dead: \forall integer w; TASK_ID(w) && w != i ==> g_dead[w] == \old(g_dead[w]);
    ensures o_base: \forall integer w; TASK_ID(w) ==> tcbs[w].base_priority == \old(tcbs[w].base_priority);
    ensures o_hb: \forall integer w; TASK_ID(w) ==> tcbs[w].heartbeat_interval == \old(tcbs[w].heartbeat_interval) &&
        tcbs[w].last_heartbeat == \old(tcbs[w].last_heartbeat);
    ensures others: \forall integer w; TASK_ID(w) && w != i ==>
        tcbs[w].state == \old(tcbs[w].state) || (\old(tcbs[w].state) == TASK_BLOCKED && tcbs[w].state == TASK_READY);
    ensures others: \forall integer w; TASK_ID(w) && w != i ==>
        tcbs[w].priority == \old(tcbs[w].priority) || tcbs[w].priority == tcbs[w].base_priority; */
static void watchdog_fault(unsigned i, uint64_t now)
{
    struct tcb *t = &tcbs[i];
    uart_print("[AegisOS] WATCHDOG: task ");
    uart_print_hex(i);
    uart_print(" missed heartbeat\n");
    t->state = TASK_FAULTED;
    t->fault_tick = now;
    t->priority = t->base_priority;
    /* A task faulted while blocked in SYS_WAIT_NOTIFY must stop waiting: else a NOTIFY or IRQ
     * would make it Ready and it would resume without its restart (deviation 14). */
    t->notify_waiting = false;
    /*@ ghost g_dead[i] = true; */
    /*@ assert pc: \forall integer w; TASK_ID(w) ==>
            tcbs[w].priority == \at(tcbs[w].priority, Pre) || tcbs[w].priority == tcbs[w].base_priority; */
    /*@ calls ipc_cleanup_task; */
    task_watchdog_hook(i); /* IPC only, as upstream; the interval is kept */
}

/* P5 (REF §11 #5): a task that is not Faulted, Inactive or Exited is faulted exactly when its heartbeat is on
 * (interval > 0) and more than interval ticks have passed since its last beat (unsigned, as the code computes it);
 * then fault_tick = now, base priority, interval kept (as upstream), no longer waiting for notifications
 * (deviation 14), and its IPC cleaned up (P9): no IPC slot names it at the end of the scan, even after the cleanups
 * of the tasks faulted after it. A task in one of those three states keeps it. */
/*@ requires TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS;
    assigns g_keep, g_dead[0 .. NUM_TASKS - 1], endpoints[0 .. MAX_ENDPOINTS - 1],
        tcbs[0 .. NUM_TASKS - 1].ipc_partner, tcbs[0 .. NUM_TASKS - 1].calling, tcbs[0 .. NUM_TASKS - 1].reply_to,
        tcbs[0 .. NUM_TASKS - 1].reply_gone, tcbs[0 .. NUM_TASKS - 1].priority, tcbs[0 .. NUM_TASKS - 1].state,
        tcbs[0 .. NUM_TASKS - 1].context.x[0], tcbs[0 .. NUM_TASKS - 1].fault_tick,
        tcbs[0 .. NUM_TASKS - 1].notify_waiting;
    ensures TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS;
    ensures missed: \forall integer i; TASK_ID(i) && \old(WD_LIVE(i)) && \old(WD_MISSED(i)) ==>
        tcbs[i].state == TASK_FAULTED && tcbs[i].fault_tick == sched_now && tcbs[i].priority == tcbs[i].base_priority &&
        tcbs[i].heartbeat_interval == \old(tcbs[i].heartbeat_interval) && IPC_GONE(i) && !tcbs[i].notify_waiting;
    ensures kept: \forall integer i; TASK_ID(i) && \old(WD_LIVE(i)) && !\old(WD_MISSED(i)) ==> tcbs[i].state != TASK_FAULTED;
    ensures kept: \forall integer i; TASK_ID(i) && !\old(WD_LIVE(i)) ==> tcbs[i].state == \old(tcbs[i].state); */
void watchdog_scan(void)
{
    uint64_t now = sched_now;
    /*@ ghost
        /@ loop invariant 0 <= k <= NUM_TASKS && \forall integer j; 0 <= j < k ==> !g_dead[j];
           loop assigns k, g_dead[0 .. NUM_TASKS - 1];
           loop variant NUM_TASKS - k; @/
        for (int k = 0; k < NUM_TASKS; k++)
            g_dead[k] = false;
    */
    /*@ loop invariant 0 <= i <= NUM_TASKS && TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS && DEAD_FREE(NO_TASK);
        loop invariant inv_missed: \forall integer k; 0 <= k < i && \at(WD_LIVE(k), Pre) && \at(WD_MISSED(k), Pre) ==>
            tcbs[k].state == TASK_FAULTED && tcbs[k].fault_tick == sched_now && tcbs[k].priority == tcbs[k].base_priority &&
            !tcbs[k].notify_waiting && g_dead[k];
        loop invariant inv_live: \forall integer k; TASK_ID(k) && \at(WD_LIVE(k), Pre) && !(k < i && \at(WD_MISSED(k), Pre)) ==>
            WD_LIVE(k);
        loop invariant \forall integer k; TASK_ID(k) && !\at(WD_LIVE(k), Pre) ==> tcbs[k].state == \at(tcbs[k].state, Pre);
        loop invariant inv_hb: \forall integer k; TASK_ID(k) ==> tcbs[k].heartbeat_interval == \at(tcbs[k].heartbeat_interval, Pre) &&
            tcbs[k].last_heartbeat == \at(tcbs[k].last_heartbeat, Pre);
        loop assigns i, g_keep, g_dead[0 .. NUM_TASKS - 1], endpoints[0 .. MAX_ENDPOINTS - 1],
            tcbs[0 .. NUM_TASKS - 1].ipc_partner, tcbs[0 .. NUM_TASKS - 1].calling, tcbs[0 .. NUM_TASKS - 1].reply_to,
            tcbs[0 .. NUM_TASKS - 1].reply_gone, tcbs[0 .. NUM_TASKS - 1].priority, tcbs[0 .. NUM_TASKS - 1].state,
            tcbs[0 .. NUM_TASKS - 1].context.x[0], tcbs[0 .. NUM_TASKS - 1].fault_tick,
            tcbs[0 .. NUM_TASKS - 1].notify_waiting;
        loop variant NUM_TASKS - i; */
    for (unsigned i = 0; i < NUM_TASKS; i++) {
        struct tcb *t = &tcbs[i];
        if (t->heartbeat_interval == 0)
            continue;
        if (t->state == TASK_FAULTED || t->state == TASK_INACTIVE || t->state == TASK_EXITED)
            continue;
        if (now - t->last_heartbeat > t->heartbeat_interval) {
            /* For inv_live: this task is the one the loop invariants call live and late at Pre (without it, the
             * case k == i of inv_live's preservation was left open by CVC4 and z3 since issue 13). */
            /*@ assert late: \let j = (integer)i; \at(WD_LIVE(j), Pre) && \at(WD_MISSED(j), Pre); */
            watchdog_fault(i, now);
        }
    }
}

/*@ requires TASK_ID(task);
    assigns tcbs[task].heartbeat_interval, tcbs[task].last_heartbeat;
    ensures tcbs[task].heartbeat_interval == interval && tcbs[task].last_heartbeat == sched_now; */
void record_heartbeat(unsigned task, uint64_t interval)
{
    tcbs[task].heartbeat_interval = interval;
    tcbs[task].last_heartbeat = sched_now;
}

/*@ requires TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS;
    requires \valid(frame) && \separated(frame, &tcbs[0 .. NUM_TASKS - 1], &current_task);
    assigns tcbs[0 .. NUM_TASKS - 1], current_task, *frame, TASK_EXIT_ASSIGNS;
    ensures TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS && IPC_GONE(\old(current_task)); */
void sys_exit(struct trap_frame *frame, uint64_t code)
{
    unsigned cur = current_task;
    uart_print("[AegisOS] task ");
    uart_print_dec(cur);
    uart_print(" exited (code=");
    uart_print_dec(code);
    uart_print(")\n");
    tcbs[cur].state = TASK_EXITED;
    tcbs[cur].heartbeat_interval = 0;
    /* Deviation from upstream (which keeps them): an Exited task never runs again, so its
     * notification state is released too; SYS_NOTIFY to it is dropped (syscall.c). */
    tcbs[cur].notify_pending = 0;
    tcbs[cur].notify_waiting = false;
    cleanup_task_resources(cur);
    schedule(frame);
}

/* The timer's one entry into the scheduler (issue 13): `now` is the tick count after this tick, which the scheduler
 * keeps as its clock (sched_now) until the next tick. Then the running task's budget, the 100-tick epoch, the
 * watchdog scan every WATCHDOG_SCAN_PERIOD ticks, and a reschedule (REF §4.3). */
/*@ requires TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS;
    requires \valid(frame) && \separated(frame, &tcbs[0 .. NUM_TASKS - 1], &current_task); */
void sched_tick(struct trap_frame *frame, uint64_t now)
{
    sched_now = now;
    tcbs[current_task].ticks_used++;
    epoch_ticks++;
    if (epoch_ticks >= EPOCH_LENGTH) {
        epoch_ticks = 0;
        epoch_reset();
    }
    if (now % WATCHDOG_SCAN_PERIOD == 0)
        watchdog_scan();
    schedule(frame);
}

/*@ requires \true;
    ensures \false; */
void sched_bootstrap(void)
{
    struct tcb *t = &tcbs[0];
    t->state = TASK_RUNNING;
    current_task = 0;
    write_sysreg(ttbr0_el1, t->ttbr0);
    isb();
    write_sysreg(tpidr_el0, t->tpidr_el0); /* architecturally UNKNOWN at reset: the task's own (0) */
    write_sysreg(tpidrro_el0, t->tpidrro_el0);
    write_sysreg(elr_el1, t->entry_point);
    write_sysreg(spsr_el1, 0);
    write_sysreg(sp_el0, t->user_stack_top);
    arch_eret();
}
