/* Freestanding basic types and the TrapFrame (REFERENCE §3.2). */
#ifndef AEGIS_TYPES_H
#define AEGIS_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "aegis/abi.h"

/* Saved CPU context of an exception; layout is ABI, shared with vectors.S. */
struct trap_frame {
    uint64_t x[31];    /* 0..240 */
    uint64_t sp_el0;   /* 248 */
    uint64_t elr_el1;  /* 256 */
    uint64_t spsr_el1; /* 264 */
    uint64_t pad[2];   /* 272, 280: always 0 */
};

_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "TrapFrame is 288 bytes");
_Static_assert(offsetof(struct trap_frame, sp_el0) == TF_SP_EL0, "sp_el0 offset");
_Static_assert(offsetof(struct trap_frame, elr_el1) == TF_ELR_EL1, "elr offset");
_Static_assert(offsetof(struct trap_frame, spsr_el1) == TF_SPSR_EL1, "spsr offset");

#endif
