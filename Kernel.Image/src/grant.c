/* Shared-memory grants: 2 pages in .grant_pages (REFERENCE §7.3). */
#include "aegis/grant.h"
#include "aegis/abi.h"
#include "aegis/arch.h"
#include "aegis/linker.h"
#include "aegis/mmu.h"
#include "aegis/sched.h"
#include "aegis/task_table.h"
#include "aegis/uart.h"

struct grant grants[MAX_GRANTS] = { { NO_TASK, NO_TASK, false }, { NO_TASK, NO_TASK, false } };

#ifdef __FRAMAC__
/* Proof vocabulary: an active grant names two tasks. */
#define GRANTS_OK (\forall integer g; 0 <= g < MAX_GRANTS && grants[g].active ==> \
    TASK_ID(grants[g].owner) && TASK_ID(grants[g].peer))
#endif

/*@ assigns \nothing; */
uint64_t grant_page_addr(unsigned id)
{
    return SYM(__grant_pages_start) + (uint64_t)id * GRANT_PAGE_SIZE;
}

/* Deviation 11: a grant id belongs to the owner the task table assigns it to (task_meta.grants); no other task
 * can take it, so no task can squat an id before its owner creates it. A new grant starts as a zero page, so nothing
 * a former sharer left there reaches the new peer. */
/* P11 (REF §11 #13): a successful create makes an inactive slot active with the given owner and peer; P12 (REF §11
 * #15, slot exhaustion): a create on an active slot returns ERR_GRANT_ACTIVE and changes nothing. */
/*@ requires TASK_ID(owner) && GRANTS_OK;
    assigns grants[0 .. MAX_GRANTS - 1], __page_tables_start[0 .. PT_PAGES * 4096 - 1];
    ensures GRANTS_OK;
    behavior bad_id:
      assumes id >= MAX_GRANTS;
      assigns \nothing;
      ensures \result == ERR_GRANT_BAD_ID;
    behavior exhausted:
      assumes id < MAX_GRANTS && (task_meta[owner].grants & GRANT_ID(id)) && grants[id].active;
      assigns \nothing;
      ensures \result == ERR_GRANT_ACTIVE;
    behavior created:
      assumes id < MAX_GRANTS && (task_meta[owner].grants & GRANT_ID(id)) && !grants[id].active &&
          peer < NUM_TASKS && peer != owner;
      assigns grants[id], __page_tables_start[0 .. PT_PAGES * 4096 - 1];
      ensures \result == 0 && grants[id].active && grants[id].owner == owner && grants[id].peer == peer; */
uint64_t grant_create(uint64_t id, unsigned owner, uint64_t peer)
{
    if (id >= MAX_GRANTS)
        return ERR_GRANT_BAD_ID;
    if (!(task_meta[owner].grants & GRANT_ID(id)))
        return ERR_GRANT_NOT_OWNER;
    if (grants[id].active)
        return ERR_GRANT_ACTIVE;
    if (peer >= NUM_TASKS)
        return ERR_GRANT_BAD_PEER;
    if (owner == peer)
        return ERR_GRANT_SELF;
    uint64_t page = grant_page_addr((unsigned)id);
    phys_zero_page(page);
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

/* Deviation 11: revoke takes the page from both sides; upstream left it mapped in the owner. Each unmap is followed by
 * the TLB invalidation for that task's ASID (mmu_set_page_attr), so no stale translation keeps the page reachable. */
/*@ requires TASK_ID(caller) && GRANTS_OK;
    assigns grants[0 .. MAX_GRANTS - 1], __page_tables_start[0 .. PT_PAGES * 4096 - 1];
    ensures GRANTS_OK;
    ensures \result == 0 && id < MAX_GRANTS && \old(grants[id].active) ==> !grants[id].active && \old(grants[id].owner) == caller; */
uint64_t grant_revoke(uint64_t id, unsigned caller)
{
    if (id >= MAX_GRANTS)
        return ERR_GRANT_BAD_ID;
    if (!grants[id].active)
        return 0; /* before the owner check, as upstream */
    if (grants[id].owner != caller)
        return ERR_GRANT_NOT_OWNER;
    uint64_t page = grant_page_addr((unsigned)id);
    mmu_set_page_attr(grants[id].peer, page, KERNEL_DATA_PAGE);
    mmu_set_page_attr(caller, page, KERNEL_DATA_PAGE);
    grants[id].active = false;
    grants[id].peer = NO_TASK;
    uart_print("[AegisOS] GRANT REVOKED: grant ");
    uart_print_hex(id);
    uart_print("\n");
    return 0;
}

/* The owner's cleanup unmaps both sides and empties the slot; a peer's cleanup unmaps the peer only and leaves the
 * owner its page (upstream's documented asymmetry). That page never reaches another task: only its owner may create
 * the id again (deviation 11), and a new grant starts zeroed. */
/* P10 (REF §11 #14): afterwards no active grant names the task, and a slot it owned is inactive with no owner. */
/*@ requires TASK_ID(task);
    assigns grants[0 .. MAX_GRANTS - 1], __page_tables_start[0 .. PT_PAGES * 4096 - 1];
    ensures \old(GRANTS_OK) ==> GRANTS_OK;
    ensures \forall integer g; 0 <= g < MAX_GRANTS && grants[g].active ==> grants[g].owner != task && grants[g].peer != task;
    ensures \forall integer g; 0 <= g < MAX_GRANTS && \old(grants[g].active) && \old(grants[g].owner) == task ==>
        !grants[g].active && grants[g].owner == NO_TASK; */
void grant_cleanup_task(unsigned task)
{
    /*@ loop invariant 0 <= g <= MAX_GRANTS && (\at(GRANTS_OK, Pre) ==> GRANTS_OK);
        loop invariant \forall integer k; 0 <= k < g && grants[k].active ==> grants[k].owner != task && grants[k].peer != task;
        loop invariant \forall integer k; 0 <= k < g && \at(grants[k].active, Pre) && \at(grants[k].owner, Pre) == task ==>
            !grants[k].active && grants[k].owner == NO_TASK;
        loop invariant \forall integer k; g <= k < MAX_GRANTS ==> grants[k] == \at(grants[k], Pre);
        loop assigns g, grants[0 .. MAX_GRANTS - 1], __page_tables_start[0 .. PT_PAGES * 4096 - 1];
        loop variant MAX_GRANTS - g; */
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
