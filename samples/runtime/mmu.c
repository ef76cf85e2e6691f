// Identity map for programs that run with the MMU on (see mmu.h).
#include "rt.h"
#include "mmu.h"

static uint64_t l0[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));

extern char __image_start[], __stack_top[];

#define MAIR_VALUE  (0x00ULL | 0xFFULL << 8 | 0x44ULL << 16)
// T0SZ = 16 (48-bit VA), IRGN0/ORGN0 = WB, SH0 = inner, TG0 = 4K, EPD1 = 1, IPS = 40-bit
#define TCR_VALUE   (16ULL | 1ULL << 8 | 1ULL << 10 | 3ULL << 12 | 1ULL << 23 | 2ULL << 32)

void mmu_on(void)
{
    extern char __rodata_start[], __data_start[];
    uint64_t text = (uint64_t)__image_start, rodata = (uint64_t)__rodata_start, data = (uint64_t)__data_start;
    uint64_t end = (uint64_t)__stack_top;
    for (int i = 0; i < 512; i++) l0[i] = l1[i] = l2[i] = l3[i] = 0;
    l0[0] = (uint64_t)l1 | PTE_TABLE | PTE_VALID;
    l1[0] = 0x00000000 | PTE_ATTR(ATTR_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN | PTE_VALID;   // 1 GiB device block
    l1[1] = (uint64_t)l2 | PTE_TABLE | PTE_VALID;
    l2[0] = (uint64_t)l3 | PTE_TABLE | PTE_VALID;
    l2[1] = 0x40200000 | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_AP_EL0 | PTE_PXN | PTE_UXN | PTE_VALID;
    for (int i = 4; i < 512; i++)
        l2[i] = (0x40000000 + ((uint64_t)i << 21)) | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_AP_EL0 | PTE_PXN | PTE_UXN | PTE_VALID;
    for (uint64_t pa = 0x40000000; pa < 0x40200000; pa += 4096) {
        uint64_t d = pa | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_AP_EL0 | PTE_PAGE | PTE_VALID;
        if (pa >= text && pa < rodata) d |= PTE_AP_RO;                      // text: read-only, executable at EL1 and EL0
        else if (pa >= rodata && pa < data) d |= PTE_AP_RO | PTE_PXN | PTE_UXN;
        else if (pa >= data && pa < end) d |= PTE_PXN | PTE_UXN;            // data, bss, stack: RW, never executable
        else d = 0;                                                          // outside the image: unmapped
        l3[(pa >> 12) & 511] = d;
    }
    dsb(ish);
    write_sysreg(mair_el1, MAIR_VALUE);
    write_sysreg(tcr_el1, TCR_VALUE);
    write_sysreg(ttbr0_el1, (uint64_t)l0);
    isb();
    __asm__ volatile("tlbi vmalle1\n\tdsb nsh" ::: "memory");
    isb();
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | 1 | 1 << 2 | 1 << 12);    // M, C, I
    isb();
}

void mmu_off(void)
{
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~1ULL);
    isb();
}

uint64_t *mmu_l3_entry(uint64_t va) { return &l3[(va >> 12) & 511]; }
uint64_t *mmu_l2_entry(uint64_t va) { return &l2[(va >> 21) & 511]; }

void mmu_tlbi_va(uint64_t va)
{
    dsb(ishst);
    __asm__ volatile("tlbi vaae1, %0" :: "r"(va >> 12) : "memory");
    dsb(ish);
    isb();
}
