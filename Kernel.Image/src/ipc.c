/* Synchronous IPC: 4 endpoints, 4-deep FIFO sender queues, one receiver slot each,
 * CALL with priority inheritance (REFERENCE §7.1, §4.5), and deviations 4 and 9.
 *
 * Deviation 9 (one-shot reply right, as seL4's reply objects): the task that receives a CALL, straight
 * from a waiting RECV or popped from the queue, alone may answer it, once: its next SEND on that endpoint
 * goes to the caller. Until then the caller waits in no endpoint slot, so no other SEND can reach it
 * (upstream made the caller the endpoint's receiver, and any task with the SEND right answered it), and a
 * queued CALL is no longer released at once without an answer.
 *
 * Deviation 4: a Blocked task records in ipc_partner the task it waits on:
 *  - a caller whose CALL was received waits for that receiver's answer: partner = the receiver;
 *  - a sender queued in SEND/CALL waits on the endpoint's server, the last task
 *    that did RECV on that endpoint (none if nobody has received there yet).
 * When the partner faults or exits, the waiter is taken off every endpoint and made
 * Ready with x0 = ERR_IPC_PARTNER_GONE (x1-x3 unchanged). A server whose caller is
 * already dead when it sends the answer gets the same code at once. */
#include "aegis/ipc.h"
#include "aegis/sched.h"
#include "aegis/uart.h"

struct sender_queue {
    uint8_t tasks[MAX_WAITERS];
    uint8_t head;
    uint8_t count;
};

struct endpoint {
    struct sender_queue senders;
    uint8_t receiver; /* NO_TASK when nobody waits */
    uint8_t server;   /* ours: last task that did RECV here (deviation 4) */
};

static struct endpoint endpoints[MAX_ENDPOINTS] = {
    { { { 0 }, 0, 0 }, NO_TASK, NO_TASK }, { { { 0 }, 0, 0 }, NO_TASK, NO_TASK },
    { { { 0 }, 0, 0 }, NO_TASK, NO_TASK }, { { { 0 }, 0, 0 }, NO_TASK, NO_TASK },
};

static bool queue_push(struct sender_queue *q, unsigned task)
{
    if (q->count >= MAX_WAITERS)
        return false;
    q->tasks[(q->head + q->count) % MAX_WAITERS] = (uint8_t)task;
    q->count++;
    return true;
}

static unsigned queue_pop(struct sender_queue *q)
{
    if (q->count == 0)
        return NO_TASK;
    unsigned t = q->tasks[q->head];
    q->head = (uint8_t)((q->head + 1) % MAX_WAITERS);
    q->count--;
    return t;
}

/* Rebuild the queue without `task` (head = 0), as upstream. */
static void queue_remove(struct sender_queue *q, unsigned task)
{
    uint8_t kept[MAX_WAITERS];
    uint8_t n = 0;
    for (uint8_t i = 0; i < q->count; i++) {
        uint8_t t = q->tasks[(q->head + i) % MAX_WAITERS];
        if (t != task)
            kept[n++] = t;
    }
    for (uint8_t i = 0; i < n; i++)
        q->tasks[i] = kept[i];
    q->head = 0;
    q->count = n;
}

static void copy_message(unsigned from, unsigned to)
{
    for (unsigned r = 0; r < MSG_REGS; r++)
        tcbs[to].context.x[r] = tcbs[from].context.x[r];
}

static void make_ready(unsigned task)
{
    tcbs[task].priority = tcbs[task].base_priority;
    tcbs[task].ipc_partner = NO_TASK;
    tcbs[task].calling = false;
    tcbs[task].state = TASK_READY;
}

/* Common entry of SEND/RECV/CALL: the endpoint with the caller's frame saved, or NULL (after
 * upstream's error line) for an invalid endpoint. */
static struct endpoint *enter_ipc(struct trap_frame *frame, uint64_t ep)
{
    if (ep >= MAX_ENDPOINTS) {
        uart_print("!!! IPC: invalid endpoint\n");
        return 0;
    }
    sched_save_frame(current_task, frame);
    return &endpoints[ep];
}

/* The task owes no answer any more. */
static void clear_reply(unsigned task)
{
    tcbs[task].reply_to = NO_TASK;
    tcbs[task].reply_gone = false;
}

/* Deviation 9: `server` has received `caller`'s CALL on `ep`; the caller waits for its answer. A server holds one
 * right at a time: a caller it leaves unanswered for another CALL would wait forever, so it gets
 * ERR_IPC_PARTNER_GONE now (deviation 4's code: its partner will never answer). */
static void give_reply_right(unsigned server, unsigned caller, uint64_t ep)
{
    unsigned left = tcbs[server].reply_to;
    if (left != NO_TASK && tcbs[left].state == TASK_BLOCKED && tcbs[left].ipc_partner == server) {
        tcbs[left].context.x[0] = ERR_IPC_PARTNER_GONE;
        make_ready(left);
    }
    tcbs[server].reply_to = (uint8_t)caller;
    tcbs[server].reply_gone = false;
    tcbs[server].reply_ep = (uint8_t)ep;
    tcbs[caller].calling = false;
    tcbs[caller].ipc_partner = (uint8_t)server;
    tcbs[caller].state = TASK_BLOCKED;
}

