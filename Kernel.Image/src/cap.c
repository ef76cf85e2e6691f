/* Capability mapping and names (REFERENCE §5, §6). */
#include "aegis/cap.h"
#include "aegis/abi.h"

static const uint64_t send_caps[MAX_ENDPOINTS] = { CAP_IPC_SEND_EP0, CAP_IPC_SEND_EP1, CAP_IPC_SEND_EP2, CAP_IPC_SEND_EP3 };
static const uint64_t recv_caps[MAX_ENDPOINTS] = { CAP_IPC_RECV_EP0, CAP_IPC_RECV_EP1, CAP_IPC_RECV_EP2, CAP_IPC_RECV_EP3 };

/* Unknown numbers and SEND/RECV/CALL on ep > 3 need nothing (the handler then reports them). */
/* P2 (REF §11 #2, and the capability table per syscall, REF §6): the result is exactly the table's bits: one right
 * per syscall, SEND and RECV the endpoint's bit, CALL both, nothing for an unknown number or endpoint; each of those
 * is a subset of CAP_ALL (lemma cap_table_in_all), so the result is. */
/*@ lemma cap_table_in_all:
        (CAP_IPC_SEND_EP0 & ~CAP_ALL) == 0 &&
        (CAP_IPC_RECV_EP0 & ~CAP_ALL) == 0 &&
        (CAP_IPC_SEND_EP1 & ~CAP_ALL) == 0 &&
        (CAP_IPC_RECV_EP1 & ~CAP_ALL) == 0 &&
        (CAP_WRITE & ~CAP_ALL) == 0 &&
        (CAP_YIELD & ~CAP_ALL) == 0 &&
        (CAP_NOTIFY & ~CAP_ALL) == 0 &&
        (CAP_WAIT_NOTIFY & ~CAP_ALL) == 0 &&
        (CAP_IPC_SEND_EP2 & ~CAP_ALL) == 0 &&
        (CAP_IPC_RECV_EP2 & ~CAP_ALL) == 0 &&
        (CAP_IPC_SEND_EP3 & ~CAP_ALL) == 0 &&
        (CAP_IPC_RECV_EP3 & ~CAP_ALL) == 0 &&
        (CAP_GRANT_CREATE & ~CAP_ALL) == 0 &&
        (CAP_GRANT_REVOKE & ~CAP_ALL) == 0 &&
        (CAP_IRQ_BIND & ~CAP_ALL) == 0 &&
        (CAP_IRQ_ACK & ~CAP_ALL) == 0 &&
        (CAP_DEVICE_MAP & ~CAP_ALL) == 0 &&
        (CAP_HEARTBEAT & ~CAP_ALL) == 0 &&
        (CAP_EXIT & ~CAP_ALL) == 0 &&
        ((CAP_IPC_SEND_EP0 | CAP_IPC_RECV_EP0) & ~CAP_ALL) == 0 &&
        ((CAP_IPC_SEND_EP1 | CAP_IPC_RECV_EP1) & ~CAP_ALL) == 0 &&
        ((CAP_IPC_SEND_EP2 | CAP_IPC_RECV_EP2) & ~CAP_ALL) == 0 &&
        ((CAP_IPC_SEND_EP3 | CAP_IPC_RECV_EP3) & ~CAP_ALL) == 0; */
