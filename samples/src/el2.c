// el2: the hypervisor level. Entered at EL2 (QEMU -M virt,virtualization=on) it stays there
// (runtime_keep_el2), reports EL2 registers, then runs EL1 code under HCR_EL2 traps: HVC (EC 0x16),
// SMC with HCR_EL2.TSC (EC 0x17), WFI with HCR_EL2.TWI (EC 0x01), SCTLR_EL1 writes with
// HCR_EL2.TVM (EC 0x18), MIDR_EL1/MPIDR_EL1 reads virtualised by VPIDR_EL2/VMPIDR_EL2, and a
// virtual IRQ injected with HCR_EL2.VI. Entered at EL1 it says so and asks PSCI for its version.
#include "rt.h"

const int runtime_keep_el2 = 1;

static uint8_t el1_stack[4096] __attribute__((aligned(16)));
static int el2_traps, el1_virqs;

static int el2_handler(struct rt_frame *f)
{
    if (current_el() != 2 || f->kind != 8) return 0;
    uint64_t ec = ESR_EC(f->esr);
    el2_traps++;
    printf("  EL2 trap: ESR 0x%08lx EC 0x%02lx ISS 0x%07lx", f->esr, ec, ESR_ISS(f->esr));
    switch (ec) {
    case 0x16:  // HVC: preferred return is the next instruction
        printf(" hvc #0x%lx x0=%lu\n", f->esr & 0xFFFF, f->x[0]);
        if ((f->esr & 0xFFFF) == 0x43) {        // "inject a virtual IRQ": HCR_EL2.VI
            write_sysreg(hcr_el2, read_sysreg(hcr_el2) | (1ULL << 7));
            isb();
        }
        f->x[0] = f->x[0] * f->x[0];
        break;
    case 0x17:  // SMC trapped by TSC: ELR is the SMC itself
        printf(" smc #0x%lx\n", f->esr & 0xFFFF);
        f->x[0] = 0x5AC;
        f->elr += 4;
        break;
    case 0x01:  // WFI trapped by TWI: ELR is the WFI
        printf(" wf%c\n", (f->esr & 1) ? 'e' : 'i');
        f->elr += 4;
        break;
    case 0x18: {  // MSR/MRS trap (TVM): emulate the write into SCTLR_EL1
        uint64_t rt = (f->esr >> 5) & 0x1F;
        printf(" %s Rt=x%lu value 0x%lx\n", (f->esr & 1) ? "mrs" : "msr", rt, rt == 31 ? 0 : f->x[rt]);
        f->elr += 4;
        break;
    }
    default:
        printf(" unexpected\n");
        return 0;
    }
    return 1;
}

static int el1_irq(struct rt_frame *f)
{
    if (current_el() != 1) return 0;
    el1_virqs++;
    printf("  EL1 IRQ (virtual) #%d, ISR_EL1 0x%lx\n", el1_virqs, read_sysreg(isr_el1));
    // the hypervisor would clear HCR_EL2.VI; EL1 cannot, so it masks IRQs on return
    f->spsr |= 1u << 7;
    return 1;
}

static uint64_t at_el1(uint64_t arg)
{
    printf("EL1: CurrentEL %d, MIDR_EL1 0x%08lx, MPIDR_EL1 0x%016lx\n", current_el(), read_sysreg(midr_el1), read_sysreg(mpidr_el1));
    register uint64_t x0 __asm__("x0") = arg;
    __asm__ volatile("hvc #0x42" : "+r"(x0) :: "memory");
    printf("EL1: hvc #0x42 returned %lu\n", x0);
    x0 = 0x84000000;
    __asm__ volatile("smc #0x7" : "+r"(x0) :: "memory");
    printf("EL1: smc returned 0x%lx\n", x0);
    __asm__ volatile("wfi" ::: "memory");
    printf("EL1: after wfi\n");
    uint64_t s = read_sysreg(sctlr_el1);
    write_sysreg(sctlr_el1, s | 4);
    printf("EL1: SCTLR_EL1 read 0x%08lx, after trapped write 0x%08lx\n", s, read_sysreg(sctlr_el1));
    printf("EL1: ISR_EL1 0x%lx before injection\n", read_sysreg(isr_el1));
    x0 = 3;
    __asm__ volatile("hvc #0x43" : "+r"(x0) :: "memory");
    printf("EL1: ISR_EL1 0x%lx, unmasking IRQ\n", read_sysreg(isr_el1));
    __asm__ volatile("msr daifclr, #2\n\tisb\n\tnop\n\tnop" ::: "memory");
    printf("EL1: %d virtual IRQ(s) taken\n", el1_virqs);
    return arg + 1;
}

