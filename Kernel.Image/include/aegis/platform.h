/* QEMU virt platform constants (REFERENCE §1.1). */
#ifndef AEGIS_PLATFORM_H
#define AEGIS_PLATFORM_H

#define GICD_BASE        0x08000000UL
#define GICC_BASE        0x08010000UL
#define UART0_BASE       0x09000000UL
#define UART0_INTID      33
#define RAM_BASE         0x40000000UL
#define RAM_END          0x48000000UL /* 128 MiB mapped */
#define KERNEL_BASE      0x40080000UL
#define TIMER_INTID      30           /* EL1 physical timer, PPI 14 */
#define TICK_MS          10

#define ELF_LOAD_BASE          0x40100000UL
#define ELF_LOAD_SIZE_PER_TASK 0x4000UL
#define MAX_ELF_TASKS          6
#define ELF_FIRST_TASK_ID      2
#define ELF_LOAD_ADDR(slot)    (ELF_LOAD_BASE + (unsigned long)(slot) * ELF_LOAD_SIZE_PER_TASK)

#endif
