// blocks: code a block translator must get right (issue 14), each checked against the values the architecture
// requires: code written and then run (a buffer patched and called, hot and then rewritten; the next instruction of
// the running block's own page rewritten), a data abort in the middle of a long block (the MMU on, a load from an
// unmapped page on every other round), and timer interrupts landing in a long register-only block, which must not
// change what it computes. Printed: only facts that do not depend on when the interrupts arrive.
#include "rt.h"
#include "gic.h"
#include "mmu.h"

uint64_t long_block(uint64_t n, uint64_t seed);
uint64_t faulting_block(uint64_t n, uint64_t hole, uint64_t good);
uint64_t patch_next(uint32_t *slot, uint32_t insn);
extern uint32_t patch_slot[];

static uint32_t buffer[1024] __attribute__((aligned(4096)));   // .bss: executable while the MMU is off
static uint64_t good_word = 0x1234;
static volatile int aborts, ticks;
static volatile uint64_t abort_elr;

#define MOVZ_X0(imm) (0xD2800000u | ((uint32_t)(imm) << 5))
#define RET 0xD65F03C0u

// Clean to the point of unification and invalidate the instruction cache for the words written (Arm ARM D7.5.9).
static void sync_code(void *p, size_t bytes)
{
    for (uintptr_t a = (uintptr_t)p & ~63UL; a < (uintptr_t)p + bytes; a += 64)
        __asm__ volatile("dc cvau, %0" :: "r"(a) : "memory");
    dsb(ish);
    for (uintptr_t a = (uintptr_t)p & ~63UL; a < (uintptr_t)p + bytes; a += 64)
        __asm__ volatile("ic ivau, %0" :: "r"(a) : "memory");
    dsb(ish);
    isb();
}

static int on_abort(struct rt_frame *f)
{
    if (ESR_EC(f->esr) != 0x25) return 0;
    if (aborts++ == 0) { abort_elr = f->elr; printf("  first abort: ESR 0x%08lx FAR 0x%lx\n", f->esr, f->far); }
    f->x[0] = 0xFA;
    f->elr += 4;
    return 1;
}

static int on_irq(struct rt_frame *f)
{
    uint32_t iar = mmio_read32(GICC_IAR);
    if ((iar & 0x3FF) == 30) {
        ticks++;
        write_sysreg(cntp_tval_el0, read_sysreg(cntfrq_el0) / 10000);   // every 100 us
        isb();
    }
    mmio_write32(GICC_EOIR, iar);
    return 1;
}

static void patched_buffer(void)
{
    uart_puts("code written, then run\n");
    typedef uint64_t (*fn)(void);
    buffer[1] = RET;
    uint64_t total = 0;
    for (int round = 0; round < 4; round++) {
        buffer[0] = MOVZ_X0(100 + round);
        sync_code(buffer, 8);
        uint64_t sum = 0;
        for (int n = 0; n < 1000; n++) sum += ((fn)buffer)();   // hot: translated after a few hundred calls
        printf("  round %d: 1000 calls returned %lu\n", round, sum);
        CHECK(sum == 1000UL * (100 + round));
        total += sum;
    }
    // A longer function written in place: x0 = x0 * 3 + 7, then 5 more rounds of it, rewritten with other constants.
    for (int k = 1; k <= 3; k++) {
        int i = 0;
        for (int r = 0; r < 6; r++) {
            buffer[i++] = 0x8B000400u;                 // add x0, x0, x0, lsl #1
            buffer[i++] = 0x91000000u | (uint32_t)(k * 7) << 10;   // add x0, x0, #7k
        }
        buffer[i++] = RET;
        sync_code(buffer, (size_t)i * 4);
        uint64_t x = ((uint64_t (*)(uint64_t))buffer)(1), expect = 1;
        for (int r = 0; r < 6; r++) expect = expect * 3 + (uint64_t)(k * 7);
        printf("  written function %d: %lu\n", k, x);
        CHECK(x == expect);
    }
    uart_puts("the next instruction of the running block rewritten\n");
    uint64_t seen = 0;
    for (int n = 0; n < 600; n++) seen += patch_next(patch_slot, MOVZ_X0(n % 3 + 2));
    printf("  600 runs returned %lu\n", seen);
    CHECK(seen == 200UL * (2 + 3 + 4));
    patch_next(patch_slot, MOVZ_X0(1));
    (void)total;
}

static void aborts_in_a_block(void)
{
    uart_puts("data aborts in the middle of a block (MMU on)\n");
    rt_sync_handler = on_abort;
    mmu_on();
    uint64_t r = faulting_block(2000, MMU_HOLE_VA, (uint64_t)&good_word);
    mmu_off();
    rt_sync_handler = 0;
    // The same rounds in C: odd rounds load the marker 0xFA, even ones good_word.
    uint64_t c = 0;
    for (uint64_t n = 2000; n != 0; n--) {
        c += n; c ^= c << 5; c += 3;
        c += (n & 1) ? 0xFA : good_word;
        c ^= c >> 11; c += 7;
    }
    printf("  %d aborts, first at faulting_block+0x%lx, checksum %s\n", aborts, abort_elr - (uint64_t)faulting_block,
           r == c ? "ok" : "WRONG");
    CHECK(aborts == 1000);
    CHECK(r == c);
}

static void interrupts_in_a_block(void)
{
    uart_puts("timer interrupts in a long block\n");
    uint64_t quiet = long_block(20000, 0x5EED);
    rt_irq_handler = on_irq;
    gic_init(0xF0);
    gic_enable(30, 0xA0);
    write_sysreg(cntp_tval_el0, read_sysreg(cntfrq_el0) / 10000);
    write_sysreg(cntp_ctl_el0, 1);
    isb();
    irq_enable();
    uint64_t interrupted = 0;
    int rounds = 0;
    do { interrupted = long_block(20000, 0x5EED); rounds++; } while (ticks < 3 && rounds < 1000);
    irq_disable();
    write_sysreg(cntp_ctl_el0, 0);
    isb();
    printf("  interrupted: %s, result %s\n", ticks >= 3 ? "yes" : "no", interrupted == quiet ? "unchanged" : "CHANGED");
    CHECK(ticks >= 3);
    CHECK(interrupted == quiet);
}

int main(void)
{
    printf("blocks\n");
    patched_buffer();
    aborts_in_a_block();
    interrupts_in_a_block();
    printf("blocks: %s\n", rt_failures ? "FAILED" : "all checks passed");
    return rt_failures != 0;
}
