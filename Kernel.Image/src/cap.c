/* Capability mapping and names (REFERENCE §5, §6). */
#include "aegis/cap.h"
#include "aegis/abi.h"

static const uint64_t send_caps[MAX_ENDPOINTS] = { CAP_IPC_SEND_EP0, CAP_IPC_SEND_EP1, CAP_IPC_SEND_EP2, CAP_IPC_SEND_EP3 };
static const uint64_t recv_caps[MAX_ENDPOINTS] = { CAP_IPC_RECV_EP0, CAP_IPC_RECV_EP1, CAP_IPC_RECV_EP2, CAP_IPC_RECV_EP3 };

/* Unknown numbers and SEND/RECV/CALL on ep > 3 need nothing (the handler then reports them). */
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

bool cap_check(uint64_t caps, uint64_t required)
{
    return (caps & required) == required;
}

static const char *const cap_names[19] = {
    "IPC_SEND_EP0", "IPC_RECV_EP0", "IPC_SEND_EP1", "IPC_RECV_EP1", "WRITE", "YIELD",
    "NOTIFY", "WAIT_NOTIFY", "IPC_SEND_EP2", "IPC_RECV_EP2", "IPC_SEND_EP3", "IPC_RECV_EP3",
    "GRANT_CREATE", "GRANT_REVOKE", "IRQ_BIND", "IRQ_ACK", "DEVICE_MAP", "HEARTBEAT", "EXIT",
};

const char *cap_name(uint64_t cap)
{
    if (cap == CAP_ALL)
        return "ALL";
    if (cap == CAP_NONE)
        return "NONE";
    for (unsigned b = 0; b < 19; b++)
        if (cap == (1ULL << b))
            return cap_names[b];
    return "UNKNOWN";
}
