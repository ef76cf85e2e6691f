/* Synchronous IPC on 4 endpoints (REFERENCE §7.1). */
#ifndef AEGIS_IPC_H
#define AEGIS_IPC_H
#include "aegis/types.h"
#include "aegis/sched.h"

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

/* Defined in src/ipc.c; declared here so that the proofs' invariant below can name it (docs/PROOFS.md). */
extern struct endpoint endpoints[MAX_ENDPOINTS];

#ifdef __FRAMAC__
/* Proof vocabulary (scripts/prove.sh, docs/PROOFS.md), used in ACSL through -pp-annot; macros, as in sched.h.
 *
 * Q_LIVE(q, p): slot p (< MAX_WAITERS) of queue q holds a queued sender: it lies within count slots of head, going
 * round. The invariants look at slots, not at "the k-th sender" (tasks[(head + k) % MAX_WAITERS]), which the
 * provers handle badly inside an array index. */
#define Q_LIVE(q, p) (((q)->head <= (p) && (p) < (q)->head + (q)->count) || (p) + MAX_WAITERS < (q)->head + (q)->count)
#define Q_BOUNDED(q) ((q)->count <= MAX_WAITERS && (q)->head < MAX_WAITERS)
#define Q_HAS(q, t) (\exists integer p_; 0 <= p_ < MAX_WAITERS && Q_LIVE(q, p_) && (q)->tasks[p_] == (t))
#define Q_DISTINCT(q) (\forall integer p1_, p2_; 0 <= p1_ < MAX_WAITERS && 0 <= p2_ < MAX_WAITERS && p1_ != p2_ && \
    Q_LIVE(q, p1_) && Q_LIVE(q, p2_) ==> (q)->tasks[p1_] != (q)->tasks[p2_])
/* A task waiting in IPC (queued sender, waiting receiver, caller waiting for an answer) is Blocked, so neither
 * Exited nor Running, and is never the idle task; `but` is exempt from "Blocked" (ipc_cleanup_task's precondition:
 * the watchdog and the exit path change the dead task's state before they clean it up). */
#define Q_ENTRY_OK(t, but) (TASK_ID(t) && (t) != IDLE_TASK_ID && ((t) == (but) || tcbs[t].state == TASK_BLOCKED))
#define Q_ENTRIES_OK(q, but) (\forall integer p_; 0 <= p_ < MAX_WAITERS && Q_LIVE(q, p_) ==> \
    Q_ENTRY_OK((q)->tasks[p_], but))
#define EP_Q(e) (&endpoints[e].senders)
/* t is a queued sender on some endpoint. */
#define IPC_QUEUED(t) (\exists integer e_; 0 <= e_ < MAX_ENDPOINTS && Q_HAS(EP_Q(e_), t))

/* The IPC invariant. Every place where a task waits in IPC (a sender-queue slot, an endpoint's receiver slot, a
 * server's reply_to) names a Blocked task other than idle, and no task waits in two places: so no sender queue holds
 * a task twice or an Exited task (backlog), and make_ready never wakes a task that still waits somewhere. A caller
 * waiting for an answer has the answering server as ipc_partner (deviation 4's wake-up relies on it). */
