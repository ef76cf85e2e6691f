// Stage-1 identity map for EL1&0 with 4 KiB pages (TTBR0_EL1, 48-bit VA: walks start at level 0).
#pragma once
#include <stdint.h>

// Descriptor bits (Arm ARM D5.3)
#define PTE_VALID       (1ULL << 0)
#define PTE_TABLE       (1ULL << 1)     // level 0-2: table; level 3: page
#define PTE_PAGE        (1ULL << 1)
#define PTE_ATTR(i)     ((uint64_t)(i) << 2)
#define PTE_AP_EL0      (1ULL << 6)     // AP[1]: EL0 access
#define PTE_AP_RO       (1ULL << 7)     // AP[2]: read-only
#define PTE_SH_INNER    (3ULL << 8)
#define PTE_AF          (1ULL << 10)
#define PTE_NG          (1ULL << 11)
#define PTE_PXN         (1ULL << 53)
#define PTE_UXN         (1ULL << 54)
#define ATTR_DEVICE     0               // MAIR index 0: Device-nGnRnE
#define ATTR_NORMAL     1               // MAIR index 1: Normal, write-back
#define ATTR_NORMAL_NC  2               // MAIR index 2: Normal, non-cacheable

#define MMU_SPARE_VA    0x40400000UL    // a 2 MiB block slot (level 2 index 2) for block tests
#define MMU_HOLE_VA     0x40600000UL    // level 2 index 3: left invalid
#define MMU_L1_HOLE_VA  0x80000000UL    // level 1 index 2: left invalid
#define MMU_L0_HOLE_VA  0x0000008000000000UL    // level 0 index 1: left invalid

// Builds the identity map (device block for 0-1 GiB; RAM 1-2 GiB as 2 MiB blocks, except the
// first 2 MiB, mapped with 4 KiB pages: text RX, rodata R, data/bss/stack RW + XN, all EL0-accessible
// except the device block) and turns the MMU on.
void mmu_on(void);
void mmu_off(void);
uint64_t *mmu_l3_entry(uint64_t va);    // the page descriptor of a VA in 0x4000_0000-0x401F_FFFF
uint64_t *mmu_l2_entry(uint64_t va);    // the level-2 descriptor of a VA in 0x4000_0000-0x7FFF_FFFF
void mmu_tlbi_va(uint64_t va);          // TLBI VAAE1 + DSB + ISB
