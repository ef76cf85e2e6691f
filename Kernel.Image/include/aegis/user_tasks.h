/* Tasks 0, 1 and 7: kernel .text run at EL0 (REFERENCE §9 "Tasks 0/1"). */
#ifndef AEGIS_USER_TASKS_H
#define AEGIS_USER_TASKS_H
__attribute__((noreturn)) void uart_driver_entry(void);
__attribute__((noreturn)) void client_entry(void);
__attribute__((noreturn)) void idle_entry(void);
#ifdef AEGIS_SCENARIO_FAULTS
__attribute__((noreturn)) void scenario_cap_denied_entry(void);
__attribute__((noreturn)) void scenario_fp_entry(void);
__attribute__((noreturn)) void scenario_exit_entry(void);
#endif
#endif
