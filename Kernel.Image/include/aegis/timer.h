/* EL1 physical timer tick (REFERENCE §2, §4.3). */
#ifndef AEGIS_TIMER_H
#define AEGIS_TIMER_H
#include "aegis/types.h"
void timer_init(uint64_t tick_ms);
/* Counts the tick, re-arms the timer, calls sched_tick(frame, count). */
void timer_tick_handler(struct trap_frame *frame);
/* The tick count (panic.c prints it); the scheduler gets it from sched_tick instead. */
uint64_t timer_tick_count(void);
uint64_t timer_freq_hz(void);
#endif
