/* ELF64 parser and validating loader (REFERENCE §8; deviation 5 for the caches).
 * The parser reads byte by byte: the embedded images have no alignment guarantee. */
#include <stdbool.h>
#include "aegis/elf.h"
#include "aegis/abi.h"
#include "aegis/arch.h"
#include "aegis/mmu.h"
#include "aegis/platform.h"
#include "aegis/sched.h"

#ifdef __FRAMAC__
/* Proof vocabulary. */
#define ELF_SEGS_IN_FILE(out, size) ((out)->num_segments <= ELF_MAX_SEGMENTS && \
    (\forall integer k_; 0 <= k_ < (out)->num_segments ==> \
        (out)->segments[k_].offset <= (size) && (out)->segments[k_].filesz <= (size) - (out)->segments[k_].offset))
#define ELF_SEG_INSIDE(s, base, size) ((base) <= (s)->vaddr && (s)->vaddr + (s)->memsz <= (base) + (size) && \
    (s)->filesz <= (s)->memsz && !(((s)->flags & PF_W) && ((s)->flags & PF_X)))
#define ELF_VALID(info, base, size) ((info)->num_segments >= 1 && (base) <= (info)->entry < (base) + (size) && \
    (\forall integer k_; 0 <= k_ < (info)->num_segments ==> ELF_SEG_INSIDE(&(info)->segments[k_], base, size)))
#endif

/* P16 (REF §11 #12), on the production macro ELF_LOAD_ADDR: each of the 6 slots lies in the ELF region
 * [ELF_LOAD_BASE, ELF_LOAD_BASE + 96 KiB) and two slots never overlap. */
/*@ lemma elf_slot_in_region: \forall integer s; 0 <= s < MAX_ELF_TASKS ==>
        ELF_LOAD_BASE <= ELF_LOAD_ADDR(s) &&
        ELF_LOAD_ADDR(s) + ELF_LOAD_SIZE_PER_TASK <= ELF_LOAD_BASE + MAX_ELF_TASKS * ELF_LOAD_SIZE_PER_TASK;
    lemma elf_slots_disjoint: \forall integer a, b; 0 <= a < b < MAX_ELF_TASKS ==>
        ELF_LOAD_ADDR(a) + ELF_LOAD_SIZE_PER_TASK <= ELF_LOAD_ADDR(b); */

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define ET_EXEC 2
#define EM_AARCH64 183

/*@ requires n <= 8 && \valid_read(p + (0 .. n - 1));
    assigns \nothing; */
static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    /*@ loop invariant 0 <= i <= n; loop assigns i, v; loop variant n - i; */
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* The parser reads only inside [d, d + size); an image it accepts has at most 4 segments, each of whose file bytes
 * lie inside it. */
/*@ requires \valid_read(d + (0 .. size - 1)) && \valid(out) && \separated(d + (0 .. size - 1), out);
    assigns *out;
    ensures \result == ELF_OK ==> ELF_SEGS_IN_FILE(out, size); */
enum elf_error elf_parse(const uint8_t *d, size_t size, struct elf_info *out)
{
    if (size < EHDR_SIZE)
        return ELF_TOO_SMALL;
    if (d[0] != 0x7F || d[1] != 'E' || d[2] != 'L' || d[3] != 'F')
        return ELF_BAD_MAGIC;
    if (d[4] != 2)
        return ELF_NOT_64BIT;
    if (d[5] != 1)
        return ELF_NOT_LITTLE_ENDIAN;
    if (rd(d + 16, 2) != ET_EXEC)
        return ELF_NOT_EXECUTABLE;
    if (rd(d + 18, 2) != EM_AARCH64)
        return ELF_WRONG_ARCH;

    uint64_t entry = rd(d + 24, 8), phoff = rd(d + 32, 8);
    uint64_t phentsize = rd(d + 54, 2), phnum = rd(d + 56, 2);
    uint64_t table = phnum * phentsize; /* both 16-bit: no overflow */
    if (phoff > size || table > size - phoff)
        return ELF_PROGRAM_HEADER_OUT_OF_BOUNDS;

