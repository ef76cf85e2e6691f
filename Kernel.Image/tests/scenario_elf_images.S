/* SCENARIO=elf: the embedded test ELF images, each with the upstream 16 KiB size check.
 * build.sh writes scenario_elf_paths.h into its build directory: the images are built there. */
#include "scenario_elf_paths.h"
.macro EMBED name, file
    .balign 8
    .global scenario_\name\()_elf, scenario_\name\()_elf_end
scenario_\name\()_elf:
    .incbin "\file"
scenario_\name\()_elf_end:
    .if (scenario_\name\()_elf_end - scenario_\name\()_elf) > 16384
    .error "ELF image larger than its 16 KiB slot"
    .endif
.endm

    .section .rodata
    EMBED hello, HELLO_ELF_PATH
    EMBED wx, WX_ELF_PATH
    /* A 64-byte header whose magic is wrong: "ELF parse failed". */
    .balign 8
    .global scenario_bad_elf, scenario_bad_elf_end
scenario_bad_elf:
    .byte 0x7F, 'E', 'L', 'G', 2, 1, 1, 0
    .space 56
scenario_bad_elf_end:
