/* IRQ -> notification routing (REFERENCE §7.4). */
#ifndef AEGIS_IRQ_H
#define AEGIS_IRQ_H
#include "aegis/types.h"
uint64_t irq_bind(uint32_t intid, unsigned task, uint64_t notify_bit);
uint64_t irq_ack(uint32_t intid, unsigned task);
void irq_route(uint32_t intid, struct trap_frame *frame);
void irq_cleanup_task(unsigned task);
#endif
