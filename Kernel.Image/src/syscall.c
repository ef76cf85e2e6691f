/* SVC: capability check, then the syscall table (REFERENCE §5). */
#include "aegis/exception.h"
#include "aegis/cap.h"
#include "aegis/grant.h"
#include "aegis/ipc.h"
#include "aegis/irq.h"
#include "aegis/mmu.h"
#include "aegis/platform.h"
#include "aegis/sched.h"
#include "aegis/uart.h"

/* Upstream's range check: [buf, buf+len) inside mapped RAM, 1 <= len <= 256. */
static bool validate_write_args(uint64_t buf, uint64_t len)
{
    if (len == 0 || len > SYS_WRITE_MAX)
        return false;
    uint64_t end = buf + len;
    return buf >= RAM_BASE && end <= RAM_END && end >= buf;
}

/* Deviation 7: the buffer is copied with the caller's EL0 rights (uaccess.S) before a byte is printed, so a task
 * prints only memory it could read itself, and a bad pointer is its error code, never a kernel fault. */
static void handle_write(struct trap_frame *frame)
{
    uint64_t buf = frame->x[0], len = frame->x[1];
    uint8_t copy[SYS_WRITE_MAX];
    if (!validate_write_args(buf, len) || copy_from_user(copy, buf, len) != 0) {
        if (len > 0)
            uart_print("!!! SYS_WRITE: bad pointer !!!\n");
        frame->x[0] = ERR_WRITE_BAD_POINTER;
        return;
    }
    for (uint64_t i = 0; i < len; i++)
        uart_putc((char)copy[i]);
}

static void handle_notify(struct trap_frame *frame)
{
    uint64_t target = frame->x[6], bits = frame->x[0];
    if (target >= NUM_TASKS) {
        uart_print("!!! SYS_NOTIFY: invalid target\n");
        frame->x[0] = ERR_NOTIFY_BAD_TARGET;
        return;
    }
    if (bits == 0)
        return;
    struct tcb *t = &tcbs[target];
    if (t->state == TASK_EXITED)
        return; /* an Exited task keeps no notification state (sched.c sys_exit) */
    t->notify_pending |= bits;
    if (t->notify_waiting) {
        t->notify_waiting = false;
        t->context.x[0] = t->notify_pending;
        t->notify_pending = 0;
        t->state = TASK_READY;
    }
}

static void handle_wait_notify(struct trap_frame *frame)
{
    unsigned cur = current_task;
    if (tcbs[cur].notify_pending != 0) {
        frame->x[0] = tcbs[cur].notify_pending;
        tcbs[cur].notify_pending = 0;
        return;
    }
    sched_save_frame(cur, frame);
    tcbs[cur].notify_waiting = true;
    tcbs[cur].state = TASK_BLOCKED;
    schedule(frame);
}

void handle_svc(struct trap_frame *frame)
{
    uint64_t nr = frame->x[7], ep = frame->x[6];
    unsigned cur = current_task;
    uint64_t required = cap_for_syscall(nr, ep);

    if (!cap_check(tcbs[cur].caps, required)) {
        uart_print("!!! CAP DENIED: task ");
        uart_print_hex(cur);
        uart_print(" syscall #");
        uart_print_hex(nr);
        uart_print(" needs ");
        uart_print(cap_name(required));
        uart_print(" \xE2\x80\x94 faulting\n");
        fault_current_task(frame);
        return;
    }

    switch (nr) {
    case SYS_YIELD:        schedule(frame); break;
    case SYS_SEND:         sys_send(frame, ep); break;
    case SYS_RECV:         sys_recv(frame, ep); break;
    case SYS_CALL:         sys_call(frame, ep); break;
    case SYS_WRITE:        handle_write(frame); break;
    case SYS_NOTIFY:       handle_notify(frame); break;
    case SYS_WAIT_NOTIFY:  handle_wait_notify(frame); break;
    case SYS_GRANT_CREATE: frame->x[0] = grant_create(frame->x[0], cur, ep); break;
    case SYS_GRANT_REVOKE: frame->x[0] = grant_revoke(frame->x[0], cur); break;
    case SYS_IRQ_BIND:     frame->x[0] = irq_bind((uint32_t)frame->x[0], cur, frame->x[1]); break;
    case SYS_IRQ_ACK:      frame->x[0] = irq_ack((uint32_t)frame->x[0], cur); break;
    case SYS_DEVICE_MAP:   frame->x[0] = mmu_map_device_for_task(frame->x[0], cur); break;
    case SYS_HEARTBEAT:    record_heartbeat(cur, frame->x[0]); frame->x[0] = 0; break;
    case SYS_EXIT:         sys_exit(frame, frame->x[0]); break;
    default:
        uart_print("!!! unknown syscall #");
        uart_print_hex(nr);
        uart_print(" \xE2\x80\x94 faulting task\n");
        fault_current_task(frame);
        break;
    }
}
