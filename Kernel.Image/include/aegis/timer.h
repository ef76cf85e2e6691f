/* EL1 physical timer tick (REFERENCE §2, §4.3). */
#ifndef AEGIS_TIMER_H
#define AEGIS_TIMER_H
#include "aegis/types.h"
void timer_init(uint64_t tick_ms);
void timer_tick_handler(struct trap_frame *frame);
/* The proofs take this contract as given (src/timer.c is not proved): the kernel runs with IRQs masked on one
 * core, so the tick count is one value, ticks_now, for the whole of a kernel entry. */
/*@ axiomatic Ticks { logic uint64_t ticks_now; } */
/*@ assigns \nothing; ensures \result == ticks_now; */
uint64_t timer_tick_count(void);
uint64_t timer_freq_hz(void);
#endif
