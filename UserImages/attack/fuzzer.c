/* fuzzer (issue 10 fuzz campaign, Tests/Attack/FuzzCampaignTests): issues seeded random syscalls in a loop, next to
 * the sensor and logger, on the attack kernel's "fuzz" build (Kernel.Image/tests/scenario_fuzz.c). Built for slots
 * 0, 3 and 4 (tasks 2, 5, 6), each with its own seed. Every argument is random: syscall numbers, endpoints and targets
 * (in and out of range), grant ids and peers, INTIDs and bits, heartbeat intervals, and SYS_WRITE pointers into every
 * region of the memory map with lengths from 0 to 2^64 - 1, wrapping ones included.
 *
 * It also holds secrets no other task may print: "FZ<t>-BSS-w3Lq8xyz" in its .bss, "FZ<t>-STK-w3Lq8xyz" on its stack,
 * "FZ<t>X28!!" in x28 (reserved: built with -ffixed-x28) and "FZ<t>TLS!!" in TPIDR_EL0. Its own SYS_WRITEs avoid
 * those two buffers, so whoever prints one has read another task's memory.
 *
 * What it cannot randomise without stopping the campaign: a blocking IPC or WAIT_NOTIFY could leave all of them
 * waiting on each other. So endpoint 2 has one direction: task 2 SENDs or CALLs (x3 = 1 marks a CALL), task 5 RECVs
 * and answers each CALL at once, and notifies tasks 2 and 6 before every RECV; tasks 2 (after a SEND) and 6 WAIT_NOTIFY.
 * Endpoints 0 and 1 are left alone: the J4 and sensor -> logger protocols run there, and a holder of their rights
 * may disturb them by design. A syscall that faults the task (an unknown number, IPC on endpoint 1, which it has no
 * right to) comes from task 6 only, once every 2^16 of its calls: each costs it a 100-tick restart, and tasks 2 and 5
 * wait on each other, so one of them faulting would stall both for as long. SYS_EXIT never: it ends the task. */
#include "attack.h"

#define CLIENT 2
#define SERVER 5
#define WAITER 6

static uint64_t state, calls; /* .bss: kept across a restart (user programs have no .data: W^X) */
static volatile char bss_secret[16];
static volatile char *stack_secret;

static const volatile unsigned char enc_bss[16] = { 0x1C, 0x00, 0x6A, 0x77, 0x18, 0x09, 0x09, 0x77, 0x2D, 0x69, 0x16, 0x2B, 0x62, 0x22, 0x23, 0x20 };
static const volatile unsigned char enc_stack[16] = { 0x1C, 0x00, 0x6A, 0x77, 0x09, 0x0E, 0x11, 0x77, 0x2D, 0x69, 0x16, 0x2B, 0x62, 0x22, 0x23, 0x20 };
static const volatile uint64_t enc_x28 = 0x7B7B6268026A001CULL, enc_tls = 0x7B7B09160E6A001CULL;

