/* Embedded user ELF images (phase O: hello -> task 2/slot 0, sensor -> 3/1,
 * logger -> 4/2). None yet: the UserImages stage adds them here, e.g. with
 * .incbin in a .S file and one row per image. Until then tasks 2-4 run idle_entry. */
#include "aegis/task_table.h"

const struct user_elf user_elfs[1] = { { 0, 0, 0, 0, 0 } };
const unsigned user_elf_count = 0;
