/* IRQ binding: SPIs routed to a task as notification bits (REFERENCE §7.4). */
#include "aegis/irq.h"
#include "aegis/gic.h"
#include "aegis/sched.h"
#include "aegis/uart.h"

struct irq_binding bindings[MAX_IRQ_BINDINGS];

#ifdef __FRAMAC__
/* Proof vocabulary: an active binding names a task and an SPI, and no INTID is bound twice (REF §11 #18). */
#define IRQ_OK ((\forall integer i; 0 <= i < MAX_IRQ_BINDINGS && bindings[i].active ==> TASK_ID(bindings[i].task) && \
        MIN_SPI_INTID <= bindings[i].intid <= MAX_SPI_INTID) && \
    (\forall integer i, j; 0 <= i < j < MAX_IRQ_BINDINGS && bindings[i].active && bindings[j].active ==> \
        bindings[i].intid != bindings[j].intid))
#define IRQ_BOUND(id) (\exists integer i; 0 <= i < MAX_IRQ_BINDINGS && bindings[i].active && bindings[i].intid == (id))
#endif

/* P14 (REF §11 #18, no duplicate INTID): binding an INTID that is bound already returns ERR_IRQ_ALREADY_BOUND and
 * changes nothing, so the table never holds an INTID twice (IRQ_OK is kept). Only SPIs 32..1019 are bound. */
/*@ requires TASK_ID(task) && IRQ_OK;
    assigns bindings[0 .. MAX_IRQ_BINDINGS - 1];
    ensures IRQ_OK;
    behavior invalid:
      assumes intid < MIN_SPI_INTID || intid > MAX_SPI_INTID || notify_bit == 0;
      assigns \nothing;
      ensures \result == ERR_IRQ_INVALID;
    behavior duplicate:
      assumes MIN_SPI_INTID <= intid <= MAX_SPI_INTID && notify_bit != 0 && IRQ_BOUND(intid);
      assigns \nothing;
      ensures \result == ERR_IRQ_ALREADY_BOUND;
    behavior fresh:
      assumes MIN_SPI_INTID <= intid <= MAX_SPI_INTID && notify_bit != 0 && !IRQ_BOUND(intid);
      ensures \result == 0 ==> \exists integer i; 0 <= i < MAX_IRQ_BINDINGS && bindings[i].active &&
          bindings[i].intid == intid && bindings[i].task == task && bindings[i].notify_bit == notify_bit;
      ensures \result == 0 || \result == ERR_IRQ_TABLE_FULL;
    complete behaviors;
    disjoint behaviors; */
uint64_t irq_bind(uint32_t intid, unsigned task, uint64_t notify_bit)
{
    if (intid < MIN_SPI_INTID || intid > MAX_SPI_INTID || notify_bit == 0)
        return ERR_IRQ_INVALID;
    /*@ loop invariant 0 <= i <= MAX_IRQ_BINDINGS;
        loop invariant \forall integer k; 0 <= k < i ==> !(bindings[k].active && bindings[k].intid == intid);
        loop assigns i;
        loop variant MAX_IRQ_BINDINGS - i; */
    for (unsigned i = 0; i < MAX_IRQ_BINDINGS; i++)
        if (bindings[i].active && bindings[i].intid == intid)
            return ERR_IRQ_ALREADY_BOUND;
    /*@ loop invariant 0 <= i <= MAX_IRQ_BINDINGS;
        loop invariant \forall integer k; 0 <= k < i ==> bindings[k].active;
        loop assigns i;
        loop variant MAX_IRQ_BINDINGS - i; */
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

/*@ requires IRQ_OK;
    assigns bindings[0 .. MAX_IRQ_BINDINGS - 1].pending_ack;
    ensures IRQ_OK; */
uint64_t irq_ack(uint32_t intid, unsigned task)
{
    /*@ loop invariant 0 <= i <= MAX_IRQ_BINDINGS;
        loop assigns i;
        loop variant MAX_IRQ_BINDINGS - i; */
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
/* P13 (REF §11 #16, IRQ routing): the task bound to the INTID gets the binding's bit (in x0 and Ready if it was
 * waiting, else pending), and the binding awaits its ACK; an unbound INTID changes nothing. */
/*@ requires IRQ_OK;
    assigns tcbs[0 .. NUM_TASKS - 1].notify_pending, tcbs[0 .. NUM_TASKS - 1].notify_waiting,
        tcbs[0 .. NUM_TASKS - 1].context.x[0], tcbs[0 .. NUM_TASKS - 1].state, bindings[0 .. MAX_IRQ_BINDINGS - 1].pending_ack;
    ensures IRQ_OK; */
void irq_route(uint32_t intid, struct trap_frame *frame)
{
    (void)frame;
    /*@ loop invariant 0 <= i <= MAX_IRQ_BINDINGS;
        loop invariant \forall integer k; 0 <= k < i ==> !(bindings[k].active && bindings[k].intid == intid);
        loop assigns i;
        loop variant MAX_IRQ_BINDINGS - i; */
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

/* P13 (REF §11 #17): afterwards no active binding names the task. */
/*@ assigns bindings[0 .. MAX_IRQ_BINDINGS - 1];
    ensures \forall integer i; 0 <= i < MAX_IRQ_BINDINGS && bindings[i].active ==> bindings[i].task != task; */
void irq_cleanup_task(unsigned task)
{
    /*@ loop invariant 0 <= i <= MAX_IRQ_BINDINGS;
        loop invariant \forall integer k; 0 <= k < i && bindings[k].active ==> bindings[k].task != task;
        loop assigns i, bindings[0 .. MAX_IRQ_BINDINGS - 1];
        loop variant MAX_IRQ_BINDINGS - i; */
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
