/* Symbols defined by linker.ld (REFERENCE §1.2). Only their addresses are used. */
#ifndef AEGIS_LINKER_H
#define AEGIS_LINKER_H

extern char __text_start[], __text_end[];
extern char __user_text_start[], __user_text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[];
extern char __bss_start[], __bss_end[];
#ifdef __FRAMAC__
/* Proof build: sized, so that contracts can name the bank (linker.ld reserves 36 pages, PT_PAGES in mmu.h). */
extern char __page_tables_start[36 * 4096], __page_tables_end[];
#else
extern char __page_tables_start[], __page_tables_end[];
#endif
extern char __task_stacks_start[], __task_stacks_end[];
extern char __user_stacks_start[], __user_stacks_end[];
extern char __grant_pages_start[], __grant_pages_end[];
extern char __elf_load_start[], __elf_load_end[];
extern char __stack_guard[];
extern char __stack_start[], __stack_end[];
extern char __kernel_end[];
extern char __exception_vectors[];

#define SYM(s) ((uint64_t)(uintptr_t)(s))

#endif
