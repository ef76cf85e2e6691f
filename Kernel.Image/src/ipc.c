/* Synchronous IPC: 4 endpoints, 4-deep FIFO sender queues, one receiver slot each,
 * CALL with priority inheritance (REFERENCE §7.1, §4.5), and deviation 4.
 *
 * Deviation 4: a Blocked task records in ipc_partner the task it waits on:
 *  - a caller whose CALL was delivered to a waiting receiver waits for that
 *    receiver's reply: partner = the receiver;
 *  - a sender queued in SEND/CALL waits on the endpoint's server, the last task
 *    that did RECV on that endpoint (none if nobody has received there yet).
 *  - a server answering a CALL that was delivered to it (its reply SEND found no
 *    waiting receiver) waits on that caller.
 * When the partner faults or exits, the waiter is taken off every endpoint and made
 * Ready with x0 = ERR_IPC_PARTNER_GONE (x1-x3 unchanged). A server whose caller is
 * already dead when it sends the answer gets the same code at once instead of blocking. */
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

/* The task owes no answer any more (deviation 4 bookkeeping). */
static void clear_reply(unsigned task)
{
    tcbs[task].reply_to = NO_TASK;
    tcbs[task].reply_gone = false;
}

/* Queue the current task as a sender and block; false if the queue is full. */
static bool block_as_sender(struct trap_frame *frame, struct endpoint *e)
{
    unsigned cur = current_task;
    if (!queue_push(&e->senders, cur)) {
        uart_print("!!! IPC: sender queue full\n");
        return false;
    }
    unsigned partner = tcbs[cur].reply_to != NO_TASK ? tcbs[cur].reply_to : e->server;
    tcbs[cur].ipc_partner = (uint8_t)(partner == cur ? NO_TASK : partner);
    tcbs[cur].state = TASK_BLOCKED;
    schedule(frame);
    return true;
}

void sys_send(struct trap_frame *frame, uint64_t ep)
{
    struct endpoint *e = enter_ipc(frame, ep);
    if (!e)
        return;
    unsigned cur = current_task;
    if (e->receiver != NO_TASK) {
        unsigned r = e->receiver;
        e->receiver = NO_TASK;
        copy_message(cur, r);
        make_ready(r);
        clear_reply(cur); /* a SEND discharges the sender's pending answer */
        return; /* the sender goes on without a reschedule */
    }
    if (tcbs[cur].reply_gone) { /* deviation 4: the caller this answer is for is dead */
        tcbs[cur].reply_gone = false;
        frame->x[0] = ERR_IPC_PARTNER_GONE;
        return;
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
    clear_reply(cur);
    unsigned s = queue_pop(&e->senders);
    if (s != NO_TASK) {
        copy_message(s, cur);
        clear_reply(s); /* its queued message was its answer, if it owed one */
        make_ready(s); /* a queued CALL is released at once, without a reply (upstream) */
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
        copy_message(cur, r);
        make_ready(r);
        tcbs[r].reply_to = (uint8_t)cur;
        tcbs[r].reply_gone = false;
        e->receiver = (uint8_t)cur; /* the reply is the next SEND on this endpoint */
        if (tcbs[cur].priority > tcbs[r].priority)
            tcbs[r].priority = tcbs[cur].priority; /* priority inheritance */
        tcbs[cur].ipc_partner = (uint8_t)r;
        tcbs[cur].state = TASK_BLOCKED;
        schedule(frame);
        return;
    }
    block_as_sender(frame, e);
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
