/* IRQ -> notification routing (REFERENCE §7.4). */
#ifndef AEGIS_IRQ_H
#define AEGIS_IRQ_H
#include "aegis/types.h"

struct irq_binding {
    uint32_t intid;
    uint8_t task;
    uint64_t notify_bit;
    bool active;
    bool pending_ack;
};

/* Defined in src/irq.c; declared here (not static) so that the contracts of the task-exit cleanup, which runs
 * irq_cleanup_task through task_exit.h, can name what it assigns (docs/PROOFS.md), as endpoints in ipc.h. */
extern struct irq_binding bindings[MAX_IRQ_BINDINGS];

uint64_t irq_bind(uint32_t intid, unsigned task, uint64_t notify_bit);
uint64_t irq_ack(uint32_t intid, unsigned task);
void irq_route(uint32_t intid, struct trap_frame *frame);
void irq_cleanup_task(unsigned task);
#endif