    out->entry = entry;
    out->num_segments = 0;
    /*@ loop invariant 0 <= i <= phnum && ELF_SEGS_IN_FILE(out, size);
        loop assigns i, out->num_segments, out->segments[0 .. ELF_MAX_SEGMENTS - 1];
        loop variant phnum - i; */
    for (uint64_t i = 0; i < phnum; i++) {
        uint64_t off = phoff + i * phentsize;
        if (off > size || PHDR_SIZE > size - off)
            return ELF_PROGRAM_HEADER_OUT_OF_BOUNDS;
        const uint8_t *ph = d + off;
        if (rd(ph, 4) != PT_LOAD)
            continue;
        if (out->num_segments >= ELF_MAX_SEGMENTS)
            return ELF_TOO_MANY_SEGMENTS;
        struct elf_segment *s = &out->segments[out->num_segments];
        s->flags = (uint32_t)rd(ph + 4, 4);
        s->offset = rd(ph + 8, 8);
        s->vaddr = rd(ph + 16, 8);
        s->filesz = rd(ph + 32, 8);
        s->memsz = rd(ph + 40, 8);
        if (s->offset > size || s->filesz > size - s->offset)
            return ELF_SEGMENT_OUT_OF_BOUNDS;
        out->num_segments++;
    }
    return ELF_OK;
}

/* P16 (with the slot lemmas): an image that validates has its entry point and every segment inside [base,
 * base + size), filesz <= memsz, and no segment both writable and executable (W^X). */
/*@ requires \valid_read(info) && info->num_segments <= ELF_MAX_SEGMENTS && base + size <= UINT64_MAX;
    assigns \nothing;
    ensures \result == ELF_OK ==> ELF_VALID(info, base, size); */
enum elf_error elf_validate(const struct elf_info *info, uint64_t base, uint64_t size)
{
    if (info->num_segments == 0)
        return ELF_NO_SEGMENTS;
    if (info->entry < base || info->entry >= base + size)
        return ELF_VADDR_OUT_OF_RANGE;
    /*@ loop invariant 0 <= i <= info->num_segments;
        loop invariant \forall integer k; 0 <= k < i ==> ELF_SEG_INSIDE(&info->segments[k], base, size);
        loop assigns i;
        loop variant info->num_segments - i; */
    for (unsigned i = 0; i < info->num_segments; i++) {
        const struct elf_segment *s = &info->segments[i];
        if ((s->flags & PF_W) && (s->flags & PF_X))
            return ELF_WX_VIOLATION;
        if (s->vaddr < base)
            return ELF_VADDR_OUT_OF_RANGE;
        /* memsz >= filesz is ours: otherwise the copy would run past memsz. */
        if (s->memsz < s->filesz || s->memsz > size || s->vaddr - base > size - s->memsz)
            return ELF_SEGMENT_TOO_LARGE;
    }
    return ELF_OK;
}

/* Validate, copy filesz bytes to vaddr, zero up to memsz, sync the caches for the
 * bytes written. The rest of the slot is left as it is (upstream). */
/*@ requires \valid_read(info) && info->num_segments <= ELF_MAX_SEGMENTS && base + size <= UINT64_MAX;
    requires \forall integer i; 0 <= i < info->num_segments ==>
        \valid_read(data + (info->segments[i].offset .. info->segments[i].offset + info->segments[i].filesz - 1));
    assigns \nothing;
    ensures \result == ELF_OK ==> ELF_VALID(info, base, size); */
enum elf_error elf_load_segments(const uint8_t *data, const struct elf_info *info, uint64_t base, uint64_t size)
{
    enum elf_error e = elf_validate(info, base, size);
    if (e != ELF_OK)
        return e;
    /*@ loop invariant 0 <= i <= info->num_segments; loop assigns i; loop variant info->num_segments - i; */
    for (unsigned i = 0; i < info->num_segments; i++) {
        const struct elf_segment *s = &info->segments[i];
        /*@ assert in_slot: base <= s->vaddr && s->vaddr + s->memsz <= base + size && s->filesz <= s->memsz; */
        phys_copy(s->vaddr, data + s->offset, s->filesz); /* identity map: the segment's bytes in the slot */
        phys_zero(s->vaddr, s->filesz, s->memsz);
        cache_sync_code(s->vaddr, s->memsz);
    }
    return ELF_OK;
}

/*@ assigns \nothing; */
const char *elf_error_name(enum elf_error e)
{
    static const char *const names[] = {
        "Ok", "TooSmall", "BadMagic", "Not64Bit", "NotLittleEndian", "NotExecutable", "WrongArch",
        "TooManySegments", "SegmentOutOfBounds", "ProgramHeaderOutOfBounds", "NoSegments",
        "WxViolation", "VaddrOutOfRange", "SegmentTooLarge",
    };
    return (unsigned)e < sizeof names / sizeof names[0] ? names[e] : "Unknown";
}

enum elf_error elf_last_error;

