/* Exception dispatch (REFERENCE §3). */
#ifndef AEGIS_EXCEPTION_H
#define AEGIS_EXCEPTION_H
#include "aegis/types.h"
void exception_init(void);
void exception_dispatch_sync(struct trap_frame *frame, uint64_t source);
void exception_dispatch_irq(struct trap_frame *frame);
void exception_dispatch_serror(struct trap_frame *frame);
void handle_svc(struct trap_frame *frame);
#endif
