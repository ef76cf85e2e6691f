// recursion: Ackermann, naive Fibonacci, quicksort, Towers of Hanoi, mutual recursion and a
// recursive-descent expression evaluator: deep call chains, stack frames, callee-saved registers.
#include "rt.h"

static uint64_t ack(uint64_t m, uint64_t n)
{
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static uint64_t fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static void quicksort(int32_t *a, int lo, int hi)
{
    if (lo >= hi) return;
    int32_t p = a[(lo + hi) / 2];
    int i = lo, j = hi;
    while (i <= j) {
        while (a[i] < p) i++;
        while (a[j] > p) j--;
        if (i <= j) { int32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    quicksort(a, lo, j);
    quicksort(a, i, hi);
}

static unsigned moves;
static uint64_t hanoi_trace;
static void hanoi(int n, int from, int to, int via)
{
    if (n == 0) return;
    hanoi(n - 1, from, via, to);
    moves++;
    hanoi_trace = hanoi_trace * 3 + (uint64_t)(from * 3 + to);
    hanoi(n - 1, via, to, from);
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

// expr := term (('+'|'-') term)* ; term := factor (('*'|'/') factor)* ; factor := num | '(' expr ')' | '-' factor
static const char *cur;
static int64_t expr(void);
static int64_t factor(void)
{
    if (*cur == '(') { cur++; int64_t v = expr(); cur++; return v; }
    if (*cur == '-') { cur++; return -factor(); }
    int64_t v = 0;
    while (*cur >= '0' && *cur <= '9') v = v * 10 + (*cur++ - '0');
    return v;
}
static int64_t term(void)
{
    int64_t v = factor();
    while (*cur == '*' || *cur == '/') {
        char op = *cur++;
        int64_t r = factor();
        v = op == '*' ? v * r : (r ? v / r : 0);
    }
    return v;
}
static int64_t expr(void)
{
    int64_t v = term();
    while (*cur == '+' || *cur == '-') {
        char op = *cur++;
        int64_t r = term();
        v = op == '+' ? v + r : v - r;
    }
    return v;
}

static int32_t data[300];

int main(void)
{
    int bad = 0;
    for (uint64_t m = 0; m <= 3; m++)
        for (uint64_t n = 0; n <= 4; n++) printf("ack(%lu,%lu)=%lu%c", m, n, ack(m, n), n == 4 ? '\n' : ' ');
    bad += ack(3, 4) != 125;
    for (unsigned n = 0; n <= 24; n += 4) printf("fib(%u)=%lu ", n, fib(n));
    uart_puts("\n");
    bad += fib(24) != 46368;

    uint32_t seed = 2463534242u;
    for (int i = 0; i < 300; i++) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; data[i] = (int32_t)seed >> 8; }
    quicksort(data, 0, 299);
    int sorted = 1;
    for (int i = 1; i < 300; i++) if (data[i - 1] > data[i]) sorted = 0;
    printf("quicksort: sorted=%d min=%d median=%d max=%d\n", sorted, data[0], data[150], data[299]);
    bad += !sorted;

    hanoi(10, 0, 2, 1);
    printf("hanoi(10): %u moves, trace %016lx\n", moves, hanoi_trace);
    bad += moves != 1023;
    printf("is_even(1001)=%d is_odd(777)=%d\n", is_even(1001), is_odd(777));

    static const char *const exprs[] = { "1+2*3", "(1+2)*3", "-(4-10)*(3+-2)/2", "((((7))))*6-2", "100/7*7+100-100/7*7", "2*2*2*2*2*2*2*2*2*2-1" };
    for (unsigned i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        cur = exprs[i];
        printf("%s = %ld\n", exprs[i], expr());
    }
    return bad;
}
