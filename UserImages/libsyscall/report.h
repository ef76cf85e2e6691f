/* Periodic reports of the demo programs (sensor, logger): the guest clock and decimal formatting, as static inline
 * functions (only the programs that use them carry them; no syscall here: those stay in syscall.S).
 * The clock is the generic timer's virtual count, CNTVCT_EL0, which the kernel lets EL0 read (CNTKCTL_EL1.EL0VCTEN,
 * docs/PHASE-O-DECISIONS.md Q9); CNTFRQ_EL0 (its frequency) is readable at EL0 with it. On Aegis.Emu the count is
 * derived from the simulated cycles (deterministic); on QEMU it follows the host's clock. */
#ifndef AEGIS_LIBSYSCALL_REPORT_H
#define AEGIS_LIBSYSCALL_REPORT_H
#include <stdint.h>

/* Reports per second of guest time: one every 0.5 s (issue 13: a human rate on the console). */
#define REPORTS_PER_SECOND 2

static inline uint64_t clock_now(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

static inline uint64_t clock_freq(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

/* The first report time after now: the next multiple of period (reports fall on 0.5 s marks of guest time). */
static inline uint64_t next_report(uint64_t now, uint64_t period)
{
    return (now / period + 1) * period;
}

/* A line being built on the stack, written with one SYS_WRITE (so no other task's output lands inside it). */
struct report_line { char b[96]; uint64_t n; };

static inline void line_str(struct report_line *l, const char *s)
{
    while (*s && l->n < sizeof l->b)
        l->b[l->n++] = *s++;
}

static inline void line_dec(struct report_line *l, uint64_t v)
{
    char d[20];
    unsigned k = 0;
    do {
        d[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k && l->n < sizeof l->b)
        l->b[l->n++] = d[--k];
}
#endif
