// undef: synchronous exceptions that are not system calls: UNDEFINED encodings (UDF, unallocated,
// SVE on an Armv8.0 core, writes to read-only system registers), FP/SIMD access trapped by
// CPACR_EL1.FPEN (EC 0x07), PC alignment (EC 0x22), and an illegal
// exception return (SPSR naming a higher EL) followed by the Illegal Execution State exception (EC 0x0E).
#include "rt.h"

static int taken;

static int handler(struct rt_frame *f)
{
    uint64_t ec = ESR_EC(f->esr);
    taken++;
    printf("    ESR 0x%08lx EC 0x%02lx", f->esr, ec);
    if (ec == 0x22) printf(" FAR 0x%lx", f->far);
    if (ec == 0x0E) printf(" SPSR.IL %lu", (f->spsr >> 20) & 1);
    printf("\n");
    if (ec == 0x22) { f->elr = f->x[30]; return 1; }        // the bad branch target: back to the caller
    if (ec == 0x0E) f->spsr &= ~(1ULL << 20);                 // clear PSTATE.IL on return
    f->elr += 4;
    return 1;
}

#define TRY(what, insn) do { printf("  %s\n", what); __asm__ volatile(insn ::: "memory"); } while (0)

int main(void)
{
    rt_sync_handler = handler;
    printf("undef: SCTLR_EL1 0x%08lx CPACR_EL1 0x%08lx\n", read_sysreg(sctlr_el1), read_sysreg(cpacr_el1));
    uart_puts("UNDEFINED encodings\n");
    TRY("udf #0x1234", "udf #0x1234");
    TRY(".inst 0xffffffff", ".inst 0xffffffff");
    TRY("SVE add z0.d, z0.d, z0.d (.inst 0x04e00000)", ".inst 0x04e00000");
    TRY("hlt #0 (halting debug disabled)", "hlt #0");
    TRY("msr midr_el1 (read-only register)", ".inst 0xd5180000");
    TRY("mrs s3_0_c11_c0_0 (unallocated)", "mrs x0, s3_0_c11_c0_0");
    TRY("dcps1 (no halting debug)", "dcps1");
    uart_puts("FP/SIMD with CPACR_EL1.FPEN = 0\n");
    write_sysreg(cpacr_el1, 0);
    isb();
    TRY("fmov d0, x1", ".inst 0x9e670020");
    TRY("add v0.4s, v1.4s, v2.4s", ".inst 0x4ea28420");
    TRY("mrs fpcr", ".inst 0xd53b4400");
    uart_puts("PC alignment\n");
    printf("  br to an odd address\n");
    __asm__ volatile("adr x9, 1f\n\tadd x9, x9, #2\n\tblr x9\n1:\tnop" ::: "x9", "x30", "memory");
    // (SP alignment checking, SCTLR_EL1.SA, is not modelled by QEMU 7.2: not compared here.)
    uart_puts("illegal exception return\n");
    __asm__ volatile(
        "adr x9, 1f\n\tmsr elr_el1, x9\n\tmov x9, #0x3C9\n\tmsr spsr_el1, x9\n\teret\n"   // EL2h from EL1: illegal
        "1:\tnop\n" ::: "x9", "memory");
    printf("after illegal return: CurrentEL %d, DAIF 0x%lx\n", current_el(), read_sysreg(daif));
    printf("%d exceptions taken\n", taken);
    return taken == 12 ? 0 : 1;
}