/* Queue the current task as a sender and block; false if the queue is full. */
static bool block_as_sender(struct trap_frame *frame, struct endpoint *e)
{
    unsigned cur = current_task;
    if (!queue_push(&e->senders, cur)) {
        uart_print("!!! IPC: sender queue full\n");
        return false;
    }
    tcbs[cur].ipc_partner = (uint8_t)(e->server == cur ? NO_TASK : e->server);
    tcbs[cur].state = TASK_BLOCKED;
    schedule(frame);
    return true;
}

/* Deviation 9: a SEND on the endpoint of the CALL this task received is its answer, and goes to that caller only
 * (or, if the caller died, returns ERR_IPC_PARTNER_GONE). True when the SEND was such an answer. */
static bool answer_call(struct trap_frame *frame, unsigned cur, uint64_t ep)
{
    struct tcb *me = &tcbs[cur];
    if (me->reply_ep != ep || (me->reply_to == NO_TASK && !me->reply_gone))
        return false;
    unsigned caller = me->reply_to;
    clear_reply(cur);
    if (caller == NO_TASK) {
        frame->x[0] = ERR_IPC_PARTNER_GONE; /* deviation 4: the caller is dead */
        return true;
    }
    copy_message(cur, caller);
    make_ready(caller);
    return true; /* the server goes on without a reschedule */
}

void sys_send(struct trap_frame *frame, uint64_t ep)
{
    struct endpoint *e = enter_ipc(frame, ep);
    if (!e)
        return;
    unsigned cur = current_task;
    if (answer_call(frame, cur, ep))
        return;
    if (e->receiver != NO_TASK) {
        unsigned r = e->receiver;
        e->receiver = NO_TASK;
        copy_message(cur, r);
        make_ready(r);
        return; /* the sender goes on without a reschedule */
    }
    block_as_sender(frame, e);
}

void sys_recv(struct trap_frame *frame, uint64_t ep)
{
    struct endpoint *e = enter_ipc(frame, ep);
    if (!e)
        return;
    unsigned cur = current_task;
    e->server = (uint8_t)cur;
    unsigned s = queue_pop(&e->senders);
    if (s != NO_TASK) {
        copy_message(s, cur);
        if (tcbs[s].calling)
            give_reply_right(cur, s, ep); /* a queued CALL waits for the answer (upstream released it at once) */
        else
            make_ready(s);
        sched_load_frame(cur, frame);
        return;
    }
    e->receiver = (uint8_t)cur; /* overwrites an earlier waiting receiver, as upstream */
    tcbs[cur].state = TASK_BLOCKED;
    schedule(frame);
}

void sys_call(struct trap_frame *frame, uint64_t ep)
{
    struct endpoint *e = enter_ipc(frame, ep);
    if (!e)
        return;
    unsigned cur = current_task;
    if (e->receiver != NO_TASK) {
        unsigned r = e->receiver;
        e->receiver = NO_TASK; /* deviation 9: the caller does not take the slot; only r can answer */
        copy_message(cur, r);
        make_ready(r);
        if (tcbs[cur].priority > tcbs[r].priority)
            tcbs[r].priority = tcbs[cur].priority; /* priority inheritance */
        give_reply_right(r, cur, ep);
        schedule(frame);
        return;
    }
    tcbs[cur].calling = true;
    if (!block_as_sender(frame, e))
        tcbs[cur].calling = false; /* queue full: the CALL returns at once, as upstream */
}

static void remove_everywhere(unsigned task)
{
    for (unsigned i = 0; i < MAX_ENDPOINTS; i++) {
        queue_remove(&endpoints[i].senders, task);
        if (endpoints[i].receiver == task)
            endpoints[i].receiver = NO_TASK;
    }
}

void ipc_cleanup_task(unsigned task)
{
    remove_everywhere(task);
    for (unsigned i = 0; i < MAX_ENDPOINTS; i++)
        if (endpoints[i].server == task)
            endpoints[i].server = NO_TASK;
    tcbs[task].ipc_partner = NO_TASK;
    tcbs[task].calling = false;
    clear_reply(task);

    /* Deviation 4: wake whoever was blocked on the dead task. */
    for (unsigned w = 0; w < NUM_TASKS; w++) {
        if (tcbs[w].reply_to == task) {
            tcbs[w].reply_to = NO_TASK;
            tcbs[w].reply_gone = true;
        }
        if (w == task || tcbs[w].state != TASK_BLOCKED || tcbs[w].ipc_partner != task)
            continue;
        remove_everywhere(w);
        tcbs[w].context.x[0] = ERR_IPC_PARTNER_GONE;
        make_ready(w);
    }
}
