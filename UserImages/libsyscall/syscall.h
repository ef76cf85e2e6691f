/* libsyscall: the ONE place where AegisOS user programs spell out syscalls (REFERENCE §5, §9).
 * ABI: x7 = syscall number, x6 = endpoint / target / peer, x0-x3 = payload; x0-x3 may come back
 * changed, every other register is preserved by the kernel. The numbers mirror
 * Kernel.Image/include/aegis/abi.h (a test compares them). The 16 functions of REFERENCE §9. */
#ifndef AEGIS_LIBSYSCALL_H
#define AEGIS_LIBSYSCALL_H
#include <stdint.h>

#define SYS_YIELD        0
#define SYS_SEND         1
#define SYS_RECV         2
#define SYS_CALL         3
#define SYS_WRITE        4
#define SYS_NOTIFY       5
#define SYS_WAIT_NOTIFY  6
#define SYS_GRANT_CREATE 7
#define SYS_GRANT_REVOKE 8
#define SYS_IRQ_BIND     9
#define SYS_IRQ_ACK      10
#define SYS_DEVICE_MAP   11
#define SYS_HEARTBEAT    12
#define SYS_EXIT         13

/* Error code a task blocked on a partner that exited or faulted gets in x0 (deviation 4). */
#define ERR_IPC_PARTNER_GONE 0xFFFF4001ULL

struct recv2 { uint64_t x0, x1; };
struct regs4 { uint64_t x0, x1, x2, x3; };

void syscall_yield(void);
void syscall_send(uint64_t ep, uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3);
uint64_t syscall_recv(uint64_t ep);
struct recv2 syscall_recv2(uint64_t ep);
uint64_t syscall_call(uint64_t ep, uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3);
void syscall_write(const void *ptr, uint64_t len);
void print(const char *s);
void syscall_notify(uint64_t target, uint64_t bits);
uint64_t syscall_wait_notify(void);
uint64_t syscall_grant_create(uint64_t id, uint64_t peer);
uint64_t syscall_grant_revoke(uint64_t id);
uint64_t syscall_irq_bind(uint64_t intid, uint64_t bit);
uint64_t syscall_irq_ack(uint64_t intid);
uint64_t syscall_device_map(uint64_t id);
uint64_t syscall_heartbeat(uint64_t interval);
__attribute__((noreturn)) void syscall_exit(uint64_t code);
/* Any syscall, every argument register chosen (x7 = nr, x6, x0-x3); returns the kernel's x0-x3 (raw.S). Not in REFERENCE
 * §9: for test programs (UserImages/attack) that must issue what no wrapper would and read the error code. */
struct regs4 syscall_raw(uint64_t nr, uint64_t x6, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

#endif
