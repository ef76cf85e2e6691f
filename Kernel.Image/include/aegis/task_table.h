/* Static task table (REFERENCE §4.6). */
#ifndef AEGIS_TASK_TABLE_H
#define AEGIS_TASK_TABLE_H
#include <stdint.h>
#include "aegis/abi.h"

struct task_meta {
    uint64_t caps;
    uint8_t priority;
    uint64_t time_budget;
    uint64_t heartbeat_interval;
    uint8_t grants;     /* ours (deviation 11): bit g = this task owns grant id g, and only it may create it */
};

#define GRANT_ID(g) (1u << (g))

extern const struct task_meta task_meta[NUM_TASKS];
extern const uint64_t task_boot_entries[NUM_TASKS];

/* User ELF images embedded in the kernel (phase O). */
struct user_elf {
    unsigned task;
    unsigned slot;
    const char *name;
    const uint8_t *data;
    const uint8_t *end;  /* one past the last byte (both are link-time symbols of an .incbin) */
};
extern const struct user_elf user_elfs[];
extern const unsigned user_elf_count;
#endif
