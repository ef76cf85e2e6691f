/* EL1 physical timer: 10 ms tick on PPI 30 (REFERENCE §2, §4.3). */
#include "aegis/timer.h"
#include "aegis/arch.h"
#include "aegis/sched.h"

static uint64_t tick_count;
static uint64_t tick_interval;
static uint64_t epoch_ticks;

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
    tcbs[current_task].ticks_used++;
    epoch_ticks++;
    if (epoch_ticks >= EPOCH_LENGTH) {
        epoch_ticks = 0;
        epoch_reset();
    }
    if (tick_count % WATCHDOG_SCAN_PERIOD == 0)
        watchdog_scan();
    schedule(frame);
}
