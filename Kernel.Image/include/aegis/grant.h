/* Shared-memory grants (REFERENCE §7.3). */
#ifndef AEGIS_GRANT_H
#define AEGIS_GRANT_H
#include <stdint.h>
uint64_t grant_create(uint64_t id, unsigned owner, uint64_t peer);
uint64_t grant_revoke(uint64_t id, unsigned caller);
void grant_cleanup_task(unsigned task);
uint64_t grant_page_addr(unsigned id);
#endif