/* xorshift64* */
static uint64_t rnd(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

static uint64_t pick_pointer(void)
{
    uint64_t us = user_stacks_start(), r = rnd();
    switch (rnd() % 16) {
    case 0:  return 0x40000000ULL + r % 0x80000;            /* RAM below the kernel */
    case 1:  return 0x40080000ULL + r % 0x10000;            /* kernel text, .user_text, rodata, data, bss */
    case 2:  return page_tables_start() + r % (44 * PAGE);  /* page tables, kernel task stacks */
    case 3:  return us + r % (8 * PAGE);                    /* every user stack, its own too */
    case 4:  return grant_page(0) + r % (2 * PAGE);         /* grant pages */
    case 5:  return 0x40100000ULL + r % 0x18000;            /* the ELF slots, its own too */
    case 6:  return 0x40118000ULL + r % 0x1000;             /* the unmapped stack guard */
    case 7:  return 0x40119000ULL + r % 0x4000;             /* the kernel's exception stack */
    case 8:  return 0x4011D000ULL + r % 0xE3000;            /* unmapped, the rest of the first 2 MiB */
    case 9:  return BUNDLE_ADDR + r % 0x20000;              /* the boot bundle */
    case 10: return 0x40200000ULL + r % 0x7E00000;          /* the RAM blocks */
    case 11: return 0x48000000ULL - r % 512;                /* the end of RAM */
    case 12: return 0x08000000ULL + r % 0x1200000;          /* GIC, UART */
    case 13: return r;                                      /* anywhere */
    case 14: return 0 - r % 4096;                           /* the top of the address space: ranges wrap */
    default: return us + TASK * PAGE + r % (PAGE - 512);    /* its own stack, below _start's frame */
    }
}

static uint64_t pick_length(void)
{
    uint64_t r = rnd();
    switch (rnd() % 8) {
    case 0:  return 0;
    case 1:  return 1;
    case 2:  return 256;
    case 3:  return 257;
    case 4:  return 1 + r % 256;
    case 5:  return r;
    case 6:  return 0 - r % 512;                            /* buf + len wraps */
    default: return r % 4096;
    }
}

static int overlaps(uint64_t p, uint64_t n, volatile char *secret)
{
    uint64_t s = (uint64_t)(uintptr_t)secret;
    return p < s + 16 && s < p + n && p + n >= p;
}

static void fuzz_write(void)
{
    uint64_t p = pick_pointer(), n = pick_length();
    uint64_t shown = n > 256 ? 256 : n;
    if (overlaps(p, shown, bss_secret) || overlaps(p, shown, stack_secret))
        p = 0; /* its own secrets are its to print; the campaign checks that nobody else's reach the UART */
    sys(SYS_WRITE, rnd(), p, n, rnd(), rnd());
}

/* Endpoint 2, one direction (see the top of the file). */
static void fuzz_ipc(void)
{
    if (TASK == CLIENT) {
        uint64_t call = rnd() & 1;
        sys(call ? SYS_CALL : SYS_SEND, 2, rnd(), rnd(), rnd(), call);
        if (rnd() & 1)
            syscall_wait_notify();
    } else if (TASK == SERVER) {
        syscall_notify(CLIENT, 1);
        syscall_notify(WAITER, 1);
        struct regs4 m = syscall_raw(SYS_RECV, 2, rnd(), rnd(), rnd(), rnd());
        if (m.x3 == 1)
            sys(SYS_SEND, 2, rnd(), rnd(), rnd(), rnd());
    } else {
        syscall_wait_notify();
    }
}

/* An endpoint the kernel refuses with its "invalid endpoint" line: 4 .. 2^64 - 1. */
static uint64_t bad_endpoint(void) { return 4 + rnd() % (rnd() & 1 ? 8 : ~0ULL - 4); }

static void fuzz_one(void)
{
    uint64_t r = rnd();
    switch (rnd() % 20) {
    case 0:  sys(SYS_YIELD, rnd(), rnd(), rnd(), rnd(), rnd()); break;
    case 1: case 2: case 3: case 4: case 5: case 6: fuzz_write(); break;
    case 7:  sys(SYS_NOTIFY, r % 10, rnd(), rnd(), rnd(), rnd()); break;      /* targets 8 and 9 do not exist */
    case 8:  sys(SYS_GRANT_CREATE, r % 9, rnd() % 3, rnd(), rnd(), rnd()); break;
    case 9:  sys(SYS_GRANT_REVOKE, rnd(), r % 3, rnd(), rnd(), rnd()); break;
    case 10: sys(SYS_IRQ_BIND, rnd(), r & 1 ? r % 1100 : r, rnd(), rnd(), rnd()); break;
    case 11: sys(SYS_IRQ_ACK, rnd(), r & 1 ? r % 1100 : r, rnd(), rnd(), rnd()); break;
    case 12: sys(SYS_DEVICE_MAP, rnd(), r % 3, rnd(), rnd(), rnd()); break;
    case 13: sys(SYS_HEARTBEAT, rnd(), r & 1 ? 0 : 10000 + r % 100000, rnd(), rnd(), rnd()); break; /* never missed */
    case 14: case 15: sys(1 + r % 3, bad_endpoint(), rnd(), rnd(), rnd(), rnd()); break;
    case 16: case 17: fuzz_ipc(); break;
    default: sys(SYS_WRITE, rnd(), r, 0, rnd(), rnd()); break; /* length 0: refused, silent */
    }
}

/* Task 6, once every 2^16 calls: what faults the task (the kernel restarts it 100 ticks later, .bss kept). */
static void fatal_one(void)
{
    if (rnd() & 1)
        sys(14 + rnd() % 1000000, rnd(), rnd(), rnd(), rnd(), rnd());   /* no such syscall */
    else
        sys(1 + rnd() % 3, 1, rnd(), rnd(), rnd(), rnd());              /* endpoint 1: no right */
}

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    volatile char secret_on_stack[16];
    stack_secret = secret_on_stack;
    reveal(bss_secret, enc_bss, sizeof bss_secret);
    reveal(secret_on_stack, enc_stack, sizeof secret_on_stack);
    bss_secret[2] = secret_on_stack[2] = (char)('0' + TASK);
    uint64_t task_digit = (uint64_t)TASK << 16;
    uint64_t x28 = (enc_x28 ^ 0x5A5A5A5A5A5A5A5AULL) + task_digit, tls = (enc_tls ^ 0x5A5A5A5A5A5A5A5AULL) + task_digit;
    __asm__ volatile("msr tpidr_el0, %0\n mov x28, %1" :: "r"(tls), "r"(x28)); /* x28 is reserved (-ffixed-x28): no clobber */
    if (calls == 0)
        state = 0xA5E61510ULL * (TASK + 11); /* the campaign's seed; a restart goes on from the state it left */
    for (;;) {
        calls++;
        if (TASK == WAITER && (calls & 0xFFFF) == 0)
            fatal_one();
        else
            fuzz_one();
    }
}
