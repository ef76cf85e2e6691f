// timer: GICv2 + generic timer. The EL1 physical timer (PPI 30) ticks five times through
// TVAL + WFI + IRQ, acknowledged with GICC_IAR / GICC_EOIR; then the virtual timer (PPI 27)
// fires once from CVAL; WFI wakes on a pending interrupt even with PSTATE.I set; IMASK keeps the
// line low while ISTATUS shows the condition. Only host-timing-independent facts are printed
// (QEMU's counter follows the host clock).
#include "rt.h"
#include "gic.h"

static volatile int ticks, vticks, spurious;
static volatile uint32_t last_iar;

static int irq(struct rt_frame *f)
{
    uint32_t iar = mmio_read32(GICC_IAR);
    uint32_t id = iar & 0x3FF;
    last_iar = iar;
    if (id == 30) {
        ticks++;
        printf("  tick %d (IAR 0x%x, RPR 0x%x)\n", ticks, iar, mmio_read32(GICC_RPR));
        if (ticks < 5) write_sysreg(cntp_tval_el0, read_sysreg(cntfrq_el0) / 1000);  // 1 ms
        else write_sysreg(cntp_ctl_el0, 0);
        isb();
    } else if (id == 27) {
        vticks++;
        printf("  virtual timer fired (IAR 0x%x), CNTV_CTL_EL0 0x%lx\n", iar, read_sysreg(cntv_ctl_el0));
        write_sysreg(cntv_ctl_el0, 0);
        isb();
    } else if (id == 1023) {
        spurious++;
        return 1;
    } else {
        printf("  unexpected interrupt %u\n", id);
    }
    mmio_write32(GICC_EOIR, iar);
    return 1;
}

int main(void)
{
    rt_irq_handler = irq;
    printf("timer: CNTFRQ_EL0 %lu Hz, GICD_TYPER.ITLinesNumber %u\n", read_sysreg(cntfrq_el0), mmio_read32(GICD_TYPER) & 0x1F);
    gic_init(0xF0);
    gic_enable(30, 0xA0);
    gic_enable(27, 0x80);
    printf("ISENABLER0 0x%08x PMR 0x%x\n", mmio_read32(GICD_ISENABLER(0)), mmio_read32(GICC_PMR));

    uart_puts("physical timer, 5 ticks of 1 ms\n");
    write_sysreg(cntp_tval_el0, read_sysreg(cntfrq_el0) / 1000);
    write_sysreg(cntp_ctl_el0, 1);          // ENABLE, IMASK = 0
    isb();
    irq_enable();
    while (ticks < 5) wfi();
    irq_disable();
    printf("ticks %d, CNTP_CTL_EL0 0x%lx\n", ticks, read_sysreg(cntp_ctl_el0));

    uart_puts("virtual timer, one shot from CVAL\n");
    write_sysreg(cntv_cval_el0, read_sysreg(cntvct_el0) + read_sysreg(cntfrq_el0) / 500);   // 2 ms
    write_sysreg(cntv_ctl_el0, 1);
    isb();
    irq_enable();
    while (!vticks) wfi();
    irq_disable();

    uart_puts("IMASK: condition met, no interrupt\n");
    write_sysreg(cntp_tval_el0, 100);
    write_sysreg(cntp_ctl_el0, 3);          // ENABLE | IMASK
    isb();
    while (!(read_sysreg(cntp_ctl_el0) & 4)) { }
    printf("CNTP_CTL_EL0 0x%lx, PPI 30 pending: %u, TVAL <= 0: %d\n", read_sysreg(cntp_ctl_el0),
           (mmio_read32(GICD_ISPENDR(0)) >> 30) & 1, (int32_t)read_sysreg(cntp_tval_el0) <= 0);

    uart_puts("WFI with PSTATE.I set wakes on the pending interrupt\n");
    write_sysreg(cntp_ctl_el0, 1);          // unmask the timer output: PPI 30 goes pending now
    isb();
    wfi();
    printf("woke: HPPIR %u, PPI 30 pending: %u, ISR_EL1 0x%lx\n", mmio_read32(GICC_HPPIR) & 0x3FF,
           (mmio_read32(GICD_ISPENDR(0)) >> 30) & 1, read_sysreg(isr_el1));
    ticks = 4;                              // the handler stops the timer after this tick
    irq_enable();
    irq_disable();
    printf("after unmasking: ticks %d, PPI 30 pending %u, spurious %d\n", ticks, (mmio_read32(GICD_ISPENDR(0)) >> 30) & 1, spurious);
    return ticks == 5 && vticks == 1 ? 0 : 1;
}
