// coverage: the program `--coverage` is checked against (Tests/Tracing/CoverageTests). classify() is called with
// 0..9 only, so its first test is never true: one conditional branch seen one way, and the line under it never runs.
#include "rt.h"

__attribute__((noinline)) static int classify(int x)
{
    if (x > 100)
        return 2;
    return 1;
}

int main(void)
{
    int sum = 0;
    for (int i = 0; i < 10; i++)
        sum += classify(i);
    printf("sum %d\n", sum);
    return sum == 10 ? 0 : 1;
}
