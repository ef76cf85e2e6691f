/* AArch64 helpers used by the kernel at EL1. */
#ifndef AEGIS_ARCH_H
#define AEGIS_ARCH_H

#include <stdint.h>

#ifdef __FRAMAC__
/* Proof build (scripts/prove.sh): the asm, MMIO and raw physical-memory helpers below are replaced by the contracts
 * of Kernel.Image/proofs/stubs.h. Nothing is proved about them. */
#include "stubs.h"
#else

#define read_sysreg(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define write_sysreg(reg, val) __asm__ volatile("msr " #reg ", %0" :: "r"((uint64_t)(val)) : "memory")

/* CNTKCTL_EL1.EL0VCTEN: EL0 reads of CNTVCT_EL0 and CNTFRQ_EL0 do not trap. */
#define CNTKCTL_EL0VCTEN (1u << 1)

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

/* eret to the EL0 context already in ELR_EL1 / SPSR_EL1 / SP_EL0 (sched_bootstrap). */
__attribute__((noreturn)) static inline void arch_eret(void)
{
    __asm__ volatile("eret" ::: "memory");
    __builtin_unreachable();
}

/* Physical memory outside every C object, written through the identity map: a user-stack or grant page, an ELF
 * slot. Kept apart so that the proof build can stand them in: C cannot tell whether such an address is valid. */
static inline void phys_zero_page(uint64_t pa)
{
    for (unsigned i = 0; i < 4096; i += 8)
        *(volatile uint64_t *)(uintptr_t)(pa + i) = 0;
}

/* dst[b] = src[b] for b < n, dst = the bytes at pa. */
static inline void phys_copy(uint64_t pa, const uint8_t *src, uint64_t n)
{
    uint8_t *dst = (uint8_t *)(uintptr_t)pa;
    for (uint64_t b = 0; b < n; b++)
        dst[b] = src[b];
}

/* dst[b] = 0 for from <= b < to, dst = the bytes at pa. */
static inline void phys_zero(uint64_t pa, uint64_t from, uint64_t to)
{
    uint8_t *dst = (uint8_t *)(uintptr_t)pa;
    for (uint64_t b = from; b < to; b++)
        dst[b] = 0;
}

#endif

/* Clean D-cache to PoU and invalidate I-cache for [addr, addr+len) (deviation 5). Cache maintenance, no effect on
 * C memory (src/cache.c, not proved: asm). */
/*@ assigns \nothing; */
void cache_sync_code(uintptr_t addr, uint64_t len);

#endif
