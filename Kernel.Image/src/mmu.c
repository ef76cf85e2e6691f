/* Translation tables (REFERENCE §1.4, §1.5; deviations 1 and 2).
 *
 * mmu_init runs from boot.S with the MMU off: memory is Device then, so the build
 * uses -mstrict-align. Every entry whose value can differ between address spaces
 * (user stacks, grant pages, the ELF region, the UART device block) is non-global
 * (nG = 1) in every table, so a TLB that keeps entries per ASID never serves one
 * task another task's translation; everything else is identical in all tables
 * and stays global. */
#include <stdbool.h>
#include "aegis/mmu.h"
#include "aegis/abi.h"
#include "aegis/arch.h"
#include "aegis/linker.h"
#include "aegis/platform.h"
#include "aegis/task_table.h"
#include "aegis/uart.h"

#define ENTRIES 512
#define DESC_TABLE 0x3ULL
#define L2_BLOCK_SIZE (2ULL << 20)
#define OWNER_KERNEL 0xFF

static uint64_t *pt(unsigned task, unsigned type)
{
    return (uint64_t *)(__page_tables_start + (uint64_t)PT_INDEX(task, type) * 4096);
}

static bool in_range(uint64_t a, const char *lo, const char *hi)
{
    return a >= SYM(lo) && a < SYM(hi);
}

/* Deviation 12: a task whose boot entry lies in the EL0 code the kernel image carries (tasks 0, 1, 7, the
 * placeholders of the ELF tasks until their image is loaded, and the scenarios' tasks) may run it; no other. */
static bool runs_user_text(unsigned owner)
{
    return owner < NUM_TASKS && in_range(task_boot_entries[owner], __user_text_start, __user_text_end);
}

/* L3 entry for page pa in the table set of `owner` (OWNER_KERNEL for the kernel set). */
static uint64_t l3_entry(uint64_t pa, unsigned owner)
{
    if (pa == SYM(__stack_guard))
        return 0;
    if (in_range(pa, __user_stacks_start, __user_stacks_end)) {
        unsigned t = (unsigned)((pa - SYM(__user_stacks_start)) / 4096);
        return pa | DESC_NG | (t == owner ? USER_DATA_PAGE : KERNEL_DATA_PAGE);
    }
    if (in_range(pa, __grant_pages_start, __grant_pages_end))
        return pa | DESC_NG | KERNEL_DATA_PAGE;
    if (in_range(pa, __text_start, __text_end))
        return pa | KERNEL_TEXT_PAGE;
    if (in_range(pa, __user_text_start, __user_text_end)) /* differs between tables: nG */
        return pa | DESC_NG | (runs_user_text(owner) ? USER_CODE_PAGE : KERNEL_RO_PAGE);
    if (in_range(pa, __rodata_start, __rodata_end))
        return pa | KERNEL_RO_PAGE;
    if (in_range(pa, __elf_load_start, __elf_load_end)) /* deviation 6: the loader writes through the kernel set only */
        return pa | DESC_NG | (owner == OWNER_KERNEL ? KERNEL_DATA_PAGE : KERNEL_RO_PAGE);
    if (in_range(pa, __data_start, __kernel_end))
        return pa | KERNEL_DATA_PAGE;
    if (pa < SYM(__text_start))
        return pa | KERNEL_DATA_PAGE;
    return 0;
}

static void build_set(unsigned set, unsigned owner)
{
    uint64_t *l1 = pt(set, PT_L1), *l2d = pt(set, PT_L2_DEVICE);
    uint64_t *l2r = pt(set, PT_L2_RAM), *l3 = pt(set, PT_L3);

    for (unsigned i = 64; i <= 72; i++)
        l2d[i] = ((uint64_t)i * L2_BLOCK_SIZE) | DEVICE_BLOCK | (i == UART_L2_INDEX ? DESC_NG : 0);
    for (unsigned i = 0; i < ENTRIES; i++)
        l3[i] = l3_entry(RAM_BASE + (uint64_t)i * 4096, owner);
    l2r[0] = (uint64_t)(uintptr_t)l3 | DESC_TABLE;
    for (unsigned i = 1; i < 64; i++)
        l2r[i] = (RAM_BASE + (uint64_t)i * L2_BLOCK_SIZE) | RAM_BLOCK;
    l1[0] = (uint64_t)(uintptr_t)l2d | DESC_TABLE;
    l1[1] = (uint64_t)(uintptr_t)l2r | DESC_TABLE;
}

_Static_assert(PT_L1_KERNEL == 33, "kernel L1 is page 33");

/* P15 (REF §11 #10, #11), on the production macro PT_INDEX that pt() uses: every table of a task or of the kernel set
 * is a page of the 36-page bank, and two (set, type) pairs never share a page, so no task's table aliases another's
 * and a task's four tables are distinct. */