int main(void)
{
    rt_sync_handler = el2_handler;
    rt_irq_handler = el1_irq;
    printf("el2: entered at EL%d, running at EL%d\n", rt_entry_el, current_el());
    printf("ID_AA64PFR0_EL1.EL2 = %lu\n", (read_sysreg(id_aa64pfr0_el1) >> 8) & 0xF);
    if (current_el() != 2) {
        uint64_t v = psci_call(0x84000000, 0, 0, 0);    // PSCI_VERSION through hvc
        printf("no EL2 to test: PSCI version %lu.%lu via hvc\n", v >> 16, v & 0xFFFF);
        uint64_t f = psci_call(0x8400000A, 0x84000008, 0, 0);   // PSCI_FEATURES(SYSTEM_OFF)
        printf("PSCI_FEATURES(SYSTEM_OFF) = %ld\n", (int64_t)f);
        return 0;
    }
    // SCTLR_EL2: only M, A, C, I, WXN, EE. Its reset value is IMPLEMENTATION DEFINED: QEMU 7.2 gives 0,
    // the Cortex-A53 TRM 0x30C50838 (RES1 bits and SA set), so SA and the RES1 bits are not compared.
    printf("HCR_EL2 0x%lx SCTLR_EL2 controls 0x%08lx CNTHCTL_EL2 0x%lx\n", read_sysreg(hcr_el2),
           read_sysreg(sctlr_el2) & 0x02081007, read_sysreg(cnthctl_el2) & 3);
    printf("VPIDR_EL2 0x%08lx VMPIDR_EL2 0x%016lx\n", read_sysreg(vpidr_el2), read_sysreg(vmpidr_el2));
    uint64_t v = psci_call(0x84000000, 0, 0, 0);        // PSCI_VERSION through smc
    printf("PSCI version %lu.%lu via smc\n", v >> 16, v & 0xFFFF);

    extern char vectors[];
    write_sysreg(vbar_el1, (uint64_t)vectors);
    write_sysreg(cnthctl_el2, read_sysreg(cnthctl_el2) | 3);
    write_sysreg(cntvoff_el2, 0);
    write_sysreg(sctlr_el1, 0x00C50838);
    write_sysreg(vpidr_el2, 0x410FD03F);
    write_sysreg(vmpidr_el2, 0x80000101);
    // RW (31) | TVM (26) | TSC (19) | TWI (13) | IMO (4); VI (7) is set later by hvc #0x43
    uint64_t hcr = (1ULL << 31) | (1ULL << 26) | (1ULL << 19) | (1ULL << 13) | (1ULL << 4);
    write_sysreg(hcr_el2, hcr);
    isb();
    uint64_t r = rt_el1_enter(at_el1, 12, el1_stack + sizeof el1_stack);
    printf("back at EL%d: EL1 returned %lu after %d EL2 traps\n", current_el(), r, el2_traps);
    write_sysreg(hcr_el2, 1ULL << 31);
    isb();
    printf("HCR_EL2 now 0x%lx\n", read_sysreg(hcr_el2));
    return r == 13 && el2_traps == 5 && el1_virqs == 1 ? 0 : 1;
}
