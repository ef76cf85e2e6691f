/* Helpers for the scenario test tasks (tests/scenario_<name>.c, never in the committed kernel).
 * They run kernel .text at EL0 like tasks 0/1: only .rodata strings, the task's own stack and
 * the pages the scenario maps for it. A line is built on the stack, then printed by one SYS_WRITE. */
#ifndef AEGIS_SCENARIO_LIB_H
#define AEGIS_SCENARIO_LIB_H
#include <stdint.h>
#include "aegis/abi.h"
#include "aegis/user_syscall.h"

struct line { char b[200]; unsigned n; };

/* A line with nothing in it yet. Not "= { .n = 0 }": clearing the buffer would call memset, kernel text that
 * EL0 may not run (deviation 12). */
#define LINE(l) struct line l; (l).n = 0

static inline void l_str(struct line *l, const char *s)
{
    while (*s && l->n < sizeof l->b)
        l->b[l->n++] = *s++;
}

/* "0x" + 16 upper-case hex digits, as the kernel's hex16. */
static inline void l_hex(struct line *l, uint64_t v)
{
    l_str(l, "0x");
    for (int sh = 60; sh >= 0 && l->n < sizeof l->b; sh -= 4)
        l->b[l->n++] = "0123456789ABCDEF"[(v >> sh) & 0xF];
}

static inline void l_regs(struct line *l, struct msg4 m)
{
    l_str(l, " x0="); l_hex(l, m.r[0]);
    l_str(l, " x1="); l_hex(l, m.r[1]);
    l_str(l, " x2="); l_hex(l, m.r[2]);
    l_str(l, " x3="); l_hex(l, m.r[3]);
}

static inline void l_end(struct line *l)
{
    l_str(l, "\n");
    u_write(l->b, l->n);
    l->n = 0;
}

static inline void say(const char *s)
{
    LINE(l);
    l_str(&l, s);
    l_end(&l);
}

static inline uint64_t u_notify(uint64_t target, uint64_t bits)
{ return aegis_syscall(SYS_NOTIFY, target, bits, 0, 0, 0).r[0]; }
static inline uint64_t u_wait_notify(void) { return aegis_syscall(SYS_WAIT_NOTIFY, 0, 0, 0, 0, 0).r[0]; }
static inline struct msg4 u_call4(uint64_t ep, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{ return aegis_syscall(SYS_CALL, ep, a, b, c, d); }
static inline uint64_t u_grant_revoke(uint64_t id) { return aegis_syscall(SYS_GRANT_REVOKE, 0, id, 0, 0, 0).r[0]; }
static inline uint64_t u_irq_bind(uint64_t intid, uint64_t bit)
{ return aegis_syscall(SYS_IRQ_BIND, 0, intid, bit, 0, 0).r[0]; }
static inline uint64_t u_irq_ack(uint64_t intid) { return aegis_syscall(SYS_IRQ_ACK, 0, intid, 0, 0, 0).r[0]; }
static inline void u_exit(uint64_t code) { aegis_syscall(SYS_EXIT, 0, code, 0, 0, 0); }
#endif
