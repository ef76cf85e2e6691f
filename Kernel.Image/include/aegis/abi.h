/* AegisOS kernel ABI: every value here is visible to user programs or to tools.
 * Values follow /work/shared/aegis/REFERENCE.md (sections 4-7); the C# twin is Kernel.Image/Abi/. */
#ifndef AEGIS_ABI_H
#define AEGIS_ABI_H

/* ---- Syscall numbers: x7 = number, x6 = endpoint / target / peer, x0-x3 = args (REFERENCE §5) ---- */
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

/* ---- Capability bits (REFERENCE §6) ---- */
#define CAP_IPC_SEND_EP0 (1ULL << 0)
#define CAP_IPC_RECV_EP0 (1ULL << 1)
#define CAP_IPC_SEND_EP1 (1ULL << 2)
#define CAP_IPC_RECV_EP1 (1ULL << 3)
#define CAP_WRITE        (1ULL << 4)
#define CAP_YIELD        (1ULL << 5)
#define CAP_NOTIFY       (1ULL << 6)
#define CAP_WAIT_NOTIFY  (1ULL << 7)
#define CAP_IPC_SEND_EP2 (1ULL << 8)
#define CAP_IPC_RECV_EP2 (1ULL << 9)
#define CAP_IPC_SEND_EP3 (1ULL << 10)
#define CAP_IPC_RECV_EP3 (1ULL << 11)
#define CAP_GRANT_CREATE (1ULL << 12)
#define CAP_GRANT_REVOKE (1ULL << 13)
#define CAP_IRQ_BIND     (1ULL << 14)
#define CAP_IRQ_ACK      (1ULL << 15)
#define CAP_DEVICE_MAP   (1ULL << 16)
#define CAP_HEARTBEAT    (1ULL << 17)
#define CAP_EXIT         (1ULL << 18)
#define CAP_ALL          0x7FFFFULL
#define CAP_NONE         0ULL

/* ---- Error codes returned in x0 (REFERENCE §5) ---- */
#define ERR_NOTIFY_BAD_TARGET   0xFFFFDEADULL /* SYS_NOTIFY target >= NUM_TASKS */
#define ERR_GRANT_BAD_ID        0xFFFF0001ULL
#define ERR_GRANT_ACTIVE        0xFFFF0002ULL
#define ERR_GRANT_BAD_PEER      0xFFFF0003ULL
#define ERR_GRANT_SELF          0xFFFF0004ULL
#define ERR_GRANT_NOT_OWNER     0xFFFF0005ULL
#define ERR_IRQ_INVALID         0xFFFF1001ULL /* intid < 32 or notify bit == 0 */
#define ERR_IRQ_ALREADY_BOUND   0xFFFF1002ULL
#define ERR_IRQ_TABLE_FULL      0xFFFF1003ULL
#define ERR_IRQ_NOT_BOUND       0xFFFF1004ULL
#define ERR_IRQ_NOT_OWNER       0xFFFF1005ULL
#define ERR_DEVICE_BAD_ID       0xFFFF2001ULL
#define ERR_DEVICE_BAD_TASK     0xFFFF2002ULL
#define ERR_PAGE_BAD_TASK       0xFFFF3001ULL /* internal: set_page_attr */
#define ERR_PAGE_BAD_VADDR      0xFFFF3002ULL /* internal: set_page_attr */
/* Ours (deviation 4): x0 of a task woken because the task it was blocked on in
 * SEND/CALL, or whose reply it was waiting for, faulted or exited. x1-x3 keep their values. */
#define ERR_IPC_PARTNER_GONE    0xFFFF4001ULL
/* Ours (deviation 7): x0 of a SYS_WRITE the kernel refused: a length outside 1..256, a range outside RAM, or a
 * byte the caller could not read itself at EL0. */
#define ERR_WRITE_BAD_POINTER   0xFFFF5001ULL

/* ---- Task states (REFERENCE §4.1), stored as u8 ---- */
#define TASK_INACTIVE 0
#define TASK_READY    1
#define TASK_RUNNING  2
#define TASK_BLOCKED  3
#define TASK_FAULTED  4
#define TASK_EXITED   5

/* ---- Sizes ---- */
#define NUM_TASKS        8
#define IDLE_TASK_ID     7
#define MAX_ENDPOINTS    4
#define MSG_REGS         4
#define MAX_WAITERS      4
#define MAX_GRANTS       2
#define GRANT_PAGE_SIZE  4096
#define MAX_IRQ_BINDINGS 8
#define MIN_SPI_INTID    32
#define MAX_SPI_INTID    1019 /* ours: last GICv2 SPI; above it GICD_ISENABLER + 4*(intid/32) is another register */
#define MAX_DEVICE_ID    0
#define SYS_WRITE_MAX    256

/* ---- Scheduling constants (REFERENCE §4.1) ---- */
#define EPOCH_LENGTH         100
#define WATCHDOG_SCAN_PERIOD 10
#define RESTART_DELAY_TICKS  100

/* ---- TrapFrame layout (REFERENCE §3.2): 36 x u64 ---- */
#define TF_X(n)     ((n) * 8)
#define TF_SP_EL0   248
#define TF_ELR_EL1  256
#define TF_SPSR_EL1 264
#define TF_SIZE     288

/* The UART driver's print protocol (deviation 10): a CALL on endpoint 0 carries the bytes in x0-x2 (byte i in
 * bits 8*(i%8) of x[i/8]) and their count, 1..UART_MSG_MAX, in x3. The empty request (x0 = x1 = x2 = x3 = 0) prints
 * nothing (issue 13: the client's round trips between its reports). The reply: "OK", or "NO" for a bad count (or a
 * count of 0 with bytes in x0-x2: upstream's (address, length) request). */
#define UART_DRIVER_REPLY_OK  0x4F4BULL
#define UART_DRIVER_REPLY_BAD 0x4E4FULL
#define UART_MSG_MAX          24

#endif
