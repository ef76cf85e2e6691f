/* kernel_main: the boot lines of REFERENCE §10, in order, then EL0 bootstrap. */
#include "aegis/arch.h"
#include "aegis/bundle.h"
#include "aegis/elf.h"
#include "aegis/exception.h"
#include "aegis/gic.h"
#include "aegis/linker.h"
#include "aegis/mmu.h"
#include "aegis/panic.h"
#include "aegis/platform.h"
#include "aegis/sched.h"
#include "aegis/task_table.h"
#include "aegis/timer.h"
#include "aegis/uart.h"
#include "aegis/user_tasks.h"

void kernel_main(void);

static void say(const char *line)
{
    uart_print("[AegisOS] ");
    uart_print(line);
    uart_print("\n");
}

static void apply_task_meta(void)
{
    for (unsigned i = 0; i < NUM_TASKS; i++) {
        struct tcb *t = &tcbs[i];
        t->caps = task_meta[i].caps;
        t->priority = t->base_priority = task_meta[i].priority;
        t->time_budget = task_meta[i].time_budget;
        t->heartbeat_interval = task_meta[i].heartbeat_interval;
        t->ttbr0 = mmu_task_ttbr0(i); /* every task, Inactive ones too: ASID i+1 */
    }
}

/* Phase O: user images come from the boot bundle (src/bundle.c), never from the kernel's bytes.
 * Only the SCENARIO=elf test build still embeds its test images (src/user_elfs.c). */
#ifdef AEGIS_SCENARIO_ELF
static unsigned load_embedded_elfs(void)
{
    unsigned tasks = 0;
    for (unsigned i = 0; i < user_elf_count; i++) {
        const struct user_elf *u = &user_elfs[i];
        uint64_t entry = 0;
        const char *err = load_elf_to_task(u->task, u->slot, u->data, (size_t)(u->end - u->data), &entry);
        if (err) {
            uart_print("!!! ELF load failed for ");
            uart_print(u->name);
            uart_print(": ");
            uart_print(err);
            uart_print("\n");
            continue;
        }
        tasks |= 1u << u->task;
        uart_print("[AegisOS] task ");
        uart_print_dec(u->task);
        uart_print(" (");
        uart_print(u->name);
        uart_print(") loaded from ELF (entry=0x");
        uart_print_hex(entry);
        uart_print(")\n");
    }
    return tasks;
}
#endif

static void load_user_elfs(void)
{
#ifdef AEGIS_SCENARIO_ELF
    unsigned loaded = load_embedded_elfs();
#else
    unsigned loaded = bundle_load_all();
#endif
    say("multi-ELF loading complete");
    /* An ELF task whose image is missing or refused does not run the idle placeholder at its
     * own priority (upstream does): it stays Inactive, never scheduled (docs/PHASE-O-DECISIONS.md). */
    for (unsigned t = ELF_FIRST_TASK_ID; t < IDLE_TASK_ID; t++)
        if (!(loaded & (1u << t)) && tcbs[t].entry_point == (uint64_t)(uintptr_t)idle_entry && tcbs[t].state == TASK_READY)
            tcbs[t].state = TASK_INACTIVE;
}

/* Facts the rest of the kernel relies on; a mismatch is a build defect. */
static void safety_audit(void)
{
    KASSERT(SYM(__elf_load_start) == ELF_LOAD_BASE);
    KASSERT(SYM(__stack_guard) == 0x40118000UL);
    KASSERT(SYM(__stack_end) == 0x4011D000UL);
    KASSERT(SYM(__kernel_end) == 0x4011D000UL);
    KASSERT((SYM(__exception_vectors) & 0x7FF) == 0);
    KASSERT(SYM(__page_tables_end) - SYM(__page_tables_start) == PT_PAGES * 4096);
    KASSERT(tcbs[IDLE_TASK_ID].caps == CAP_YIELD && tcbs[IDLE_TASK_ID].priority == 0);
    for (unsigned i = 0; i < NUM_TASKS; i++)
        KASSERT(tcbs[i].ttbr0 >> 48 == i + 1);
}

void kernel_main(void)
{
    uart_print("\n");
    say("boot");
    say("MMU enabled (identity map)");
    say("W^X enforced (WXN + 4KB pages)");

    exception_init();
    say("exceptions ready");

    gic_init();
    sched_init(task_boot_entries);
    apply_task_meta();

    say("capabilities assigned");
    say("priority scheduler configured");
    say("time budget enforcement enabled");
    say("watchdog heartbeat enabled");
    say("notification system ready");
    say("grant system ready");
    say("IRQ routing ready");
    say("device MMIO mapping ready");
    say("per-task address spaces assigned");
    say("arch separation: module tree ready");
    say("arch separation: complete");
    say("ELF64 parser ready");
    say("ELF loader ready");

    load_user_elfs();

    timer_init(TICK_MS);
    /* EL0 may read the virtual count CNTVCT_EL0 (and CNTFRQ_EL0), nothing else of the timer: the demo tasks report
     * every 0.5 s of guest time (issue 13). The physical count and every timer register stay EL1-only.
     * Why, and what it opens: docs/PHASE-O-DECISIONS.md Q9. */
    write_sysreg(cntkctl_el1, CNTKCTL_EL0VCTEN);
    isb();
    uart_print("[AegisOS] timer started (10ms, freq=");
    uart_print_dec(timer_freq_hz() / 1000000);
    uart_print("MHz)\n");

    say("enhanced panic handler ready");
    say("klog ready");
    safety_audit();
    say("safety audit complete");
    say("bootstrapping into uart_driver (EL0)...");

    sched_bootstrap();
}
