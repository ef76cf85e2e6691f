/* GICv2 distributor + CPU interface (REFERENCE §2, §13.3). */
#ifndef AEGIS_GIC_H
#define AEGIS_GIC_H
#include <stdint.h>
#define INTID_SPURIOUS 1023
void gic_init(void);
/* The proofs take these two contracts as given (src/gic.c is not proved): they write GIC registers only. */
/*@ assigns \nothing; */
void gic_enable_irq(uint32_t intid);
/*@ assigns \nothing; */
void gic_disable_irq(uint32_t intid);
uint32_t gic_acknowledge(void);
void gic_end_interrupt(uint32_t intid);
#endif
