// hello: the bundled demo. Prints a banner, where it runs, a few computed lines, exits 0.
#include "rt.h"

int main(void)
{
    uart_puts("Hello from Aegis.Emu guest land!\n");
    printf("entered at EL%d, running at EL%d\n", rt_entry_el, current_el());
    printf("MIDR_EL1 = 0x%08lx\n", read_sysreg(midr_el1));
    uint64_t sum = 0;
    for (int i = 1; i <= 10; i++) sum += (uint64_t)i * i;
    printf("sum of squares 1..10 = %lu\n", sum);
    const char *words[] = { "one", "two", "three" };
    for (int i = 0; i < 3; i++) printf("  line %d: %s\n", i + 1, words[i]);
    uart_puts("goodbye\n");
    return 0;
}
