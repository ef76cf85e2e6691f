/* Exception dispatch by ESR_EL1.EC (REFERENCE §3.3, §3.4). Faults from EL0 fault
 * the task; anything unexpected at EL1 prints a diagnosis and halts. */
#include "aegis/exception.h"
#include "aegis/arch.h"
#include "aegis/gic.h"
#include "aegis/irq.h"
#include "aegis/linker.h"
#include "aegis/platform.h"
#include "aegis/sched.h"
#include "aegis/timer.h"
#include "aegis/uart.h"

#define SOURCE_LOWER 2

void exception_init(void)
{
    write_sysreg(vbar_el1, SYM(__exception_vectors));
    isb();
}

static void print_fault_class(uint64_t fsc)
{
    static const char *const kinds[4] = { 0, " (Translation fault L", " (Access flag fault L", " (Permission fault L" };
    uint64_t kind = (fsc >> 2) & 0xF;
    if (kind >= 1 && kind <= 3) {
        uart_print(kinds[kind]);
        uart_print_hex(fsc & 3);
        uart_print(")");
    } else {
        uart_print(" (other)");
    }
}

__attribute__((noreturn)) static void kernel_fault_tail(const struct trap_frame *frame, uint64_t esr, uint64_t far, uint64_t source)
{
    uart_print("\n  ESR:  0x");
    uart_print_hex(esr);
    uart_print("\n  FAR:  0x");
    uart_print_hex(far);
    uart_print("\n  ELR:  0x");
    uart_print_hex(frame->elr_el1);
    uart_print("\n  src:  ");
    uart_print_hex(source);
    uart_print("\n  HALTED.\n");
    halt_forever();
}

static void handle_abort(struct trap_frame *frame, uint64_t esr, uint64_t source, bool data)
{
    uint64_t far = read_sysreg(far_el1);
    uint64_t ec = esr >> 26 & 0x3F, fsc = esr & 0x3F;
    bool lower = data ? ec == 0x24 : ec == 0x20;

    uart_print(data ? "\n!!! DATA ABORT !!!" : "\n!!! INSTRUCTION ABORT !!!");
    uart_print(lower ? " [EL0 task]\n" : " [KERNEL]\n  Source: same EL\n");
    uart_print(data ? "  DFSC: 0x" : "  IFSC: 0x");
    uart_print_hex(fsc);
    print_fault_class(fsc);
    if (data)
        uart_print((esr >> 6) & 1 ? "\n  Access: WRITE" : "\n  Access: READ");
    if (!lower)
        kernel_fault_tail(frame, esr, far, source);
    uart_print("\n  FAR:  0x");
    uart_print_hex(far);
    uart_print("\n  ELR:  0x");
    uart_print_hex(frame->elr_el1);
    uart_print("\n");
    fault_current_task(frame);
}

static void handle_fp_trap(struct trap_frame *frame, uint64_t esr, uint64_t source)
{
    uart_print("\n!!! FP/SIMD TRAP !!!");
    if (source == SOURCE_LOWER) {
        uart_print(" [EL0 task]\n  Task attempted FP/SIMD instruction.\n  ESR: 0x");
        uart_print_hex(esr);
        uart_print("\n");
        fault_current_task(frame);
        return;
    }
    uart_print(" [KERNEL]\n  Kernel code attempted FP instruction.\n  ESR: 0x");
    uart_print_hex(esr);
    uart_print("\n  HALTED.\n");
    halt_forever();
}

static void handle_unknown(struct trap_frame *frame, uint64_t esr, uint64_t ec, uint64_t source)
{
    uart_print("\n!!! UNHANDLED EXCEPTION !!!");
    uart_print(source == SOURCE_LOWER ? " [EL0 task]\n" : " [KERNEL]\n");
    uart_print("  EC:   0x");
    uart_print_hex(ec);
    uart_print("\n  ESR:  0x");
    uart_print_hex(esr);
    uart_print("\n  ELR:  0x");
    uart_print_hex(frame->elr_el1);
    if (source != SOURCE_LOWER) {
        uart_print("\n  src:  ");
        uart_print_hex(source);
        uart_print("\n  HALTED.\n");
        halt_forever();
    }
    uart_print("\n");
    fault_current_task(frame);
}

/* Deviation 7: a data abort of copy_from_user's unprivileged load is the syscall's bad pointer: the copy returns 1
 * and the kernel goes on. Only that one instruction is covered, so any other kernel fault still halts. */
static bool uaccess_fixup(struct trap_frame *frame)
{
    if (frame->elr_el1 != SYM(uaccess_load))
        return false;
    frame->elr_el1 = SYM(uaccess_fault);
    return true;
}

void exception_dispatch_sync(struct trap_frame *frame, uint64_t source)
{
    uint64_t esr = read_sysreg(esr_el1);
    uint64_t ec = (esr >> 26) & 0x3F;
    switch (ec) {
    case 0x15: handle_svc(frame); break;
    case 0x20: case 0x21: handle_abort(frame, esr, source, false); break;
    case 0x25: if (!uaccess_fixup(frame)) handle_abort(frame, esr, source, true); break;
    case 0x24: handle_abort(frame, esr, source, true); break;
    case 0x07: handle_fp_trap(frame, esr, source); break;
    default: handle_unknown(frame, esr, ec, source); break;
    }
}

void exception_dispatch_irq(struct trap_frame *frame)
{
    uint32_t intid = gic_acknowledge();
    if (intid == INTID_SPURIOUS)
        return;
    if (intid == TIMER_INTID)
        timer_tick_handler(frame);
    else
        irq_route(intid, frame);
    gic_end_interrupt(intid);
}

void exception_dispatch_serror(struct trap_frame *frame)
{
    (void)frame;
    uart_print("\n!!! SERROR (fatal) !!!\n");
}
