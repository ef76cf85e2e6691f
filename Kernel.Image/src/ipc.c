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

/* Not static: ipc.h declares it for the proofs' IPC invariant (ipc_ok). */
struct endpoint endpoints[MAX_ENDPOINTS] = {
    { { { 0 }, 0, 0 }, NO_TASK, NO_TASK }, { { { 0 }, 0, 0 }, NO_TASK, NO_TASK },
    { { { 0 }, 0, 0 }, NO_TASK, NO_TASK }, { { { 0 }, 0, 0 }, NO_TASK, NO_TASK },
};

/* P7 (REF §11 #7): a push succeeds on a queue of fewer than 4 and appends (the slot after the last); on a full
 * queue it fails and changes nothing. */
/*@ requires \valid(q) && Q_BOUNDED(q) && TASK_ID(task);
    assigns q->tasks[0 .. MAX_WAITERS - 1], q->count;
    ensures Q_BOUNDED(q) && q->head == \old(q->head);
    ensures \old(Q_IDS(q)) ==> Q_IDS(q);
    behavior full:
      assumes q->count >= MAX_WAITERS;
      assigns \nothing;
      ensures !\result;
    behavior room:
      assumes q->count < MAX_WAITERS;
      assigns q->tasks[(q->head + q->count) % MAX_WAITERS], q->count;
      ensures \result && q->count == \old(q->count) + 1;
      ensures q->tasks[(q->head + \old(q->count)) % MAX_WAITERS] == task;
      ensures \forall integer p; 0 <= p < MAX_WAITERS && p != (q->head + \old(q->count)) % MAX_WAITERS ==>
          q->tasks[p] == \old(q->tasks[p]);
    complete behaviors;
    disjoint behaviors; */
static bool queue_push(struct sender_queue *q, unsigned task)
{
    if (q->count >= MAX_WAITERS)
        return false;
    q->tasks[(q->head + q->count) % MAX_WAITERS] = (uint8_t)task;
    q->count++;
    return true;
}

/* P7: a pop of an empty queue gives NO_TASK and changes nothing; otherwise it gives the head, the oldest (FIFO). */
/*@ requires \valid(q) && Q_BOUNDED(q);
    ensures Q_BOUNDED(q);
    assigns q->head, q->count;
    behavior empty:
      assumes q->count == 0;
      assigns \nothing;
      ensures \result == NO_TASK;
    behavior some:
      assumes q->count > 0;
      ensures \result == q->tasks[\old(q->head)];
      ensures \old(Q_IDS(q)) ==> TASK_ID(\result) && Q_IDS(q);
      ensures q->head == (\old(q->head) + 1) % MAX_WAITERS && q->count == \old(q->count) - 1;
    complete behaviors;
    disjoint behaviors; */
static unsigned queue_pop(struct sender_queue *q)
{
    if (q->count == 0)
        return NO_TASK;
    unsigned t = q->tasks[q->head];
    q->head = (uint8_t)((q->head + 1) % MAX_WAITERS);
    q->count--;
    return t;
}

/* Rebuild the queue without `task` (head = 0), as upstream. The rest stay queued, each once (REF §11 #9 and the
 * backlog's "never twice"). */
/*@ requires \valid(q) && Q_BOUNDED(q) && \separated(q, &tcbs[0 .. NUM_TASKS - 1]);
    assigns q->tasks[0 .. MAX_WAITERS - 1], q->head, q->count;
    ensures Q_BOUNDED(q) && q->head == 0 && q->count <= \old(q->count);
    ensures !Q_HAS(q, task);
    ensures \old(Q_DISTINCT(q)) ==> Q_DISTINCT(q);
    ensures \old(Q_ENTRIES_OK(q, task)) ==> Q_ENTRIES_OK(q, NO_TASK);
    ensures \old(Q_IDS(q)) ==> Q_IDS(q);
    ensures !\old(Q_HAS(q, g_keep)) ==> !Q_HAS(q, g_keep);
    ensures dead: \old(Q_DEAD_FREE(q, task)) ==> Q_DEAD_FREE(q, NO_TASK); */
