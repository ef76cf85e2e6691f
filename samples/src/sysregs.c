// sysregs: system-register access rules and traps. EL0 reads of CNTVCT_EL0 / CNTPCT_EL0 /
// CNTFRQ_EL0 trap (EC 0x18) while CNTKCTL_EL1 = 0 and work once EL0VCTEN / EL0PCTEN are set;
// MRS of an EL1 register at EL0 is UNDEFINED (EC 0x00); DAIF, CTR_EL0, DC ZVA and WFI at EL0 trap
// (EC 0x18 / 0x01) unless SCTLR_EL1.UMA / UCT / DZE / nTWI allow them; HLT other than the
// semihosting immediate is UNDEFINED. Also prints the ID registers QEMU's cortex-a53 reports.
// Runs with the MMU on: DC ZVA to Device memory (all data accesses with the MMU off) is an
// alignment fault, which QEMU 7.2 does not model.
#include "rt.h"
#include "mmu.h"

static uint8_t el0_stack[4096] __attribute__((aligned(16)));
static int traps;
static int hide_iss;    // set while probing MSR DAIFSet/DAIFClr: QEMU 7.2 swaps Op1 and Op2 in that ISS

static int handler(struct rt_frame *f)
{
    if (f->kind != 8) return 0;                 // only exceptions from EL0 are expected
    traps++;
    if (hide_iss) printf("  trap: EC 0x%02lx\n", ESR_EC(f->esr));
    else printf("  trap: ESR 0x%08lx (EC 0x%02lx ISS 0x%07lx)\n", f->esr, ESR_EC(f->esr), ESR_ISS(f->esr));
    f->x[0] = 0xBAD;                            // the value the trapped read "returns"
    f->elr += 4;
    return 1;
}

