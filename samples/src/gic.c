// gic: software-generated interrupts through GICD_SGIR, priorities and masking: PMR holds back a
// low-priority SGI until it is raised; pending interrupts are taken highest priority first (lowest
// ID among equals); a higher-priority SGI preempts a running handler, an equal one waits for EOI;
// an SPI made pending through GICD_ISPENDR; HPPIR / RPR / ISPENDR / ISACTIVER as seen on the way.
#include "rt.h"
#include "gic.h"

static int order[32], taken;
static volatile int nest;

static void sgi(unsigned id) { mmio_write32(GICD_SGIR, (2u << 24) | id); dsb(sy); isb(); }  // TargetListFilter 2: this CPU

static void indent(void) { for (int i = 0; i <= nest; i++) uart_puts("  "); }

static int irq(struct rt_frame *f)
{
    uint32_t iar = mmio_read32(GICC_IAR);
    uint32_t id = iar & 0x3FF;
    if (id == 1023) { printf("  spurious\n"); return 1; }
    order[taken++] = (int)id;
    indent();
    printf("IRQ %u (IAR 0x%x) RPR 0x%02x ISACTIVER 0x%08x\n", id, iar, mmio_read32(GICC_RPR), mmio_read32(GICD_ISACTIVER(id / 32)));
    if (id == 3) {
        // inside SGI 3 (priority 0xA0): SGI 4 (equal priority) must wait, SGI 5 (0x60) preempts
        nest++;
        sgi(4);
        sgi(5);
        irq_enable();
        for (volatile int i = 0; i < 100; i++) { }
        irq_disable();
        indent();
        printf("back in IRQ 3, HPPIR %u\n", mmio_read32(GICC_HPPIR) & 0x3FF);
        nest--;
    }
    mmio_write32(GICC_EOIR, iar);
    return 1;
}

int main(void)
{
    rt_irq_handler = irq;
    gic_init(0x80);
    static const uint8_t prio[16] = { 0x80, 0xC0, 0x40, 0xA0, 0xA0, 0x60, 0x90, 0x90, 0x90, 0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80 };
    for (unsigned i = 0; i < 16; i++) gic_enable(i, prio[i]);
    printf("gic: GICD_CTLR %x GICC_CTLR %x PMR 0x%02x, IPRIORITYR SGI1 0x%02x SGI2 0x%02x\n", mmio_read32(GICD_CTLR),
           mmio_read32(GICC_CTLR), mmio_read32(GICC_PMR), mmio_read8(GICD_IPRIORITYR(1)), mmio_read8(GICD_IPRIORITYR(2)));

    uart_puts("SGI 1 (priority 0xC0) under PMR 0x80: held back\n");
    irq_enable();
    sgi(1);
    for (volatile int i = 0; i < 100; i++) { }
    printf("taken %d, ISPENDR0 0x%08x, HPPIR %u, RPR 0x%02x\n", taken, mmio_read32(GICD_ISPENDR(0)), mmio_read32(GICC_HPPIR) & 0x3FF, mmio_read32(GICC_RPR));
    uart_puts("SGI 2 (priority 0x40) passes the mask\n");
    sgi(2);
    printf("taken %d\n", taken);
    uart_puts("PMR raised to 0xF0: SGI 1 arrives\n");
    mmio_write32(GICC_PMR, 0xF0);
    dsb(sy); isb();
    for (volatile int i = 0; i < 100; i++) { }
    printf("taken %d\n", taken);

    uart_puts("SGIs 7, 6, 8, 9, 0 pended with PSTATE.I set, then unmasked\n");
    irq_disable();
    sgi(7); sgi(6); sgi(8); sgi(9); sgi(0);
    printf("ISPENDR0 0x%08x HPPIR %u\n", mmio_read32(GICD_ISPENDR(0)), mmio_read32(GICC_HPPIR) & 0x3FF);
    irq_enable();
    irq_disable();

    uart_puts("preemption inside SGI 3\n");
    irq_enable();
    sgi(3);
    irq_disable();

    uart_puts("SPI 40 made pending by GICD_ISPENDR1\n");
    gic_enable(40, 0x50);
    printf("ITARGETSR40 0x%02x ICFGR2 0x%08x\n", mmio_read8(GICD_ITARGETSR(40)), mmio_read32(GICD_ICFGR(2)));
    mmio_write32(GICD_ISPENDR(1), 1u << 8);
    dsb(sy);
    irq_enable();
    irq_disable();
    // (whether SGIs can be disabled is IMPLEMENTATION DEFINED in GICv2, so an SPI is used)
    uart_puts("SPI 41 disabled by ICENABLER1, pended, then re-enabled\n");
    gic_enable(41, 0xE0);
    mmio_write32(GICD_ICENABLER(1), 1u << 9);
    mmio_write32(GICD_ISPENDR(1), 1u << 9);
    dsb(sy);
    irq_enable();
    for (volatile int i = 0; i < 100; i++) { }
    printf("taken %d (still pending: %u, enabled: %u)\n", taken, (mmio_read32(GICD_ISPENDR(1)) >> 9) & 1, (mmio_read32(GICD_ISENABLER(1)) >> 9) & 1);
    mmio_write32(GICD_ISENABLER(1), 1u << 9);
    dsb(sy); isb();
    for (volatile int i = 0; i < 100; i++) { }
    irq_disable();
    printf("taken %d, ISPENDR1 0x%08x\n", taken, mmio_read32(GICD_ISPENDR(1)));

    printf("order:");
    for (int i = 0; i < taken; i++) printf(" %d", order[i]);
    printf("\n");
    static const int expect[] = { 2, 1, 9, 0, 6, 7, 8, 3, 5, 4, 40, 41 };
    int ok = taken == 12;
    for (int i = 0; ok && i < 12; i++) ok = order[i] == expect[i];
    return ok ? 0 : 1;
}