static void queue_remove(struct sender_queue *q, unsigned task)
{
    uint8_t kept[MAX_WAITERS];
    int n = 0;
    /*@ ghost int src[MAX_WAITERS]; */ /* proof only: the position (from head) each kept task came from */
    /*@ loop invariant 0 <= n <= i <= q->count;
        loop invariant \forall integer a; 0 <= a < n ==> kept[a] != task;
        loop invariant Q_ENTRIES_OK(q, task) ==> \forall integer a; 0 <= a < n ==> Q_ENTRY_OK(kept[a], NO_TASK);
        loop invariant Q_IDS(q) ==> \forall integer a; 0 <= a < n ==> TASK_ID(kept[a]);
        loop invariant dead: Q_DEAD_FREE(q, task) ==> \forall integer a; 0 <= a < n ==> NOT_DEAD(kept[a], NO_TASK);
        loop invariant \forall integer a; 0 <= a < n ==>
            0 <= src[a] < i && kept[a] == q->tasks[(q->head + src[a]) % MAX_WAITERS];
        loop invariant \forall integer a, b; 0 <= a < b < n ==> src[a] < src[b];
        loop assigns i, n, kept[0 .. MAX_WAITERS - 1], src[0 .. MAX_WAITERS - 1];
        loop variant q->count - i; */
    for (int i = 0; i < q->count; i++) {
        /*@ assert Q_LIVE(q, (q->head + i) % MAX_WAITERS); */
        uint8_t t = q->tasks[(q->head + i) % MAX_WAITERS];
        if (t != task) {
            /*@ ghost src[n] = i; */
            kept[n++] = t;
        }
    }
    /*@ assert \forall integer a, b; 0 <= a < b < n ==>
            (q->head + src[a]) % MAX_WAITERS != (q->head + src[b]) % MAX_WAITERS; */
    /*@ assert \forall integer a; 0 <= a < n ==> Q_LIVE(q, (q->head + src[a]) % MAX_WAITERS); */
    /*@ assert Q_DISTINCT(q) ==> \forall integer a, b; 0 <= a < b < n ==> kept[a] != kept[b]; */
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer a; 0 <= a < i ==> q->tasks[a] == kept[a];
        loop assigns i, q->tasks[0 .. MAX_WAITERS - 1];
        loop variant n - i; */
    for (int i = 0; i < n; i++)
        q->tasks[i] = kept[i];
    q->head = 0;
    q->count = n;
    /*@ assert q->count == n && \forall integer a; 0 <= a < n ==> q->tasks[a] == kept[a]; */
}

/* P8 (REF §11 #8): the receiver's x0..x3 become exactly the sender's; nothing else changes. */
/*@ requires TASK_ID(from) && TASK_ID(to);
    assigns tcbs[to].context.x[0 .. MSG_REGS - 1];
    ensures \forall integer r; 0 <= r < MSG_REGS ==> tcbs[to].context.x[r] == \old(tcbs[from].context.x[r]); */
static void copy_message(unsigned from, unsigned to)
{
    /*@ loop invariant 0 <= r <= MSG_REGS;
        loop invariant \forall integer k; 0 <= k < r ==> tcbs[to].context.x[k] == \at(tcbs[from].context.x[k], Pre);
        loop invariant \forall integer k; r <= k < 31 ==> tcbs[from].context.x[k] == \at(tcbs[from].context.x[k], Pre);
        loop assigns r, tcbs[to].context.x[0 .. MSG_REGS - 1];
        loop variant MSG_REGS - r; */
    for (unsigned r = 0; r < MSG_REGS; r++)
        tcbs[to].context.x[r] = tcbs[from].context.x[r];
}

/*@ requires TASK_ID(task);
    assigns tcbs[task].priority, tcbs[task].ipc_partner, tcbs[task].calling, tcbs[task].state;
    ensures tcbs[task].priority == tcbs[task].base_priority && tcbs[task].ipc_partner == NO_TASK;
    ensures !tcbs[task].calling && tcbs[task].state == TASK_READY; */
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

