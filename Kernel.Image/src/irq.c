/* IRQ binding: SPIs routed to a task as notification bits (REFERENCE §7.4). */
#include "aegis/irq.h"
#include "aegis/gic.h"
#include "aegis/sched.h"
#include "aegis/uart.h"

struct irq_binding {
    uint32_t intid;
    uint8_t task;
    uint64_t notify_bit;
    bool active;
    bool pending_ack;
};

static struct irq_binding bindings[MAX_IRQ_BINDINGS];

uint64_t irq_bind(uint32_t intid, unsigned task, uint64_t notify_bit)
{
    if (intid < MIN_SPI_INTID || intid > MAX_SPI_INTID || notify_bit == 0)
        return ERR_IRQ_INVALID;
    for (unsigned i = 0; i < MAX_IRQ_BINDINGS; i++)
        if (bindings[i].active && bindings[i].intid == intid)
            return ERR_IRQ_ALREADY_BOUND;
    for (unsigned i = 0; i < MAX_IRQ_BINDINGS; i++) {
        if (bindings[i].active)
            continue;
        bindings[i] = (struct irq_binding){ intid, (uint8_t)task, notify_bit, true, false };
        gic_enable_irq(intid);
        uart_print("[AegisOS] IRQ BIND: INTID ");
        uart_print_hex(intid);
        uart_print(" -> task ");
        uart_print_hex(task);
        uart_print(", bit ");
        uart_print_hex(notify_bit);
        uart_print("\n");
        return 0;
    }
    return ERR_IRQ_TABLE_FULL;
}

uint64_t irq_ack(uint32_t intid, unsigned task)
{
    for (unsigned i = 0; i < MAX_IRQ_BINDINGS; i++) {
        struct irq_binding *b = &bindings[i];
        if (!b->active || b->intid != intid)
            continue;
        if (b->task != task)
            return ERR_IRQ_NOT_OWNER;
        if (b->pending_ack) {
            b->pending_ack = false;
            gic_enable_irq(intid);
        }
        return 0;
    }
    return ERR_IRQ_NOT_BOUND;
}

/* IRQ time: notify the bound task, mask the line until it acks. No reschedule. */
void irq_route(uint32_t intid, struct trap_frame *frame)
{
    (void)frame;
    for (unsigned i = 0; i < MAX_IRQ_BINDINGS; i++) {
        struct irq_binding *b = &bindings[i];
        if (!b->active || b->intid != intid)
            continue;
        struct tcb *t = &tcbs[b->task];
        t->notify_pending |= b->notify_bit;
        if (t->notify_waiting) {
            t->notify_waiting = false;
            t->context.x[0] = t->notify_pending;
            t->notify_pending = 0;
            t->state = TASK_READY;
        }
        b->pending_ack = true;
        gic_disable_irq(intid);
        return;
    }
    uart_print("!!! IRQ INTID=");
    uart_print_hex(intid);
    uart_print(" (unbound, ignored)\n");
}

void irq_cleanup_task(unsigned task)
{
    for (unsigned i = 0; i < MAX_IRQ_BINDINGS; i++) {
        struct irq_binding *b = &bindings[i];
        if (!b->active || b->task != task)
            continue;
        if (b->pending_ack)
            gic_enable_irq(b->intid);
        uart_print("[AegisOS] IRQ cleanup: unbind INTID ");
        uart_print_hex(b->intid);
        uart_print(" from task ");
        uart_print_hex(task);
        uart_print("\n");
        gic_disable_irq(b->intid);
        *b = (struct irq_binding){ 0, 0, 0, false, false };
    }
}
