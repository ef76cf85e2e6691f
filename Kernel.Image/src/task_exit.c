/* The task-exit subscriptions (include/aegis/task_exit.h): each module that holds per-task resources and its hook.
 * IPC first, as before the table existed, so the wake-ups and the console lines come in the same order. */
#include "aegis/task_exit.h"
#include "aegis/grant.h"
#include "aegis/ipc.h"
#include "aegis/irq.h"

const task_exit_hook task_exit_hooks[TASK_EXIT_HOOKS] = { ipc_cleanup_task, grant_cleanup_task, irq_cleanup_task };
const task_exit_hook task_watchdog_hook = ipc_cleanup_task;
