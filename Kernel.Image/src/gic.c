/* GICv2 (REFERENCE §2 step 10.3, §3.4, §13.3). */
#include "aegis/gic.h"
#include "aegis/arch.h"
#include "aegis/platform.h"

#define GICD_CTLR       0x000
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_IPRIORITYR 0x400
#define GICC_CTLR       0x000
#define GICC_PMR        0x004
#define GICC_IAR        0x00C
#define GICC_EOIR       0x010

static void gic_set_priority(uint32_t intid, uint8_t prio)
{
    mmio_write8(GICD_BASE + GICD_IPRIORITYR + intid, prio); /* byte access */
}

void gic_init(void)
{
    mmio_write32(GICD_BASE + GICD_CTLR, 0);
    mmio_write32(GICD_BASE + GICD_CTLR, 1);
    mmio_write32(GICC_BASE + GICC_PMR, 0xFF);
    mmio_write32(GICC_BASE + GICC_CTLR, 1);
    gic_set_priority(TIMER_INTID, 0);
    gic_enable_irq(TIMER_INTID);
}

void gic_enable_irq(uint32_t intid)
{
    uintptr_t reg = GICD_BASE + GICD_ISENABLER + 4 * (intid / 32);
    mmio_write32(reg, mmio_read32(reg) | (1u << (intid % 32))); /* read-modify-write, as upstream */
}

void gic_disable_irq(uint32_t intid)
{
    mmio_write32(GICD_BASE + GICD_ICENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

uint32_t gic_acknowledge(void)
{
    return mmio_read32(GICC_BASE + GICC_IAR) & 0x3FF;
}

void gic_end_interrupt(uint32_t intid)
{
    mmio_write32(GICC_BASE + GICC_EOIR, intid);
}
