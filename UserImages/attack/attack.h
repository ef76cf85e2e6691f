/* Shared by the attack suite's hostile programs (issue 10; Tests/Attack checks what they print). Each program is
 * built for one slot: build.sh passes -DSLOT=n, and the task is slot + 2 (REFERENCE §8). Syscalls go through
 * libsyscall only; syscall_raw lets a program read the error code in x0 and issue what no wrapper would.
 * A line is built on the stack and printed by one SYS_WRITE. */
#ifndef AEGIS_ATTACK_H
#define AEGIS_ATTACK_H
#include "syscall.h"

#define TASK (SLOT + 2)
#define PAGE 4096ULL
#define BUNDLE_ADDR 0x42000000ULL

struct line { char b[120]; unsigned n; };

static inline void l_str(struct line *l, const char *s)
{
    while (*s && l->n < sizeof l->b)
        l->b[l->n++] = *s++;
}

/* "0x" + 16 upper-case hex digits, as the kernel prints. */
static inline void l_hex(struct line *l, uint64_t v)
{
    l_str(l, "0x");
    for (int sh = 60; sh >= 0 && l->n < sizeof l->b; sh -= 4)
        l->b[l->n++] = "0123456789ABCDEF"[(v >> sh) & 0xF];
}

static inline void l_dec(struct line *l, uint64_t v)
{
    char d[20];
    unsigned n = 0;
    do { d[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n && l->n < sizeof l->b)
        l->b[l->n++] = d[--n];
}

static inline void l_end(struct line *l)
{
    l_str(l, "\n");
    syscall_write(l->b, l->n);
    l->n = 0;
}

static inline void say(const char *s)
{
    struct line l;
    l.n = 0;
    l_str(&l, s);
    l_end(&l);
}

/* x0 of any syscall (the error code, when there is one). */
static inline uint64_t sys(uint64_t nr, uint64_t x6, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    return syscall_raw(nr, x6, a0, a1, a2, a3).x0;
}

__attribute__((noreturn)) static inline void block_forever(void)
{
    for (;;)
        syscall_wait_notify();
}

/* The kernel's layout, as any task can work it out: SP_EL0 starts at the top of the task's own 4 KiB user stack,
 * __user_stacks_start + (task + 1) * 4096 (REFERENCE §1.3), and Kernel.Image/linker.ld puts .page_tables (36 pages),
 * .task_stacks (8), .user_stacks (8) and .grant_pages (2) back to back. The caller's frame is below 4 KiB. */
static inline uint64_t user_stacks_start(void)
{
    uint64_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return ((sp + PAGE - 1) & ~(PAGE - 1)) - (TASK + 1) * PAGE;
}
static inline uint64_t user_stack_of(unsigned task) { return user_stacks_start() + task * PAGE; }
static inline uint64_t grant_page(unsigned id) { return user_stacks_start() + (8 + id) * PAGE; }
static inline uint64_t page_tables_start(void) { return user_stacks_start() - 44 * PAGE; }

/* Secrets: kept XOR SECRET_XOR so that no image holds the plain text, which the tests look for in everything the
 * machine prints (a task that prints it has read memory it does not own). Plain texts in Tests/Attack. */
#define SECRET_XOR 0x5A
static inline void reveal(volatile char *dst, const volatile unsigned char *enc, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        dst[i] = (char)(enc[i] ^ SECRET_XOR);
}
#endif
