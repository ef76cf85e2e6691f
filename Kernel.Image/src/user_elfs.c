/* Embedded user ELF images (phase O: hello -> task 2/slot 0, sensor -> 3/1,
 * logger -> 4/2). None yet: the UserImages stage adds them here, e.g. with
 * .incbin in a .S file and one row per image. Until then tasks 2-4 run idle_entry. */
#include "aegis/task_table.h"

#ifdef AEGIS_SCENARIO_ELF
/* Test build only (tests/scenario_elf_images.S): a stand-in hello for task 2 / slot 0,
 * an image with a W+X segment for task 3 / slot 1 and one with a bad magic for task 4 /
 * slot 2; the last two must be refused, leaving those tasks on idle_entry. */
extern const uint8_t scenario_hello_elf[], scenario_hello_elf_end[];
extern const uint8_t scenario_wx_elf[], scenario_wx_elf_end[];
extern const uint8_t scenario_bad_elf[], scenario_bad_elf_end[];
const struct user_elf user_elfs[3] = {
    { 2, 0, "hello", scenario_hello_elf, scenario_hello_elf_end },
    { 3, 1, "wx", scenario_wx_elf, scenario_wx_elf_end },
    { 4, 2, "badmagic", scenario_bad_elf, scenario_bad_elf_end },
};
const unsigned user_elf_count = 3;
#else
const struct user_elf user_elfs[1] = { { 0, 0, 0, 0, 0 } };
const unsigned user_elf_count = 0;
#endif
