/* EL1 physical timer: 10 ms tick on PPI 30 (REFERENCE §2, §4.3). The timer counts ticks and hands each one to the
 * scheduler's one entry, sched_tick; budgets, epochs and the watchdog are the scheduler's (issue 13). */
#include "aegis/timer.h"
#include "aegis/arch.h"
#include "aegis/sched.h"

static uint64_t tick_count;
static uint64_t tick_interval;

uint64_t timer_freq_hz(void)
{
    return read_sysreg(cntfrq_el0);
}

void timer_init(uint64_t tick_ms)
{
    tick_interval = timer_freq_hz() * tick_ms / 1000; /* 625000 at 62.5 MHz */
    write_sysreg(cntp_tval_el0, tick_interval);
    write_sysreg(cntp_ctl_el0, 1); /* ENABLE, IMASK = 0 */
    isb();
}

uint64_t timer_tick_count(void)
{
    return tick_count;
}

void timer_tick_handler(struct trap_frame *frame)
{
    tick_count++;
    write_sysreg(cntp_tval_el0, tick_interval);
    sched_tick(frame, tick_count);
}
