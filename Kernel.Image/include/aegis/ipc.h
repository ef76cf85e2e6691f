/* Synchronous IPC on 4 endpoints (REFERENCE §7.1). */
#ifndef AEGIS_IPC_H
#define AEGIS_IPC_H
#include "aegis/types.h"
void sys_send(struct trap_frame *frame, uint64_t ep);
void sys_recv(struct trap_frame *frame, uint64_t ep);
void sys_call(struct trap_frame *frame, uint64_t ep);
void ipc_cleanup_task(unsigned task);
#endif