/*@ assigns \nothing;
    ensures table: nr == SYS_YIELD ==> \result == CAP_YIELD;
    ensures table: nr == SYS_SEND && ep == 0 ==> \result == (CAP_IPC_SEND_EP0);
    ensures table: nr == SYS_SEND && ep == 1 ==> \result == (CAP_IPC_SEND_EP1);
    ensures table: nr == SYS_SEND && ep == 2 ==> \result == (CAP_IPC_SEND_EP2);
    ensures table: nr == SYS_SEND && ep == 3 ==> \result == (CAP_IPC_SEND_EP3);
    ensures table: nr == SYS_SEND && ep >= MAX_ENDPOINTS ==> \result == 0;
    ensures table: nr == SYS_RECV && ep == 0 ==> \result == (CAP_IPC_RECV_EP0);
    ensures table: nr == SYS_RECV && ep == 1 ==> \result == (CAP_IPC_RECV_EP1);
    ensures table: nr == SYS_RECV && ep == 2 ==> \result == (CAP_IPC_RECV_EP2);
    ensures table: nr == SYS_RECV && ep == 3 ==> \result == (CAP_IPC_RECV_EP3);
    ensures table: nr == SYS_RECV && ep >= MAX_ENDPOINTS ==> \result == 0;
    ensures table: nr == SYS_CALL && ep == 0 ==> \result == (CAP_IPC_SEND_EP0 | CAP_IPC_RECV_EP0);
    ensures table: nr == SYS_CALL && ep == 1 ==> \result == (CAP_IPC_SEND_EP1 | CAP_IPC_RECV_EP1);
    ensures table: nr == SYS_CALL && ep == 2 ==> \result == (CAP_IPC_SEND_EP2 | CAP_IPC_RECV_EP2);
    ensures table: nr == SYS_CALL && ep == 3 ==> \result == (CAP_IPC_SEND_EP3 | CAP_IPC_RECV_EP3);
    ensures table: nr == SYS_CALL && ep >= MAX_ENDPOINTS ==> \result == 0;
    ensures table: nr == SYS_WRITE ==> \result == CAP_WRITE;
    ensures table: nr == SYS_NOTIFY ==> \result == CAP_NOTIFY;
    ensures table: nr == SYS_WAIT_NOTIFY ==> \result == CAP_WAIT_NOTIFY;
    ensures table: nr == SYS_GRANT_CREATE ==> \result == CAP_GRANT_CREATE;
    ensures table: nr == SYS_GRANT_REVOKE ==> \result == CAP_GRANT_REVOKE;
    ensures table: nr == SYS_IRQ_BIND ==> \result == CAP_IRQ_BIND;
    ensures table: nr == SYS_IRQ_ACK ==> \result == CAP_IRQ_ACK;
    ensures table: nr == SYS_DEVICE_MAP ==> \result == CAP_DEVICE_MAP;
    ensures table: nr == SYS_HEARTBEAT ==> \result == CAP_HEARTBEAT;
    ensures table: nr == SYS_EXIT ==> \result == CAP_EXIT;
    ensures table: nr > SYS_EXIT ==> \result == 0;
    ensures needed: nr <= SYS_EXIT && ep < MAX_ENDPOINTS ==> \result != 0; */
uint64_t cap_for_syscall(uint64_t nr, uint64_t ep)
{
    switch (nr) {
    case SYS_YIELD:        return CAP_YIELD;
    case SYS_SEND:         return ep < MAX_ENDPOINTS ? send_caps[ep] : 0;
    case SYS_RECV:         return ep < MAX_ENDPOINTS ? recv_caps[ep] : 0;
    case SYS_CALL:         return ep < MAX_ENDPOINTS ? (send_caps[ep] | recv_caps[ep]) : 0;
    case SYS_WRITE:        return CAP_WRITE;
    case SYS_NOTIFY:       return CAP_NOTIFY;
    case SYS_WAIT_NOTIFY:  return CAP_WAIT_NOTIFY;
    case SYS_GRANT_CREATE: return CAP_GRANT_CREATE;
    case SYS_GRANT_REVOKE: return CAP_GRANT_REVOKE;
    case SYS_IRQ_BIND:     return CAP_IRQ_BIND;
    case SYS_IRQ_ACK:      return CAP_IRQ_ACK;
    case SYS_DEVICE_MAP:   return CAP_DEVICE_MAP;
    case SYS_HEARTBEAT:    return CAP_HEARTBEAT;
    case SYS_EXIT:         return CAP_EXIT;
    default:               return 0;
    }
}

/* P1 (REF §11 #1): the check passes exactly when every required bit is held; nothing required always passes, no
 * rights pass nothing that requires one. */
/*@ assigns \nothing;
    ensures \result <==> (caps & required) == required;
    ensures required == 0 ==> \result;
    ensures caps == 0 && required != 0 ==> !\result; */
bool cap_check(uint64_t caps, uint64_t required)
{
    return (caps & required) == required;
}

static const char *const cap_names[19] = {
    "IPC_SEND_EP0", "IPC_RECV_EP0", "IPC_SEND_EP1", "IPC_RECV_EP1", "WRITE", "YIELD",
    "NOTIFY", "WAIT_NOTIFY", "IPC_SEND_EP2", "IPC_RECV_EP2", "IPC_SEND_EP3", "IPC_RECV_EP3",
    "GRANT_CREATE", "GRANT_REVOKE", "IRQ_BIND", "IRQ_ACK", "DEVICE_MAP", "HEARTBEAT", "EXIT",
};

/*@ assigns \nothing; */
const char *cap_name(uint64_t cap)
{
    if (cap == CAP_ALL)
        return "ALL";
    if (cap == CAP_NONE)
        return "NONE";
    /*@ loop invariant 0 <= b <= 19; loop assigns b; loop variant 19 - b; */
    for (unsigned b = 0; b < 19; b++)
        if (cap == (1ULL << b))
            return cap_names[b];
    return "UNKNOWN";
}