/* The task owes no answer any more, and (deviation 13) a boost it got for that CALL ends with it. */
/*@ requires TASK_ID(task);
    assigns tcbs[task].reply_to, tcbs[task].reply_gone, tcbs[task].priority;
    ensures tcbs[task].reply_to == NO_TASK && !tcbs[task].reply_gone;
    ensures tcbs[task].priority == tcbs[task].base_priority; */
static void clear_reply(unsigned task)
{
    tcbs[task].reply_to = NO_TASK;
    tcbs[task].reply_gone = false;
    tcbs[task].priority = tcbs[task].base_priority;
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
    tcbs[server].priority = tcbs[server].base_priority; /* deviation 13: a boost for an earlier CALL ends */
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

#define IPC_ENTRY \
    requires TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS && current_task != IDLE_TASK_ID; \
    requires \valid(frame) && \separated(frame, &tcbs[0 .. NUM_TASKS - 1], &current_task, &endpoints[0 .. MAX_ENDPOINTS - 1]);

/* SEND / RECV / CALL: no runtime error (-wp-rte), and the kernel invariants TCBS_OK and PRIO_OK (backlog: priority
 * inheritance) hold whenever schedule() is called; the helpers are inlined into them for the proof. */
/*@ IPC_ENTRY */
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

/*@ IPC_ENTRY */
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

/*@ IPC_ENTRY */
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
        give_reply_right(r, cur, ep);
        if (tcbs[cur].priority > tcbs[r].priority)
            tcbs[r].priority = tcbs[cur].priority; /* priority inheritance, until r answers (deviation 13) */
        schedule(frame);
        return;
    }
    tcbs[cur].calling = true;
    if (!block_as_sender(frame, e))
        tcbs[cur].calling = false; /* queue full: the CALL returns at once, as upstream */
}

/*@ ghost unsigned g_keep; */
/*@ ghost bool g_dead[NUM_TASKS]; */

/*@ requires TASK_ID(task) && IPC_BOUNDED && IPC_REFS;
    assigns endpoints[0 .. MAX_ENDPOINTS - 1].senders, endpoints[0 .. MAX_ENDPOINTS - 1].receiver;
    ensures IPC_BOUNDED && IPC_REFS;
    ensures \forall integer e; 0 <= e < MAX_ENDPOINTS ==> !Q_HAS(EP_Q(e), task) && endpoints[e].receiver != task;
    ensures \forall integer e; 0 <= e < MAX_ENDPOINTS && !\old(Q_HAS(EP_Q(e), g_keep)) ==> !Q_HAS(EP_Q(e), g_keep);
    ensures dead: \old(QS_DEAD_FREE(task)) ==> QS_DEAD_FREE(NO_TASK);
    ensures \forall integer e; 0 <= e < MAX_ENDPOINTS ==>
        endpoints[e].receiver == \old(endpoints[e].receiver) || endpoints[e].receiver == NO_TASK; */
static void remove_everywhere(unsigned task)
{
    /*@ loop invariant 0 <= i <= MAX_ENDPOINTS && IPC_BOUNDED && IPC_REFS;
        loop invariant \forall integer e; 0 <= e < i ==> !Q_HAS(EP_Q(e), task) && endpoints[e].receiver != task;
        loop invariant \forall integer e; 0 <= e < MAX_ENDPOINTS && !\at(Q_HAS(EP_Q(e), g_keep), Pre) ==>
            !Q_HAS(EP_Q(e), g_keep);
        loop invariant dead: \at(QS_DEAD_FREE(task), Pre) ==> (\forall integer e; 0 <= e < MAX_ENDPOINTS ==>
            Q_DEAD_FREE(EP_Q(e), e < i ? NO_TASK : task));
        loop invariant \forall integer e; 0 <= e < MAX_ENDPOINTS ==>
            endpoints[e].receiver == \at(endpoints[e].receiver, Pre) || endpoints[e].receiver == NO_TASK;
        loop assigns i, endpoints[0 .. MAX_ENDPOINTS - 1].senders, endpoints[0 .. MAX_ENDPOINTS - 1].receiver;
        loop variant MAX_ENDPOINTS - i; */
    for (unsigned i = 0; i < MAX_ENDPOINTS; i++) {
        queue_remove(&endpoints[i].senders, task);
        if (endpoints[i].receiver == task)
            endpoints[i].receiver = NO_TASK;
    }
}

