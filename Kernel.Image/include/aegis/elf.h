/* ELF64 parser and validating loader (REFERENCE §8). */
#ifndef AEGIS_ELF_H
#define AEGIS_ELF_H
#include <stdint.h>
#include <stddef.h>

#define ELF_MAX_SEGMENTS 4
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

enum elf_error {
    ELF_OK = 0,
    ELF_TOO_SMALL, ELF_BAD_MAGIC, ELF_NOT_64BIT, ELF_NOT_LITTLE_ENDIAN, ELF_NOT_EXECUTABLE,
    ELF_WRONG_ARCH, ELF_TOO_MANY_SEGMENTS, ELF_SEGMENT_OUT_OF_BOUNDS, ELF_PROGRAM_HEADER_OUT_OF_BOUNDS,
    /* load-time */
    ELF_NO_SEGMENTS, ELF_WX_VIOLATION, ELF_VADDR_OUT_OF_RANGE, ELF_SEGMENT_TOO_LARGE,
};

struct elf_segment { uint64_t vaddr, offset, filesz, memsz; uint32_t flags; };
struct elf_info {
    uint64_t entry;
    unsigned num_segments;
    struct elf_segment segments[ELF_MAX_SEGMENTS];
};

enum elf_error elf_parse(const uint8_t *data, size_t size, struct elf_info *out);
enum elf_error elf_validate(const struct elf_info *info, uint64_t base, uint64_t size);
enum elf_error elf_load_segments(const uint8_t *data, const struct elf_info *info, uint64_t base, uint64_t size);
const char *elf_error_name(enum elf_error e);
/* Returns 0 and sets *entry, or a message ("slot >= MAX_ELF_TASKS", ...). */
/* The parse / load error of the last load_elf_to_task call (ELF_OK after a success). */
extern enum elf_error elf_last_error;
const char *load_elf_to_task(unsigned task, unsigned slot, const uint8_t *data, size_t size, uint64_t *entry);
#endif
