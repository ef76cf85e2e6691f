// Exit paths, the exception dispatcher and its default report, EL0 entry, checks.
#include "rt.h"

int rt_entry_el;
int rt_failures;
rt_handler rt_sync_handler;
rt_handler rt_irq_handler;

// Semihosting SYS_EXIT (0x18) with an ADP_Stopped_ApplicationExit parameter block: QEMU exits
// with the block's subcode as its status.
void semihost_exit(int code)
{
    static uint64_t block[2];
    block[0] = 0x20026;     // ADP_Stopped_ApplicationExit
    block[1] = (uint64_t)(int64_t)code;
    register uint64_t x0 __asm__("x0") = 0x18;
    register uint64_t x1 __asm__("x1") = (uint64_t)block;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    if (rt_entry_el == 2)
        __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
    else
        __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
    return x0;
}

void psci_system_off(void) { psci_call(0x84000008, 0, 0, 0); }

_Noreturn void rt_exit(int code)
{
    semihost_exit(code);
    psci_system_off();      // only reached without semihosting: the exit code is lost
    for (;;) __asm__ volatile("wfi");
}

static const char *const kind_names[4] = { "sync", "IRQ", "FIQ", "SError" };
static const char *const group_names[4] = { "current EL SP0", "current EL SPx", "lower EL A64", "lower EL A32" };

void rt_exception(struct rt_frame *f, uint64_t kind)
{
    f->kind = kind;
    if (kind == 8 && (ESR_EC(f->esr) == 0x15 || ESR_EC(f->esr) == 0x16) && (f->esr & 0xFFFF) == 0xFFFF) {
        extern _Noreturn void rt_el0_resume(uint64_t result);
        rt_el0_resume(f->x[0]);     // the EL0 (or EL1, for EL2) function returned: back to rt_run_el0's caller
    }
    rt_handler h = (kind & 3) == 0 ? rt_sync_handler : (kind & 3) == 1 ? rt_irq_handler : 0;
    if (h && h(f)) return;
    printf("\n*** unexpected %s exception from %s at EL%d: ESR=0x%08lx ELR=0x%lx FAR=0x%lx SPSR=0x%lx\n",
           kind_names[kind & 3], group_names[(kind >> 2) & 3], current_el(),
           f->esr, f->elr, f->far, f->spsr);
    rt_exit(0x7F);
}

// EL0 runs fn(arg) and ends with svc #0xFFFF; rt_el0_enter (el0.S) does the ERET, rt_exception catches that SVC.
extern uint64_t rt_el0_enter(uint64_t (*fn)(uint64_t), uint64_t arg, void *stack_top);
uint64_t rt_run_el0(uint64_t (*fn)(uint64_t), uint64_t arg, void *stack_top)
{
    return rt_el0_enter(fn, arg, stack_top);
}

void rt_check(int ok, const char *what, int line)
{
    if (ok) return;
    rt_failures++;
    printf("CHECK FAILED line %d: %s\n", line, what);
}

// ---- string routines: byte loops written so the compiler cannot turn them into calls to themselves ----
void *memcpy(void *d, const void *s, size_t n)
{
    volatile unsigned char *dp = d;
    const unsigned char *sp = s;
    while (n--) *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, size_t n)
{
    volatile unsigned char *dp = d;
    while (n--) *dp++ = (unsigned char)c;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    volatile unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp < sp) while (n--) *dp++ = *sp++;
    else { dp += n; sp += n; while (n--) *--dp = *--sp; }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++) if (*x != *y) return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    const volatile char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) { a++; b++; }
    return (unsigned char)*a - (unsigned char)*b;
}
