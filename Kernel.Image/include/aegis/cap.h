/* Capability checks (REFERENCE §5, §6). */
#ifndef AEGIS_CAP_H
#define AEGIS_CAP_H
#include <stdint.h>
#include <stdbool.h>
uint64_t cap_for_syscall(uint64_t nr, uint64_t ep);
bool cap_check(uint64_t caps, uint64_t required);
const char *cap_name(uint64_t cap);
#endif
