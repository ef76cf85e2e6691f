/* SCENARIO=faults: the tasks replacing the idle placeholders of tasks 2-4 (task_table.c under AEGIS_SCENARIO_FAULTS).
 * Test-only EL0 code, linked into .user_text like every scenario_*.c; each task faults or exits at its first syscall
 * or instruction, and the loop after it is a safety net that runs only if the kernel let it go on. */
#include "aegis/user_tasks.h"
#include "aegis/user_syscall.h"

void scenario_cap_denied_entry(void) /* task 2: SEND on ep 0 without CAP_IPC_SEND_EP0 */
{
    u_send(0, 1, 2, 3, 4);
    for (;;)
        u_yield();
}

void scenario_fp_entry(void) /* task 3: an FP instruction at EL0 traps (CPACR.FPEN = 01) */
{
    __asm__ volatile(".inst 0x9e6703e0"); /* fmov d0, xzr */
    for (;;)
        u_yield();
}

void scenario_exit_entry(void) /* task 4: SYS_EXIT(7) */
{
    aegis_syscall(SYS_EXIT, 0, 7, 0, 0, 0);
    for (;;)
        u_yield();
}