/* Deviation 6 (W^X in every address space): the slot is written through the kernel set only.
 * Before the copy, the slot is made writable there and EL1 read-only in every task's table, so
 * a slot belongs to one task at a time and nothing of an earlier image stays executable; after
 * it, the owner gets its segments and the kernel set keeps the code pages read-only, so no
 * table maps loaded code writable. Boot only: the kernel set (ASID 0) is the live TTBR0. */
/*@ requires base <= ELF_LOAD_BASE + MAX_ELF_TASKS * ELF_LOAD_SIZE_PER_TASK;
    assigns __page_tables_start[0 .. PT_PAGES * 4096 - 1]; */
static void open_slot(uint64_t base)
{
    /*@ loop invariant base <= p <= base + ELF_LOAD_SIZE_PER_TASK + 4096;
        loop assigns p, __page_tables_start[0 .. PT_PAGES * 4096 - 1];
        loop variant base + ELF_LOAD_SIZE_PER_TASK - p; */
    for (uint64_t p = base; p < base + ELF_LOAD_SIZE_PER_TASK; p += 4096) {
        /*@ loop invariant 0 <= t <= NUM_TASKS; loop assigns t, __page_tables_start[0 .. PT_PAGES * 4096 - 1];
            loop variant NUM_TASKS - t; */
        for (unsigned t = 0; t < NUM_TASKS; t++)
            mmu_set_page_attr(t, p, KERNEL_RO_PAGE);
        mmu_set_kernel_page_attr(p, KERNEL_DATA_PAGE);
    }
}

/* Termination of the page loop is not proved (it needs the bit arithmetic of the page rounding). */
/*@ requires \valid_read(info) && info->num_segments <= ELF_MAX_SEGMENTS;
    assigns __page_tables_start[0 .. PT_PAGES * 4096 - 1]; */
static void map_segments(unsigned task, const struct elf_info *info)
{
    /*@ loop invariant 0 <= i <= info->num_segments; loop assigns i, __page_tables_start[0 .. PT_PAGES * 4096 - 1];
        loop variant info->num_segments - i; */
    for (unsigned i = 0; i < info->num_segments; i++) {
        const struct elf_segment *s = &info->segments[i];
        bool code = (s->flags & PF_X) != 0;
        uint64_t attrs = code ? USER_CODE_PAGE : (s->flags & PF_W) ? USER_DATA_PAGE : KERNEL_RODATA_PAGE;
        uint64_t end = (s->vaddr + s->memsz + 0xFFF) & ~0xFFFULL;
        /*@ loop assigns p, __page_tables_start[0 .. PT_PAGES * 4096 - 1]; */
        for (uint64_t p = s->vaddr & ~0xFFFULL; p < end; p += 4096) {
            mmu_set_page_attr(task, p, attrs);
            if (code)
                mmu_set_kernel_page_attr(p, KERNEL_RO_PAGE);
        }
    }
}

/* P16: a load that succeeds had a valid slot and task, and its entry point lies inside that task's slot. */
/*@ requires \valid_read(data + (0 .. size - 1)) && \valid(entry);
    requires \separated(entry, &tcbs[0 .. NUM_TASKS - 1], &elf_last_error);
    ensures \result == \null ==> slot < MAX_ELF_TASKS && task < NUM_TASKS &&
        ELF_LOAD_ADDR(slot) <= *entry < ELF_LOAD_ADDR(slot) + ELF_LOAD_SIZE_PER_TASK; */
const char *load_elf_to_task(unsigned task, unsigned slot, const uint8_t *data, size_t size, uint64_t *entry)
{
    elf_last_error = ELF_OK;
    if (slot >= MAX_ELF_TASKS)
        return "slot >= MAX_ELF_TASKS";
    if (task >= NUM_TASKS)
        return "task_id >= NUM_TASKS";
    struct elf_info info;
    if ((elf_last_error = elf_parse(data, size, &info)) != ELF_OK)
        return "ELF parse failed";
    uint64_t base = ELF_LOAD_ADDR(slot);
    if ((elf_last_error = elf_validate(&info, base, ELF_LOAD_SIZE_PER_TASK)) != ELF_OK)
        return "ELF load failed"; /* before open_slot: a refused image changes no mapping */
    open_slot(base);
    if ((elf_last_error = elf_load_segments(data, &info, base, ELF_LOAD_SIZE_PER_TASK)) != ELF_OK)
        return "ELF load failed";
    map_segments(task, &info);
    mmu_revoke_user_text(task);
    tcbs[task].entry_point = info.entry;
    tcbs[task].context.elr_el1 = info.entry;
    *entry = info.entry;
    return 0;
}
