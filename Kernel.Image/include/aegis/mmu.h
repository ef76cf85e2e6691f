/* Translation tables: 36-page bank, per-task address spaces (REFERENCE §1.4, §1.5). */
#ifndef AEGIS_MMU_H
#define AEGIS_MMU_H
#include <stdint.h>
#include "aegis/linker.h"

#define PT_L2_DEVICE 0
#define PT_L1        1
#define PT_L2_RAM    2
#define PT_L3        3
#define PT_KERNEL_SET 8              /* pseudo task id of the kernel set, pages 32..35 */
#define PT_PAGES      36             /* 4 x NUM_TASKS + 4 */
/* pt_index(task, type) = type x 8 + task for tasks 0-7; the kernel set is 32 + type. */
#define PT_INDEX(task, type) ((task) == PT_KERNEL_SET ? 32 + (type) : (type) * 8 + (task))
#define PT_L1_KERNEL  PT_INDEX(PT_KERNEL_SET, PT_L1) /* 33 */

/* Descriptor templates (REFERENCE §1.4). */
#define DESC_NG            (1ULL << 11)
#define DEVICE_BLOCK       0x0060000000000401ULL
#define DEVICE_BLOCK_EL0   0x0060000000000441ULL
/* RAM_BLOCK: EL1 RW, and (deviation 12) PXN + UXN: upstream's 0x709 let EL0 run the bundle, WXN covering only
 * EL0-writable memory for EL0 execution. */
#define RAM_BLOCK          0x0060000000000709ULL
#define SHARED_CODE_PAGE   0x00000000000007CBULL /* upstream's kernel text (EL0 + EL1 RX); no longer used */
#define KERNEL_RODATA_PAGE 0x00600000000007CBULL
#define KERNEL_DATA_PAGE   0x006000000000070BULL
#define USER_DATA_PAGE     0x006000000000074BULL
#define USER_CODE_PAGE     0x00200000000007CBULL
#define KERNEL_CODE_PAGE   0x000000000000078BULL /* upstream's (unused): no UXN, so EL0 could run it */
#define KERNEL_TEXT_PAGE   0x004000000000078BULL /* ours (deviation 12): EL1 read-only and executable; UXN, no EL0 access */
#define KERNEL_RO_PAGE     0x006000000000078BULL /* ours (deviation 6): EL1 read-only, no EL0 access, never executable */

#define MAIR_VALUE   0x04FF4400ULL
#define TCR_VALUE    0x5B5993519ULL
#define SCTLR_MMU_ON 0x0008100DULL /* M | C | SA | I | WXN */

#define UART_L2_INDEX 72

void mmu_init(void);                               /* boot.S, MMU off */
uint64_t mmu_task_ttbr0(unsigned task);            /* ASID task+1 */
uint64_t mmu_kernel_ttbr0(void);                   /* kernel L1, ASID 0 */
/* The proofs take these contracts as given: they write the page-table bank only (src/mmu.c; P15 proves its index
 * arithmetic, not its memory writes, which go through a linker symbol). */
/*@ assigns __page_tables_start[0 .. PT_PAGES * 4096 - 1]; */
uint64_t mmu_set_page_attr(unsigned task, uint64_t vaddr, uint64_t attrs);
/*@ assigns __page_tables_start[0 .. PT_PAGES * 4096 - 1]; */
uint64_t mmu_set_kernel_page_attr(uint64_t vaddr, uint64_t attrs); /* kernel set, ASID 0 */
uint64_t mmu_map_device_for_task(uint64_t device_id, unsigned task);
/*@ assigns __page_tables_start[0 .. PT_PAGES * 4096 - 1]; */
void mmu_revoke_user_text(unsigned task);          /* deviation 12: the task runs its own ELF, not kernel-carried code */
#endif
