// svc: drops to EL0 with ERET, runs code there that calls EL1 through `svc #n` with arguments in
// x0-x5 and gets results back in x0/x1; also BRK, HVC and SMC from EL0 (EC 0x3C, and UNDEFINED:
// EC 0x00) and SVC from EL1 itself. Prints the ESR the handler saw for each.
#include "rt.h"

static uint8_t el0_stack[4096] __attribute__((aligned(16)));
static unsigned syscalls;
static uint64_t last_esr;

#define SVC(n, a, b, c) ({ \
    register uint64_t x0 __asm__("x0") = (a); register uint64_t x1 __asm__("x1") = (b); \
    register uint64_t x2 __asm__("x2") = (c); \
    __asm__ volatile("svc #" #n : "+r"(x0), "+r"(x1) : "r"(x2) : "memory"); \
    (struct pair){ x0, x1 }; })
struct pair { uint64_t a, b; };

static int handler(struct rt_frame *f)
{
    uint64_t ec = ESR_EC(f->esr);
    last_esr = f->esr;
    if (f->kind == 8 && ec == 0x15) {           // SVC from EL0 (AArch64)
        syscalls++;
        switch (f->esr & 0xFFFF) {
        case 1: uart_putc((char)f->x[0]); f->x[0] = 0; break;
        case 2: uart_puts((const char *)f->x[0]); f->x[0] = strlen((const char *)f->x[0]); break;
        case 3: f->x[0] = f->x[0] + f->x[1] + f->x[2]; f->x[1] = f->x[0] * 2; break;
        case 4: f->x[0] = f->esr; f->x[1] = f->spsr; break;                 // report own ESR / SPSR
        case 0x1234: f->x[0] = ~f->x[0]; f->x[1] = (uint64_t)current_el(); break;
        default: f->x[0] = (uint64_t)-1; break;
        }
        return 1;                               // ELR already points after the SVC
    }
    if (f->kind == 8 && ec == 0x3C) {           // BRK: ELR is the BRK itself; skip it
        f->x[0] = f->esr & 0xFFFF;
        f->elr += 4;
        return 1;
    }
    if (f->kind == 8 && ec == 0x00) {           // UNDEFINED at EL0 (HVC, SMC): skip it
        f->x[0] = 0xDEAD;
        f->elr += 4;
        return 1;
    }
    if (f->kind == 4 && ec == 0x15) {           // SVC from EL1 to EL1
        f->x[0] = f->x[0] * 10;
        return 1;
    }
    return 0;
}

static uint64_t el0_main(uint64_t arg)
{
    SVC(2, (uint64_t)"  hello from EL0 through svc #2\n", 0, 0);
    struct pair r = SVC(3, arg, 20, 300);
    uint64_t sum = r.a, twice = r.b;
    SVC(1, 'A' + (sum & 7), 0, 0);
    SVC(1, '\n', 0, 0);
    struct pair e = SVC(4, 0, 0, 0);
    struct pair k = SVC(0x1234, 0x0F0F, 0, 0);
    struct pair bad = SVC(99, 5, 0, 0);
    uint64_t brk, hvc, smc;
    { register uint64_t x0 __asm__("x0") = 0; __asm__ volatile("brk #0x42" : "+r"(x0) :: "memory"); brk = x0; }
    { register uint64_t x0 __asm__("x0") = 0; __asm__ volatile("hvc #0" : "+r"(x0) :: "memory"); hvc = x0; }
    { register uint64_t x0 __asm__("x0") = 0; __asm__ volatile("smc #0" : "+r"(x0) :: "memory"); smc = x0; }
    // Results go back packed; EL1 prints them (EL0 has no printf of its own here).
    static uint64_t results[8];
    results[0] = sum; results[1] = twice; results[2] = e.a; results[3] = e.b;
    results[4] = k.a; results[5] = k.b; results[6] = bad.a; results[7] = brk << 32 | hvc << 16 | smc;
    return (uint64_t)results;
}

int main(void)
{
    rt_sync_handler = handler;
    printf("svc: entered at EL%d, now EL%d; dropping to EL0\n", rt_entry_el, current_el());
    uint64_t *r = (uint64_t *)rt_run_el0(el0_main, 7, el0_stack + sizeof el0_stack);
    printf("back at EL%d after %u syscalls\n", current_el(), syscalls);
    printf("svc #3(7,20,300) = %lu, x1 = %lu\n", r[0], r[1]);
    printf("svc #4 saw ESR 0x%08lx SPSR 0x%08lx\n", r[2], r[3]);
    printf("svc #0x1234 -> 0x%lx at EL%lu\n", r[4], r[5]);
    printf("svc #99 -> %ld\n", (int64_t)r[6]);
    printf("brk imm 0x%lx, hvc at EL0 -> 0x%lx, smc at EL0 -> 0x%lx\n", r[7] >> 32, (r[7] >> 16) & 0xFFFF, r[7] & 0xFFFF);

    // SVC taken from EL1 to EL1 (current EL with SP_ELx: vector offset 0x200)
    register uint64_t x0 __asm__("x0") = 5;
    __asm__ volatile("svc #0x77" : "+r"(x0) :: "memory");
    printf("svc #0x77 at EL1 -> %lu, ESR 0x%08lx\n", x0, last_esr);

    // a second EL0 visit with a different argument
    r = (uint64_t *)rt_run_el0(el0_main, 1000, el0_stack + sizeof el0_stack);
    printf("second visit: sum %lu, syscalls %u\n", r[0], syscalls);
    return r[0] == 1320 && syscalls == 14 ? 0 : 1;
}