/* P9 (REF §11 #9, and deviation 4): afterwards no queue, receiver or server slot names the task and no task owes it
 * an answer; every task Blocked on it (a caller waiting for its answer, a sender queued on an endpoint it served) is
 * Ready at its base priority with x0 = ERR_IPC_PARTNER_GONE (the code also takes it off every queue and receiver
 * slot; that part is not in the contract: docs/PROOFS.md). Backlog (priority
 * inheritance, deviation 13): a task that held the dead task's CALL is back at its base priority. Nothing else
 * changes state (Blocked -> Ready only) or priority (kept, or back to base). */
/*@ requires TASK_ID(task) && TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS;
    assigns g_keep, endpoints[0 .. MAX_ENDPOINTS - 1],
        tcbs[0 .. NUM_TASKS - 1].ipc_partner, tcbs[0 .. NUM_TASKS - 1].calling, tcbs[0 .. NUM_TASKS - 1].reply_to,
        tcbs[0 .. NUM_TASKS - 1].reply_gone, tcbs[0 .. NUM_TASKS - 1].priority, tcbs[0 .. NUM_TASKS - 1].state,
        tcbs[0 .. NUM_TASKS - 1].context.x[0];
    ensures TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS;
    ensures gone: IPC_GONE(task) && \forall integer w; TASK_ID(w) ==> tcbs[w].reply_to != task;
    ensures gone: tcbs[task].ipc_partner == NO_TASK && tcbs[task].reply_to == NO_TASK && !tcbs[task].calling;
    ensures woken: \forall integer w; TASK_ID(w) && w != task &&
        \old(tcbs[w].state) == TASK_BLOCKED && \old(tcbs[w].ipc_partner) == task ==>
            tcbs[w].state == TASK_READY && tcbs[w].context.x[0] == ERR_IPC_PARTNER_GONE &&
            tcbs[w].priority == tcbs[w].base_priority;
    ensures pi: \forall integer w; TASK_ID(w) && w != task && \old(tcbs[w].reply_to) == task ==>
        tcbs[w].priority == tcbs[w].base_priority && tcbs[w].reply_gone;
    ensures frame: \forall integer w; TASK_ID(w) ==>
        tcbs[w].state == \old(tcbs[w].state) || (\old(tcbs[w].state) == TASK_BLOCKED && tcbs[w].state == TASK_READY);
    ensures frame: \forall integer w; TASK_ID(w) ==>
        tcbs[w].priority == \old(tcbs[w].priority) || tcbs[w].priority == tcbs[w].base_priority;
    ensures dead: \old(DEAD_FREE(task)) ==> DEAD_FREE(NO_TASK);
    ensures keep: \forall integer w; TASK_ID(w) ==>
        tcbs[w].base_priority == \old(tcbs[w].base_priority) && tcbs[w].fault_tick == \old(tcbs[w].fault_tick) &&
        tcbs[w].notify_waiting == \old(tcbs[w].notify_waiting) && tcbs[w].heartbeat_interval == \old(tcbs[w].heartbeat_interval) &&
        tcbs[w].last_heartbeat == \old(tcbs[w].last_heartbeat); */
