/* Exception dispatch (REFERENCE §3). */
#ifndef AEGIS_EXCEPTION_H
#define AEGIS_EXCEPTION_H
#include "aegis/types.h"
void exception_init(void);
void exception_dispatch_sync(struct trap_frame *frame, uint64_t source);
void exception_dispatch_irq(struct trap_frame *frame);
void exception_dispatch_serror(struct trap_frame *frame);
void handle_svc(struct trap_frame *frame);
/* uaccess.S: copy len bytes from user_src with the current task's EL0 rights; 0, or 1 if a byte faulted. */
uint64_t copy_from_user(void *dst, uint64_t user_src, uint64_t len);
extern char uaccess_load[], uaccess_fault[];
#endif