#define EL0_READ(name, reg) static uint64_t name(uint64_t a) { \
    register uint64_t x0 __asm__("x0") = a; __asm__ volatile("mrs %0, " #reg : "+r"(x0) :: "memory"); return x0; }
EL0_READ(el0_cntvct, cntvct_el0)
EL0_READ(el0_cntpct, cntpct_el0)
EL0_READ(el0_cntfrq, cntfrq_el0)
EL0_READ(el0_ctr, ctr_el0)
EL0_READ(el0_sctlr, sctlr_el1)
EL0_READ(el0_midr, midr_el1)
EL0_READ(el0_daif, daif)
EL0_READ(el0_nzcv, nzcv)

EL0_READ(el0_tpidrro, tpidrro_el0)
static uint64_t el0_write_tpidrro(uint64_t a) { register uint64_t x0 __asm__("x0") = a; __asm__ volatile("msr tpidrro_el0, %0" : "+r"(x0) :: "memory"); return x0; }
static uint64_t el0_write_tpidr(uint64_t a) { register uint64_t x0 __asm__("x0") = a; __asm__ volatile("msr tpidr_el0, x0\n\tmrs x0, tpidr_el0" : "+r"(x0) :: "memory"); return x0; }
static uint64_t el0_daifset(uint64_t a) { register uint64_t x0 __asm__("x0") = a; __asm__ volatile("msr daifset, #2\n\tmrs x0, daif\n\tmsr daifclr, #2" : "+r"(x0) :: "memory"); return x0; }
static uint64_t el0_wfi(uint64_t a) { register uint64_t x0 __asm__("x0") = a; __asm__ volatile("wfi" : "+r"(x0) :: "memory"); return x0; }
static uint64_t el0_dczva(uint64_t a) { register uint64_t x0 __asm__("x0") = a; __asm__ volatile("dc zva, x0\n\tmov x0, #1" : "+r"(x0) :: "memory"); return x0; }
static uint64_t el0_ic_ivau(uint64_t a) { register uint64_t x0 __asm__("x0") = a; __asm__ volatile("ic ivau, x0\n\tmov x0, #1" : "+r"(x0) :: "memory"); return x0; }
static uint64_t el0_dc_cvac(uint64_t a) { register uint64_t x0 __asm__("x0") = a; __asm__ volatile("dc cvac, x0\n\tmov x0, #1" : "+r"(x0) :: "memory"); return x0; }
static uint64_t el0_dc_ivac(uint64_t a) { register uint64_t x0 __asm__("x0") = a; __asm__ volatile("dc ivac, x0\n\tmov x0, #1" : "+r"(x0) :: "memory"); return x0; }
static uint64_t el0_msr_sctlr(uint64_t a) { register uint64_t x0 __asm__("x0") = a; __asm__ volatile("msr sctlr_el1, x0\n\tmov x0, #1" : "+r"(x0) :: "memory"); return x0; }

static void el0(const char *what, uint64_t (*fn)(uint64_t), uint64_t arg)
{
    int before = traps;
    uint64_t v = rt_run_el0(fn, arg, el0_stack + sizeof el0_stack);
    printf("%-28s -> %s 0x%lx\n", what, traps == before ? "ok" : "trapped,", v);
}

static uint64_t sctlr;

static void set_sctlr_bits(uint64_t set, uint64_t clear)
{
    write_sysreg(sctlr_el1, (sctlr | set) & ~clear);
    isb();
}

int main(void)
{
    rt_sync_handler = handler;
    printf("sysregs: SCTLR_EL1 at entry %08lx; MMU on\n", read_sysreg(sctlr_el1));
    mmu_on();
    sctlr = read_sysreg(sctlr_el1);
    static uint64_t zva_block[16] __attribute__((aligned(64)));
    for (int i = 0; i < 16; i++) zva_block[i] = 0x1111111111111111ULL * (uint64_t)(i + 1);

    uart_puts("sysregs: ID registers at EL1\n");
    printf("MIDR_EL1 %08lx MPIDR_EL1 %016lx REVIDR_EL1 %08lx\n", read_sysreg(midr_el1), read_sysreg(mpidr_el1), read_sysreg(revidr_el1));
    printf("ID_AA64PFR0_EL1 %016lx ID_AA64ISAR0_EL1 %016lx\n", read_sysreg(id_aa64pfr0_el1), read_sysreg(id_aa64isar0_el1));
    printf("ID_AA64MMFR0_EL1 %016lx ID_AA64DFR0_EL1 %016lx\n", read_sysreg(id_aa64mmfr0_el1), read_sysreg(id_aa64dfr0_el1));
    printf("CTR_EL0 %08lx DCZID_EL0 %08lx CNTFRQ_EL0 %lu\n", read_sysreg(ctr_el0), read_sysreg(dczid_el0), read_sysreg(cntfrq_el0));
    printf("SCTLR_EL1 %08lx CNTKCTL_EL1 %08lx\n", sctlr, read_sysreg(cntkctl_el1));

    uart_puts("sysregs: EL0 with CNTKCTL_EL1 = 0, SCTLR_EL1.UCT/DZE/UMA = 0, nTWI = 0\n");
    write_sysreg(cntkctl_el1, 0);
    set_sctlr_bits(0, (1u << 15) | (1u << 14) | (1u << 9) | (1u << 16) | (1u << 26));  // UCT DZE UMA nTWI UCI
    isb();
    el0("mrs cntvct_el0", el0_cntvct, 0);
    el0("mrs cntpct_el0", el0_cntpct, 0);
    el0("mrs cntfrq_el0", el0_cntfrq, 0);
    el0("mrs ctr_el0", el0_ctr, 0);
    el0("mrs sctlr_el1", el0_sctlr, 0);
    el0("mrs midr_el1", el0_midr, 0);
    el0("mrs daif", el0_daif, 0);
    hide_iss = 1;
    el0("msr daifset/clr", el0_daifset, 0);
    hide_iss = 0;
    el0("mrs nzcv", el0_nzcv, 0);
    el0("msr/mrs tpidr_el0", el0_write_tpidr, 0x1234);
    el0("msr tpidrro_el0", el0_write_tpidrro, 0x55);
    el0("dc zva", el0_dczva, (uint64_t)zva_block);
    el0("dc cvac", el0_dc_cvac, (uint64_t)zva_block);
    el0("dc ivac", el0_dc_ivac, (uint64_t)zva_block);
    el0("ic ivau", el0_ic_ivau, (uint64_t)zva_block);
    el0("wfi", el0_wfi, 0);
    el0("msr sctlr_el1", el0_msr_sctlr, 0);
    printf("zva block still %016lx\n", zva_block[0]);

    uart_puts("sysregs: EL0 with CNTKCTL_EL1.EL0VCTEN|EL0PCTEN, SCTLR_EL1.UCT/DZE/UMA/UCI/nTWI = 1\n");
    write_sysreg(cntkctl_el1, 3);
    write_sysreg(tpidrro_el0, 0xABCD);
    set_sctlr_bits((1u << 15) | (1u << 14) | (1u << 9) | (1u << 16) | (1u << 26), 0);
    uint64_t c0 = rt_run_el0(el0_cntvct, 0, el0_stack + sizeof el0_stack);
    uint64_t c1 = rt_run_el0(el0_cntvct, 0, el0_stack + sizeof el0_stack);
    uint64_t p0 = rt_run_el0(el0_cntpct, 0, el0_stack + sizeof el0_stack);
    printf("cntvct at EL0 readable: %s, monotonic: %s, cntpct readable: %s\n",
           c0 != 0xBAD ? "yes" : "no", c1 >= c0 ? "yes" : "no", p0 != 0xBAD ? "yes" : "no");
    el0("mrs cntfrq_el0", el0_cntfrq, 0);
    el0("mrs ctr_el0", el0_ctr, 0);
    el0("mrs daif", el0_daif, 0);
    el0("msr daifset/clr", el0_daifset, 0);
    el0("mrs tpidrro_el0", el0_tpidrro, 0);
    el0("dc zva", el0_dczva, (uint64_t)zva_block + 64);
    el0("dc cvac", el0_dc_cvac, (uint64_t)zva_block);
    el0("ic ivau", el0_ic_ivau, (uint64_t)zva_block);
    el0("mrs sctlr_el1", el0_sctlr, 0);
    printf("zva block %016lx %016lx %016lx\n", zva_block[0], zva_block[8], zva_block[15]);
    printf("traps taken: %d\n", traps);
    set_sctlr_bits(0, 0);

    uart_puts("sysregs: EL1 read/write of banked and scratch registers\n");
    write_sysreg(tpidr_el1, 0x1122334455667788ULL);
    write_sysreg(contextidr_el1, 0x42);
    write_sysreg(par_el1, 0);
    __asm__ volatile("at s1e1r, %0" :: "r"((uint64_t)zva_block));
    isb();
    printf("TPIDR_EL1 %016lx CONTEXTIDR_EL1 %lx PAR_EL1 after AT %016lx\n",       // NS (bit 9) is UNKNOWN
           read_sysreg(tpidr_el1), read_sysreg(contextidr_el1), read_sysreg(par_el1) & ~(1ULL << 9));
    write_sysreg(elr_el1, 0xFFFF000012345678ULL);
    write_sysreg(spsr_el1, 0x600003C5);
    printf("ELR_EL1 %016lx SPSR_EL1 %08lx\n", read_sysreg(elr_el1), read_sysreg(spsr_el1));
    write_sysreg(nzcv, 0xA0000000);
    printf("NZCV %08lx\n", read_sysreg(nzcv));
    __asm__ volatile("msr daifclr, #0xf" ::: "memory");
    printf("DAIF after daifclr #0xf: %08lx\n", read_sysreg(daif));
    __asm__ volatile("msr daifset, #0xf" ::: "memory");
    printf("DAIF after daifset #0xf: %08lx SPSel %lx CurrentEL %lx\n", read_sysreg(daif), read_sysreg(spsel), read_sysreg(CurrentEL));
    mmu_off();
    return traps == 18 ? 0 : 1;
}
