/* The boot bundle: user ELF images placed in RAM by the loader (QEMU -device loader, Aegis.Emu
 * boot), not compiled into the kernel. Format: docs/BOOT-BUNDLE.md (C# twin: BootBundle.cs). */
#ifndef AEGIS_BUNDLE_H
#define AEGIS_BUNDLE_H
#include <stdint.h>

#define BUNDLE_ADDR        0x42000000UL /* outside every kernel section; EL1-only RAM block */
#define BUNDLE_MAGIC       0x4E424741U  /* bytes 'A' 'G' 'B' 'N' */
#define BUNDLE_VERSION     1
#define BUNDLE_HEADER_SIZE 16
#define BUNDLE_ENTRY_SIZE  32
#define BUNDLE_NAME_SIZE   16
#define BUNDLE_MAX_SIZE    (128u * 1024u)

/* Loads every valid entry of the bundle at BUNDLE_ADDR into its task / slot, printing one line
 * per entry (loaded, or why not). Returns the set of tasks loaded (bit n = task n). */
unsigned bundle_load_all(void);
#endif
