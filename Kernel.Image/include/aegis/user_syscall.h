/* The kernel's own copy of the syscall wrappers, for tasks 0/1 only (REFERENCE §9:
 * main.rs carries its own copy). x7 = number, x6 = endpoint/target, x0-x3 = args;
 * x0-x3 may come back changed, every other register is preserved. */
#ifndef AEGIS_USER_SYSCALL_H
#define AEGIS_USER_SYSCALL_H
#include <stdint.h>
#include "aegis/abi.h"

struct msg4 { uint64_t r[4]; };

static inline __attribute__((always_inline))
struct msg4 aegis_syscall(uint64_t nr, uint64_t x6v, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    register uint64_t x6 __asm__("x6") = x6v;
    register uint64_t x7 __asm__("x7") = nr;
    __asm__ volatile("svc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : "r"(x6), "r"(x7) : "memory");
    struct msg4 m = { { x0, x1, x2, x3 } };
    return m;
}

static inline void u_yield(void) { aegis_syscall(SYS_YIELD, 0, 0, 0, 0, 0); }
static inline void u_send(uint64_t ep, uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3)
{ aegis_syscall(SYS_SEND, ep, m0, m1, m2, m3); }
static inline struct msg4 u_recv(uint64_t ep) { return aegis_syscall(SYS_RECV, ep, 0, 0, 0, 0); }
static inline uint64_t u_call(uint64_t ep, uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3)
{ return aegis_syscall(SYS_CALL, ep, m0, m1, m2, m3).r[0]; }
static inline void u_write(const char *p, uint64_t len) { aegis_syscall(SYS_WRITE, 0, (uint64_t)p, len, 0, 0); }
static inline uint64_t u_grant_create(uint64_t id, uint64_t peer)
{ return aegis_syscall(SYS_GRANT_CREATE, peer, id, 0, 0, 0).r[0]; }
static inline uint64_t u_device_map(uint64_t id) { return aegis_syscall(SYS_DEVICE_MAP, 0, id, 0, 0, 0).r[0]; }
static inline uint64_t u_heartbeat(uint64_t interval)
{ return aegis_syscall(SYS_HEARTBEAT, 0, interval, 0, 0, 0).r[0]; }
/* The guest clock at EL0: the generic timer's virtual count and its frequency (kernel_main sets
 * CNTKCTL_EL1.EL0VCTEN; docs/PHASE-O-DECISIONS.md Q9). Not syscalls: plain MRS. */
static inline uint64_t u_clock_now(void) { uint64_t v; __asm__ volatile("mrs %0, cntvct_el0" : "=r"(v)); return v; }
static inline uint64_t u_clock_freq(void) { uint64_t v; __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v)); return v; }
#endif