/*@ lemma pt_index_in_bank: \forall integer t, ty; (0 <= t < NUM_TASKS || t == PT_KERNEL_SET) && 0 <= ty <= PT_L3 ==>
        0 <= PT_INDEX(t, ty) < PT_PAGES;
    lemma pt_index_no_aliasing: \forall integer t1, ty1, t2, ty2;
        (0 <= t1 < NUM_TASKS || t1 == PT_KERNEL_SET) && (0 <= t2 < NUM_TASKS || t2 == PT_KERNEL_SET) &&
        0 <= ty1 <= PT_L3 && 0 <= ty2 <= PT_L3 && (t1 != t2 || ty1 != ty2) ==> PT_INDEX(t1, ty1) != PT_INDEX(t2, ty2);
    // set_l3's entry index: a page of the first 2 MiB of RAM (in_l3_range) is one of the 512 entries of an L3 table.
    lemma l3_index_in_table: \forall integer va; RAM_BASE <= va < RAM_BASE + L2_BLOCK_SIZE ==>
        0 <= (va - va % 4096 - RAM_BASE) / 4096 < ENTRIES; */

void mmu_init(void)
{
    for (unsigned t = 0; t < NUM_TASKS; t++)
        build_set(t, t);
    build_set(PT_KERNEL_SET, OWNER_KERNEL);
    dsb_ish();
    isb();
}

uint64_t mmu_kernel_ttbr0(void)
{
    return (uint64_t)(uintptr_t)pt(PT_KERNEL_SET, PT_L1); /* index 33, ASID 0 */
}

uint64_t mmu_task_ttbr0(unsigned task)
{
    return ((uint64_t)(task + 1) << 48) | (uint64_t)(uintptr_t)pt(task, PT_L1);
}

static void mmu_tlbi_task(unsigned task)
{
    uint64_t asid = (uint64_t)(task + 1) << 48;
    dsb_ishst();
    __asm__ volatile("tlbi aside1is, %0" :: "r"(asid) : "memory");
    dsb_ish();
    isb();
}

static bool in_l3_range(uint64_t vaddr)
{
    return vaddr >= RAM_BASE && vaddr < RAM_BASE + L2_BLOCK_SIZE;
}

/* Every page edited at run time differs between address spaces, hence nG. */
static void set_l3(unsigned set, uint64_t vaddr, uint64_t attrs)
{
    uint64_t pa = vaddr & ~0xFFFULL;
    pt(set, PT_L3)[(pa - RAM_BASE) / 4096] = pa | attrs | DESC_NG;
}

/* Rewrite one L3 entry of `task` (first 2 MiB of RAM only). */
uint64_t mmu_set_page_attr(unsigned task, uint64_t vaddr, uint64_t attrs)
{
    if (task >= NUM_TASKS)
        return ERR_PAGE_BAD_TASK;
    if (!in_l3_range(vaddr))
        return ERR_PAGE_BAD_VADDR;
    set_l3(task, vaddr, attrs);
    mmu_tlbi_task(task);
    return 0;
}

/* Rewrite one L3 entry of the kernel set (ASID 0) and drop that one translation. Only
 * permissions change, not the output address, so the Arm ARM asks for no break-before-make;
 * it does ask for the TLBI. */
uint64_t mmu_set_kernel_page_attr(uint64_t vaddr, uint64_t attrs)
{
    if (!in_l3_range(vaddr))
        return ERR_PAGE_BAD_VADDR;
    set_l3(PT_KERNEL_SET, vaddr, attrs);
    dsb_ishst();
    __asm__ volatile("tlbi vae1is, %0" :: "r"(vaddr >> 12 & 0xFFFFFFFFFFFULL) : "memory"); /* ASID 0 */
    dsb_ish();
    isb();
    return 0;
}

uint64_t mmu_map_device_for_task(uint64_t device_id, unsigned task)
{
    if (device_id > MAX_DEVICE_ID)
        return ERR_DEVICE_BAD_ID;
    if (task >= NUM_TASKS)
        return ERR_DEVICE_BAD_TASK;
    pt(task, PT_L2_DEVICE)[UART_L2_INDEX] = ((uint64_t)UART_L2_INDEX * L2_BLOCK_SIZE) | DEVICE_BLOCK_EL0 | DESC_NG;
    mmu_tlbi_task(task);
    uart_print("[AegisOS] DEVICE MAP: UART0 -> task ");
    uart_print_hex(task);
    uart_print("\n");
    return 0;
}

/* Deviation 12: once a task runs an ELF image of its own, the kernel-carried EL0 code it started on (the idle
 * placeholder) is no longer its to run or read. */
void mmu_revoke_user_text(unsigned task)
{
    for (uint64_t p = SYM(__user_text_start); p < SYM(__user_text_end); p += 4096)
        set_l3(task, p, KERNEL_RO_PAGE);
    mmu_tlbi_task(task);
}
