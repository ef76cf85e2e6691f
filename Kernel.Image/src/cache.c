/* Cache maintenance for code written at run time (deviation 5): clean the written
 * bytes to the point of unification, then invalidate the I-cache lines for them. */
#include "aegis/arch.h"

void cache_sync_code(uintptr_t addr, uint64_t len)
{
    if (len == 0)
        return;
    uint64_t ctr = read_sysreg(ctr_el0);
    uint64_t dline = 4ULL << ((ctr >> 16) & 0xF); /* DminLine, in bytes */
    uint64_t iline = 4ULL << (ctr & 0xF);         /* IminLine, in bytes */
    uintptr_t end = addr + len;

    for (uintptr_t p = addr & ~(dline - 1); p < end; p += dline)
        __asm__ volatile("dc cvau, %0" :: "r"(p) : "memory");
    dsb_ish();
    for (uintptr_t p = addr & ~(iline - 1); p < end; p += iline)
        __asm__ volatile("ic ivau, %0" :: "r"(p) : "memory");
    dsb_ish();
    isb();
}
