/* AArch64 helpers used by the kernel at EL1. */
#ifndef AEGIS_ARCH_H
#define AEGIS_ARCH_H

#include <stdint.h>

#define read_sysreg(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define write_sysreg(reg, val) __asm__ volatile("msr " #reg ", %0" :: "r"((uint64_t)(val)) : "memory")

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" ::: "memory"); }
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" ::: "memory"); }

static inline void mmio_write32(uintptr_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }
static inline uint32_t mmio_read32(uintptr_t addr) { return *(volatile uint32_t *)addr; }
static inline void mmio_write8(uintptr_t addr, uint8_t v) { *(volatile uint8_t *)addr = v; }

/* Stop this core for good (panic / fatal kernel fault). */
__attribute__((noreturn)) static inline void halt_forever(void)
{
    for (;;)
        __asm__ volatile("wfe");
}

/* Clean D-cache to PoU and invalidate I-cache for [addr, addr+len) (deviation 5). */
void cache_sync_code(uintptr_t addr, uint64_t len);

#endif
