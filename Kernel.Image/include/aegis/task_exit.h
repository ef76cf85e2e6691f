/* Task-exit subscription (issue 13): what a dead task held in other modules is released by their own hooks. */
#ifndef AEGIS_TASK_EXIT_H
#define AEGIS_TASK_EXIT_H

/* A module that keeps per-task state (IPC, grants, IRQ bindings) subscribes a hook here; the scheduler runs the hooks
 * when a task faults or exits and names none of them, so sched.c depends on no module above it (the include cycle
 * ipc.c -> sched.c -> timer.c -> sched.c is gone). The subscriptions are a const table fixed at build time
 * (src/task_exit.c), in .rodata, which the kernel maps read-only: not a mutable function pointer that a stray write
 * could redirect. WP proves the calls through it: each indirect call carries an ACSL `calls` clause listing the
 * subscribers, WP proves the pointer called is one of them and applies that function's contract, and it knows the
 * table's values from its initializer (const globals, -wp-init-const); docs/PROOFS.md. */
typedef void (*task_exit_hook)(unsigned task);

#define TASK_EXIT_HOOKS 3
/* Run in this order on SYS_EXIT and on a fault (cleanup_task_resources). */
extern const task_exit_hook task_exit_hooks[TASK_EXIT_HOOKS];
/* Run when the watchdog faults a task: IPC only, as upstream (REF §4.4); its grants and IRQ bindings are kept. */
extern const task_exit_hook task_watchdog_hook;

#endif
