/* Kernel panic (REFERENCE §13.1). */
#ifndef AEGIS_PANIC_H
#define AEGIS_PANIC_H
__attribute__((noreturn)) void kernel_panic(const char *file, unsigned line, const char *msg);
#define KPANIC(msg) kernel_panic(__FILE__, __LINE__, (msg))
#define KASSERT(cond) do { if (!(cond)) KPANIC("assertion failed: " #cond); } while (0)
#endif
