/* Shared-memory grants: 2 pages in .grant_pages (REFERENCE §7.3). */
#include "aegis/grant.h"
#include "aegis/abi.h"
#include "aegis/linker.h"
#include "aegis/mmu.h"
#include "aegis/sched.h"
#include "aegis/uart.h"

struct grant {
    uint8_t owner;  /* NO_TASK when never created */
    uint8_t peer;   /* NO_TASK when none */
    bool active;
};

static struct grant grants[MAX_GRANTS] = { { NO_TASK, NO_TASK, false }, { NO_TASK, NO_TASK, false } };

uint64_t grant_page_addr(unsigned id)
{
    return SYM(__grant_pages_start) + (uint64_t)id * GRANT_PAGE_SIZE;
}

uint64_t grant_create(uint64_t id, unsigned owner, uint64_t peer)
{
    if (id >= MAX_GRANTS)
        return ERR_GRANT_BAD_ID;
    if (grants[id].active)
        return ERR_GRANT_ACTIVE;
    if (peer >= NUM_TASKS)
        return ERR_GRANT_BAD_PEER;
    if (owner == peer)
        return ERR_GRANT_SELF;
    uint64_t page = grant_page_addr((unsigned)id);
    mmu_set_page_attr(owner, page, USER_DATA_PAGE);
    mmu_set_page_attr((unsigned)peer, page, USER_DATA_PAGE);
    grants[id].owner = (uint8_t)owner;
    grants[id].peer = (uint8_t)peer;
    grants[id].active = true;
    uart_print("[AegisOS] GRANT: task ");
    uart_print_hex(owner);
    uart_print(" -> task ");
    uart_print_hex(peer);
    uart_print(" (grant ");
    uart_print_hex(id);
    uart_print(")\n");
    return 0;
}

uint64_t grant_revoke(uint64_t id, unsigned caller)
{
    if (id >= MAX_GRANTS)
        return ERR_GRANT_BAD_ID;
    if (!grants[id].active)
        return 0; /* before the owner check, as upstream */
    if (grants[id].owner != caller)
        return ERR_GRANT_NOT_OWNER;
    mmu_set_page_attr(grants[id].peer, grant_page_addr((unsigned)id), KERNEL_DATA_PAGE); /* only the peer */
    grants[id].active = false;
    grants[id].peer = NO_TASK;
    uart_print("[AegisOS] GRANT REVOKED: grant ");
    uart_print_hex(id);
    uart_print("\n");
    return 0;
}

/* The owner's cleanup unmaps both sides and empties the slot; a peer's cleanup
 * unmaps the peer only and keeps the owner (upstream's documented asymmetry). */
void grant_cleanup_task(unsigned task)
{
    for (unsigned g = 0; g < MAX_GRANTS; g++) {
        struct grant *gr = &grants[g];
        if (!gr->active)
            continue;
        uint64_t page = grant_page_addr(g);
        if (gr->owner == task) {
            mmu_set_page_attr(gr->peer, page, KERNEL_DATA_PAGE);
            mmu_set_page_attr(gr->owner, page, KERNEL_DATA_PAGE);
            gr->owner = NO_TASK;
            gr->peer = NO_TASK;
            gr->active = false;
        } else if (gr->peer == task) {
            mmu_set_page_attr(task, page, KERNEL_DATA_PAGE);
            gr->peer = NO_TASK;
            gr->active = false;
        }
    }
}
