/* Boot bundle loader (docs/BOOT-BUNDLE.md). The bundle is read with EL1 rights from the RAM
 * block at BUNDLE_ADDR (mapped RAM_BLOCK: EL1 RW, no EL0 access, in every table). Each entry is
 * checked before its ELF reaches load_elf_to_task: a bad entry is refused with its own line and
 * the other entries still load. */
#include "aegis/abi.h"
#include "aegis/bundle.h"
#include "aegis/elf.h"
#include "aegis/platform.h"
#include "aegis/uart.h"

static uint32_t rd32(const volatile uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const volatile uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static void bundle_error(const char *why)
{
    uart_print("!!! boot bundle at 0x");
    uart_print_hex(BUNDLE_ADDR);
    uart_print(" rejected: ");
    uart_print(why);
    uart_print(" (no user ELF loaded)\n");
}

static void entry_error(unsigned i, const char *why)
{
    uart_print("!!! boot bundle entry ");
    uart_print_dec(i);
    uart_print(" rejected: ");
    uart_print(why);
    uart_print("\n");
}

/* FNV-1a, 32 bits. */
static uint32_t fnv1a(const volatile uint8_t *p, uint32_t n)
{
    uint32_t h = 0x811C9DC5u;
    for (uint32_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x01000193u;
    }
    return h;
}

static const char *check_header(const volatile uint8_t *b, unsigned *count, uint32_t *total)
{
    if (rd32(b) != BUNDLE_MAGIC)
        return "bad magic";
    if (rd16(b + 4) != BUNDLE_VERSION)
        return "unsupported version";
    *count = rd16(b + 6);
    *total = rd32(b + 8);
    if (*count > MAX_ELF_TASKS)
        return "too many entries";
    if (*total > BUNDLE_MAX_SIZE || *total < BUNDLE_HEADER_SIZE + *count * BUNDLE_ENTRY_SIZE)
        return "bad total size";
    if (fnv1a(b + BUNDLE_HEADER_SIZE, *total - BUNDLE_HEADER_SIZE) != rd32(b + 12))
        return "checksum mismatch";
    return 0;
}

/* Entry checks: a valid slot, an ELF task (2..6, never 0/1 nor the idle task 7) matching its
 * slot, a NUL-terminated name, an image inside the bundle and no larger than its slot, and no
 * slot or task loaded twice. On success *name points at the entry's name. */
static const char *check_entry(const volatile uint8_t *e, uint32_t total, unsigned loaded_slots, const char **name)
{
    unsigned slot = e[0], task = e[1];
    uint32_t off = rd32(e + 4), size = rd32(e + 8);
    *name = (const char *)(uintptr_t)(e + 16);
    if (slot >= MAX_ELF_TASKS)
        return "slot >= MAX_ELF_TASKS";
    if (task != ELF_FIRST_TASK_ID + slot || task >= IDLE_TASK_ID)
        return "task does not match slot (task = slot + 2, never idle)";
    if (rd16(e + 2) != 0 || rd32(e + 12) != 0)
        return "reserved fields not zero";
    if (e[16] == 0 || e[16 + BUNDLE_NAME_SIZE - 1] != 0)
        return "bad name";
    if (off < BUNDLE_HEADER_SIZE || off > total || size > total - off)
        return "image outside the bundle";
    if (size > ELF_LOAD_SIZE_PER_TASK)
        return "image larger than its 16 KiB slot";
    if (loaded_slots & (1u << slot))
        return "slot already used";
    return 0;
}

unsigned bundle_load_all(void)
{
    unsigned tasks = 0;
    const volatile uint8_t *b = (const volatile uint8_t *)BUNDLE_ADDR;
    unsigned count = 0, loaded = 0, used = 0;
    uint32_t total = 0;
    const char *err = check_header(b, &count, &total);
    if (err) {
        bundle_error(err);
        count = 0;
    }
    for (unsigned i = 0; i < count; i++) {
        const volatile uint8_t *e = b + BUNDLE_HEADER_SIZE + i * BUNDLE_ENTRY_SIZE;
        const char *name;
        err = check_entry(e, total, used, &name);
        if (err) {
            entry_error(i, err);
            continue;
        }
        unsigned slot = e[0], task = e[1];
        used |= 1u << slot;
        uint64_t entry = 0;
        err = load_elf_to_task(task, slot, (const uint8_t *)(uintptr_t)(b + rd32(e + 4)), rd32(e + 8), &entry);
        if (err) {
            uart_print("!!! ELF load failed for ");
            uart_print(name);
            uart_print(": ");
            uart_print(err);
            uart_print(" (");
            uart_print(elf_error_name(elf_last_error));
            uart_print(")\n");
            continue;
        }
        uart_print("[AegisOS] task ");
        uart_print_dec(task);
        uart_print(" (");
        uart_print(name);
        uart_print(") loaded from ELF (entry=0x");
        uart_print_hex(entry);
        uart_print(")\n");
        loaded++;
        tasks |= 1u << task;
    }
    (void)loaded;
    return tasks;
}
