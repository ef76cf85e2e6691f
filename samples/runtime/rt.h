// The guest programs' freestanding runtime: UART output, exit, exception hooks, system registers.
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>

// ---- UART (PL011 at 0x0900_0000) ----
void uart_putc(char c);
void uart_puts(const char *s);
void print_hex(uint64_t v, int digits);     // digits = 0: as many as needed
void print_dec(int64_t v);
void print_udec(uint64_t v);
// printf subset: %d %i %u %x %X %s %c %p %%, flags '0' '-', width, 'l' / 'll' / 'z'
void rt_printf(const char *fmt, ...);
void rt_vprintf(const char *fmt, va_list ap);
#define printf rt_printf

// ---- exit: semihosting SYS_EXIT (ADP_Stopped_ApplicationExit), then PSCI SYSTEM_OFF ----
_Noreturn void rt_exit(int code);
void semihost_exit(int code);
void psci_system_off(void);
// PSCI call through hvc (EL1 entry) or smc (EL2 entry), as QEMU's -M virt provides
uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

extern int rt_entry_el;     // the EL the program was entered at (1 or 2)

// ---- exceptions ----
struct rt_frame {
    uint64_t x[31];         // x0..x30 at the time of the exception
    uint64_t elr, spsr, esr, far;
    uint64_t kind;          // vector index 0..15: (group << 2) | type, type 0 sync, 1 IRQ, 2 FIQ, 3 SError
};
// A hook returns nonzero when it handled the exception (the frame is then restored and ERET taken).
typedef int (*rt_handler)(struct rt_frame *f);
extern rt_handler rt_sync_handler;
extern rt_handler rt_irq_handler;
void rt_exception(struct rt_frame *f, uint64_t kind);
#define ESR_EC(esr) (((esr) >> 26) & 0x3F)
#define ESR_ISS(esr) ((esr) & 0x1FFFFFF)

// ---- system registers ----
#define read_sysreg(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" :: "r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(o) __asm__ volatile("dsb " #o ::: "memory")
static inline int current_el(void) { return (int)(read_sysreg(CurrentEL) >> 2); }

static inline uint32_t mmio_read32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint8_t mmio_read8(uint64_t a) { return *(volatile uint8_t *)a; }
static inline void mmio_write8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

// ---- string routines (the compiler may also call these) ----
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

// ---- EL0 ----
// Runs fn(arg) at EL0 (SP_EL0 = stack_top) through ERET; returns when the EL0 code issues
// `svc #0xFFFF` (rt_svc_return), with the value in x0 at that point.
uint64_t rt_run_el0(uint64_t (*fn)(uint64_t), uint64_t arg, void *stack_top);
// At EL2: runs fn(arg) at EL1h (SP_EL1 = stack_top, DAIF masked); fn's return issues hvc #0xFFFF.
uint64_t rt_el1_enter(uint64_t (*fn)(uint64_t), uint64_t arg, void *stack_top);
// Set to 1 by a program that wants to stay at EL2 when entered there (the runtime then uses VBAR_EL2).
extern const int runtime_keep_el2;

// ---- checks ----
extern int rt_failures;
#define CHECK(cond) rt_check((cond), #cond, __LINE__)
void rt_check(int ok, const char *what, int line);
