// GICv2 registers of QEMU's -M virt (distributor 0x0800_0000, CPU interface 0x0801_0000), GIC TRM names.
#pragma once
#include "rt.h"

#define GICD_BASE       0x08000000UL
#define GICC_BASE       0x08010000UL
#define GICD_CTLR       (GICD_BASE + 0x000)
#define GICD_TYPER      (GICD_BASE + 0x004)
#define GICD_ISENABLER(n) (GICD_BASE + 0x100 + 4 * (n))
#define GICD_ICENABLER(n) (GICD_BASE + 0x180 + 4 * (n))
#define GICD_ISPENDR(n) (GICD_BASE + 0x200 + 4 * (n))
#define GICD_ICPENDR(n) (GICD_BASE + 0x280 + 4 * (n))
#define GICD_ISACTIVER(n) (GICD_BASE + 0x300 + 4 * (n))
#define GICD_IPRIORITYR(id) (GICD_BASE + 0x400 + (id))   // byte access
#define GICD_ITARGETSR(id) (GICD_BASE + 0x800 + (id))    // byte access
#define GICD_ICFGR(n)   (GICD_BASE + 0xC00 + 4 * (n))
#define GICD_SGIR       (GICD_BASE + 0xF00)
#define GICC_CTLR       (GICC_BASE + 0x000)
#define GICC_PMR        (GICC_BASE + 0x004)
#define GICC_BPR        (GICC_BASE + 0x008)
#define GICC_IAR        (GICC_BASE + 0x00C)
#define GICC_EOIR       (GICC_BASE + 0x010)
#define GICC_RPR        (GICC_BASE + 0x014)
#define GICC_HPPIR      (GICC_BASE + 0x018)

static inline void gic_enable(unsigned id, uint8_t priority)
{
    mmio_write8(GICD_IPRIORITYR(id), priority);
    if (id >= 32) mmio_write8(GICD_ITARGETSR(id), 1);
    mmio_write32(GICD_ISENABLER(id / 32), 1u << (id % 32));
}

static inline void gic_init(uint8_t pmr)
{
    mmio_write32(GICD_CTLR, 1);
    mmio_write32(GICC_PMR, pmr);
    mmio_write32(GICC_BPR, 0);
    mmio_write32(GICC_CTLR, 1);
}

static inline void irq_enable(void) { __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("msr daifset, #2\n\tisb" ::: "memory"); }
static inline void wfi(void) { __asm__ volatile("dsb sy\n\twfi" ::: "memory"); }
