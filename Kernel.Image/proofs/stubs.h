/* Proof build only (scripts/prove.sh; include/aegis/arch.h includes this under __FRAMAC__): stand-ins for what C
 * cannot model. Each is a declaration with a contract that WP takes as given; nothing is proved about a stub, and
 * each comment says what it stands for in the real build (include/aegis/arch.h, src/cache.c). */
#ifndef AEGIS_PROOF_STUBS_H
#define AEGIS_PROOF_STUBS_H
#include <stdint.h>

/* mrs / msr: a system register lives outside C memory. A read returns any value. */
/*@ assigns \nothing; */
uint64_t stub_read_sysreg(void);
/*@ assigns \nothing; */
void stub_write_sysreg(uint64_t v);
#define read_sysreg(reg) stub_read_sysreg()
#define write_sysreg(reg, val) stub_write_sysreg((uint64_t)(val))

/* isb, dsb ish, dsb ishst: barriers, no effect on C memory. */
/*@ assigns \nothing; */
void isb(void);
/*@ assigns \nothing; */
void dsb_ish(void);
/*@ assigns \nothing; */
void dsb_ishst(void);

/* Device registers (GIC, UART): outside C memory. */
/*@ assigns \nothing; */
void mmio_write32(uintptr_t addr, uint32_t v);
/*@ assigns \nothing; */
uint32_t mmio_read32(uintptr_t addr);
/*@ assigns \nothing; */
void mmio_write8(uintptr_t addr, uint8_t v);

/* wfe forever; eret to EL0. Neither returns to the caller. */
/*@ assigns \nothing; ensures \false; */
__attribute__((noreturn)) void halt_forever(void);
/*@ assigns \nothing; ensures \false; */
__attribute__((noreturn)) void arch_eret(void);

/* 4096 zero stores at pa (identity map): a user-stack or grant page, which no C object occupies. */
/*@ assigns \nothing; */
void phys_zero_page(uint64_t pa);

/* Byte copy / zeroing at pa (an ELF slot, identity map; no C object there). The source is C memory: the caller
 * must show that it may read it. */
/*@ requires \valid_read(src + (0 .. n - 1));
    assigns \nothing; */
void phys_copy(uint64_t pa, const uint8_t *src, uint64_t n);
/*@ assigns \nothing; */
void phys_zero(uint64_t pa, uint64_t from, uint64_t to);

#endif