void ipc_cleanup_task(unsigned task)
{
    /*@ ghost g_keep = task; */
    remove_everywhere(task);
    /*@ loop invariant 0 <= i <= MAX_ENDPOINTS && IPC_REFS;
        loop invariant \forall integer e; 0 <= e < i ==> endpoints[e].server != task;
        loop invariant dead: \forall integer e; 0 <= e < MAX_ENDPOINTS ==>
            endpoints[e].server == \at(endpoints[e].server, Pre) || endpoints[e].server == NO_TASK;
        loop assigns i, endpoints[0 .. MAX_ENDPOINTS - 1].server;
        loop variant MAX_ENDPOINTS - i; */
    for (unsigned i = 0; i < MAX_ENDPOINTS; i++)
        if (endpoints[i].server == task)
            endpoints[i].server = NO_TASK;
    tcbs[task].ipc_partner = NO_TASK;
    tcbs[task].calling = false;
    clear_reply(task);

/* Deviation 4: wake whoever was blocked on the dead task. */
    /*@ loop invariant 0 <= w <= NUM_TASKS && TCBS_OK && PRIO_OK && IPC_BOUNDED && IPC_REFS && IPC_GONE(task);
        loop invariant g_keep == task;
        loop invariant tcbs[task].ipc_partner == NO_TASK && tcbs[task].reply_to == NO_TASK && !tcbs[task].calling;
        loop invariant \forall integer v; 0 <= v < w ==> tcbs[v].reply_to != task;
        loop invariant \forall integer v; 0 <= v < w && v != task &&
            \at(tcbs[v].state, Pre) == TASK_BLOCKED && \at(tcbs[v].ipc_partner, Pre) == task ==>
                tcbs[v].state == TASK_READY && tcbs[v].context.x[0] == ERR_IPC_PARTNER_GONE &&
                tcbs[v].priority == tcbs[v].base_priority;
        loop invariant \forall integer v; 0 <= v < w && v != task && \at(tcbs[v].reply_to, Pre) == task ==>
            tcbs[v].priority == tcbs[v].base_priority && tcbs[v].reply_gone;
        loop invariant \forall integer v; w <= v < NUM_TASKS && v != task ==>
            tcbs[v].state == \at(tcbs[v].state, Pre) && tcbs[v].ipc_partner == \at(tcbs[v].ipc_partner, Pre) &&
            tcbs[v].reply_to == \at(tcbs[v].reply_to, Pre) && tcbs[v].priority == \at(tcbs[v].priority, Pre);
        loop invariant \forall integer v; TASK_ID(v) ==> tcbs[v].state == \at(tcbs[v].state, Pre) ||
            (\at(tcbs[v].state, Pre) == TASK_BLOCKED && tcbs[v].state == TASK_READY);
        loop invariant \forall integer v; TASK_ID(v) ==>
            tcbs[v].priority == \at(tcbs[v].priority, Pre) || tcbs[v].priority == tcbs[v].base_priority;
        loop invariant tcbs[task].state == \at(tcbs[task].state, Pre);
        loop invariant dead: \at(DEAD_FREE(task), Pre) ==> DEAD_FREE(NO_TASK);
        loop invariant keep: \forall integer v; TASK_ID(v) ==>
            tcbs[v].base_priority == \at(tcbs[v].base_priority, Pre) && tcbs[v].fault_tick == \at(tcbs[v].fault_tick, Pre) &&
            tcbs[v].notify_waiting == \at(tcbs[v].notify_waiting, Pre) &&
            tcbs[v].heartbeat_interval == \at(tcbs[v].heartbeat_interval, Pre) &&
            tcbs[v].last_heartbeat == \at(tcbs[v].last_heartbeat, Pre);
        loop assigns w, endpoints[0 .. MAX_ENDPOINTS - 1].senders, endpoints[0 .. MAX_ENDPOINTS - 1].receiver,
            tcbs[0 .. NUM_TASKS - 1].ipc_partner, tcbs[0 .. NUM_TASKS - 1].calling, tcbs[0 .. NUM_TASKS - 1].reply_to,
            tcbs[0 .. NUM_TASKS - 1].reply_gone, tcbs[0 .. NUM_TASKS - 1].priority, tcbs[0 .. NUM_TASKS - 1].state,
            tcbs[0 .. NUM_TASKS - 1].context.x[0];
        loop variant NUM_TASKS - w; */
    for (unsigned w = 0; w < NUM_TASKS; w++) {
        if (tcbs[w].reply_to == task) {
            tcbs[w].reply_to = NO_TASK;
            tcbs[w].reply_gone = true;
            tcbs[w].priority = tcbs[w].base_priority; /* deviation 13: its boost ends with the caller */
        }
        if (w == task || tcbs[w].state != TASK_BLOCKED || tcbs[w].ipc_partner != task)
            continue;
        remove_everywhere(w);
        tcbs[w].context.x[0] = ERR_IPC_PARTNER_GONE;
        make_ready(w);
    }
}
