/* Priority scheduler: 8 tasks, budgets per 100-tick epoch, watchdog, restart
 * (REFERENCE §3.5, §4, §9 SYS_EXIT). Context switches rewrite the TrapFrame in place. */
#include "aegis/sched.h"
#include "aegis/arch.h"
#include "aegis/grant.h"
#include "aegis/ipc.h"
#include "aegis/irq.h"
#include "aegis/linker.h"
#include "aegis/mmu.h"
#include "aegis/timer.h"
#include "aegis/uart.h"

struct tcb tcbs[NUM_TASKS];
unsigned current_task;

void sched_init(const uint64_t entries[NUM_TASKS])
{
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

void sched_save_frame(unsigned task, const struct trap_frame *frame)
{
    tcbs[task].context = *frame;
}

void sched_load_frame(unsigned task, struct trap_frame *frame)
{
    *frame = tcbs[task].context;
}

static bool eligible(const struct tcb *t)
{
    return t->state == TASK_READY && (t->time_budget == 0 || t->ticks_used < t->time_budget);
}

/* Deviation 8: the EL0 registers outside the TrapFrame belong to the task too. TPIDR_EL0 is writable at EL0 (a C
 * runtime's thread pointer); TPIDRRO_EL0 is EL0-readable and set by no one today, kept per task all the same.
 * FP/SIMD is trapped at EL0 (CPACR_EL1.FPEN = 01), so no task has such state yet. */
static void switch_el0_state(unsigned old, unsigned next)
{
    tcbs[old].tpidr_el0 = read_sysreg(tpidr_el0);
    tcbs[old].tpidrro_el0 = read_sysreg(tpidrro_el0);
    write_sysreg(tpidr_el0, tcbs[next].tpidr_el0);
    write_sysreg(tpidrro_el0, tcbs[next].tpidrro_el0);
}

void schedule(struct trap_frame *frame)
{
    unsigned old = current_task;
    sched_save_frame(old, frame);
    if (tcbs[old].state == TASK_RUNNING)
        tcbs[old].state = TASK_READY;

    uint64_t now = timer_tick_count();
    for (unsigned i = 0; i < NUM_TASKS; i++)
        if (tcbs[i].state == TASK_FAULTED && now - tcbs[i].fault_tick >= RESTART_DELAY_TICKS)
            restart_task(i);

    int best = -1;
    unsigned next = IDLE_TASK_ID;
    for (unsigned off = 0; off < NUM_TASKS; off++) {
        unsigned idx = (old + 1 + off) % NUM_TASKS;
        if (eligible(&tcbs[idx]) && (int)tcbs[idx].priority > best) { /* strictly higher: ties keep RR order */
            best = tcbs[idx].priority;
            next = idx;
        }
    }
    if (best < 0) {
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

/* Release everything a dead task holds (shared by fault and exit paths). */
void cleanup_task_resources(unsigned task)
{
    tcbs[task].priority = tcbs[task].base_priority;
    ipc_cleanup_task(task);
    grant_cleanup_task(task);
    irq_cleanup_task(task);
}

void fault_current_task(struct trap_frame *frame)
{
    unsigned cur = current_task;
    uart_print("[AegisOS] TASK ");
    uart_print_hex(tcbs[cur].id);
    uart_print(" FAULTED\n");
    tcbs[cur].state = TASK_FAULTED;
    tcbs[cur].fault_tick = timer_tick_count();
    cleanup_task_resources(cur);
    schedule(frame);
}

void restart_task(unsigned task)
{
    struct tcb *t = &tcbs[task];
    if (t->state != TASK_FAULTED)
        return;
    uint8_t *stack = (uint8_t *)(uintptr_t)(t->user_stack_top - 4096);
    for (unsigned i = 0; i < 4096; i += 8)
        *(volatile uint64_t *)(stack + i) = 0;
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
    t->last_heartbeat = timer_tick_count();
    t->ipc_partner = NO_TASK;
    t->reply_to = NO_TASK;
    t->reply_gone = false;
    t->calling = false;
    t->tpidr_el0 = t->tpidrro_el0 = 0;
    uart_print("[AegisOS] TASK ");
    uart_print_hex(t->id);
    uart_print(" RESTARTED\n");
}

void epoch_reset(void)
{
    for (unsigned i = 0; i < NUM_TASKS; i++)
        if (tcbs[i].state != TASK_INACTIVE && tcbs[i].state != TASK_EXITED)
            tcbs[i].ticks_used = 0;
}

void watchdog_scan(void)
{
    uint64_t now = timer_tick_count();
    for (unsigned i = 0; i < NUM_TASKS; i++) {
        struct tcb *t = &tcbs[i];
        if (t->heartbeat_interval == 0)
            continue;
        if (t->state == TASK_FAULTED || t->state == TASK_INACTIVE || t->state == TASK_EXITED)
            continue;
        if (now - t->last_heartbeat > t->heartbeat_interval) {
            uart_print("[AegisOS] WATCHDOG: task ");
            uart_print_hex(i);
            uart_print(" missed heartbeat\n");
            t->state = TASK_FAULTED;
            t->fault_tick = now;
            t->priority = t->base_priority;
            ipc_cleanup_task(i); /* IPC only, as upstream; the interval is kept */
        }
    }
}

void record_heartbeat(unsigned task, uint64_t interval)
{
    tcbs[task].heartbeat_interval = interval;
    tcbs[task].last_heartbeat = timer_tick_count();
}

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
    __asm__ volatile("eret" ::: "memory");
    __builtin_unreachable();
}