#define IPC_OK_BUT(but) ( \
    (\forall integer e; 0 <= e < MAX_ENDPOINTS ==> \
        Q_BOUNDED(EP_Q(e)) && Q_ENTRIES_OK(EP_Q(e), but) && \
        TASK_REF(endpoints[e].receiver) && TASK_REF(endpoints[e].server)) && \
    (\forall integer e1, e2, p1, p2; 0 <= e1 < MAX_ENDPOINTS && 0 <= e2 < MAX_ENDPOINTS && \
        0 <= p1 < MAX_WAITERS && 0 <= p2 < MAX_WAITERS && (e1 != e2 || p1 != p2) && \
        Q_LIVE(EP_Q(e1), p1) && Q_LIVE(EP_Q(e2), p2) ==> EP_Q(e1)->tasks[p1] != EP_Q(e2)->tasks[p2]) && \
    (\forall integer e; 0 <= e < MAX_ENDPOINTS && endpoints[e].receiver != NO_TASK ==> \
        Q_ENTRY_OK(endpoints[e].receiver, but) && !IPC_QUEUED(endpoints[e].receiver) && \
        (\forall integer e2; 0 <= e2 < MAX_ENDPOINTS && e2 != e ==> endpoints[e2].receiver != endpoints[e].receiver)) && \
    (\forall integer s; TASK_ID(s) && tcbs[s].reply_to != NO_TASK ==> \
        Q_ENTRY_OK(tcbs[s].reply_to, but) && tcbs[tcbs[s].reply_to].ipc_partner == s && \
        !IPC_QUEUED(tcbs[s].reply_to) && \
        (\forall integer e; 0 <= e < MAX_ENDPOINTS ==> endpoints[e].receiver != tcbs[s].reply_to) && \
        (\forall integer s2; TASK_ID(s2) && s2 != s ==> tcbs[s2].reply_to != tcbs[s].reply_to)))
#define IPC_OK IPC_OK_BUT(NO_TASK)
/* The part of the invariant that ipc_cleanup_task needs, and keeps: bounded queues, slots that name a task or none. */
#define IPC_BOUNDED (\forall integer e; 0 <= e < MAX_ENDPOINTS ==> Q_BOUNDED(EP_Q(e)))
#define Q_IDS(q) (\forall integer p_; 0 <= p_ < MAX_WAITERS && Q_LIVE(q, p_) ==> TASK_ID((q)->tasks[p_]))
#define IPC_REFS (\forall integer e; 0 <= e < MAX_ENDPOINTS ==> \
    TASK_REF(endpoints[e].receiver) && TASK_REF(endpoints[e].server) && Q_IDS(EP_Q(e)))

/* Ghost (src/ipc.c): a task that remove_everywhere must not bring back, for ipc_cleanup_task's proof. */
/*@ ghost extern unsigned g_keep; */
/* REF §11 #9: the task is in no queue, receiver or server slot. */
#define IPC_GONE(t) (\forall integer e; 0 <= e < MAX_ENDPOINTS ==> \
    !Q_HAS(EP_Q(e), t) && endpoints[e].receiver != (t) && endpoints[e].server != (t))

/* Ghost (src/ipc.c): the tasks watchdog_scan has faulted so far in its scan (P5). The cleanup never puts a task into
 * an IPC slot, so it never brings one of them back: DEAD_FREE(NO_TASK) is kept. Stated for every slot ("no slot names
 * a task of the set", universal formulas) rather than as "IPC_GONE(t) is kept for every t", which the provers do not
 * finish. `but` is exempt (the task being cleaned up). */
/*@ ghost extern bool g_dead[NUM_TASKS]; */
#define NOT_DEAD(x, but) ((x) == (but) || !TASK_ID(x) || !g_dead[x])
#define Q_DEAD_FREE(q, but) (\forall integer p_; 0 <= p_ < MAX_WAITERS && Q_LIVE(q, p_) ==> NOT_DEAD((q)->tasks[p_], but))
#define QS_DEAD_FREE(but) (\forall integer e_; 0 <= e_ < MAX_ENDPOINTS ==> Q_DEAD_FREE(EP_Q(e_), but))
#define DEAD_FREE(but) (QS_DEAD_FREE(but) && (\forall integer e_; 0 <= e_ < MAX_ENDPOINTS ==> \
    NOT_DEAD(endpoints[e_].receiver, but) && NOT_DEAD(endpoints[e_].server, but)))
#endif

void sys_send(struct trap_frame *frame, uint64_t ep);
void sys_recv(struct trap_frame *frame, uint64_t ep);
void sys_call(struct trap_frame *frame, uint64_t ep);
void ipc_cleanup_task(unsigned task);
#endif
