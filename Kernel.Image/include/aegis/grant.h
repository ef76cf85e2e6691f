/* Shared-memory grants (REFERENCE §7.3). */
#ifndef AEGIS_GRANT_H
#define AEGIS_GRANT_H
#include "aegis/types.h"

struct grant {
    uint8_t owner;  /* NO_TASK when never created */
    uint8_t peer;   /* NO_TASK when none */
    bool active;
};

/* Defined in src/grant.c; declared here (not static) so that the contracts of the task-exit cleanup, which runs
 * grant_cleanup_task through task_exit.h, can name what it assigns (docs/PROOFS.md), as endpoints in ipc.h. */
extern struct grant grants[MAX_GRANTS];

uint64_t grant_create(uint64_t id, unsigned owner, uint64_t peer);
uint64_t grant_revoke(uint64_t id, unsigned caller);
void grant_cleanup_task(unsigned task);
uint64_t grant_page_addr(unsigned id);
#endif
