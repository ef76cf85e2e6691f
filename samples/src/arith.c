// arith: integer arithmetic in 32- and 64-bit forms. Division edge cases go through inline
// SDIV/UDIV because C leaves them undefined while A64 defines them: x / 0 = 0 and
// INT_MIN / -1 = INT_MIN (no trap). Also multiply-high, multiply-add, overflow/carry flags.
#include "rt.h"

#define INT32_MIN_ (-2147483647 - 1)
#define INT64_MIN_ (-9223372036854775807LL - 1)

static int32_t sdiv32(int32_t a, int32_t b) { int32_t r; __asm__("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint32_t udiv32(uint32_t a, uint32_t b) { uint32_t r; __asm__("udiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static int64_t sdiv64(int64_t a, int64_t b) { int64_t r; __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static uint64_t udiv64(uint64_t a, uint64_t b) { uint64_t r; __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }

// Values the optimiser cannot see through.
static volatile int64_t v64[] = { 0, 1, -1, 7, -7, 3, -3, 1000000007, INT64_MIN_, 0x7FFFFFFFFFFFFFFFLL, 0x123456789ABCDEFLL, -0x0FEDCBA987654321LL };
static volatile int32_t v32[] = { 0, 1, -1, 7, -7, 3, -3, 1000000007, INT32_MIN_, 0x7FFFFFFF, 0x12345678, -0x0FEDCBA9 };
#define NV (int)(sizeof v64 / sizeof v64[0])

static uint64_t hash = 1469598103934665603ULL;
static void mix(uint64_t v) { hash = (hash ^ v) * 1099511628211ULL; }

int main(void)
{
    uart_puts("arith: division edge cases\n");
    printf("sdiv32 INT_MIN/-1 = %d\n", sdiv32(v32[8], v32[2]));
    printf("sdiv32 7/0 = %d, udiv32 7/0 = %u\n", sdiv32(v32[3], v32[0]), udiv32((uint32_t)v32[3], (uint32_t)v32[0]));
    printf("sdiv64 INT64_MIN/-1 = %ld\n", sdiv64(v64[8], v64[2]));
    printf("sdiv64 -7/0 = %ld, udiv64 -1/0 = %lu\n", sdiv64(v64[4], v64[0]), udiv64((uint64_t)v64[2], (uint64_t)v64[0]));
    printf("sdiv32 -7/3 = %d, -7/-3 = %d, 7/-3 = %d\n", sdiv32(-7, v32[5]), sdiv32(-7, v32[6]), sdiv32(7, v32[6]));
    printf("udiv32 0xFFFFFFFF/3 = %u, udiv64 max/7 = %lu\n", udiv32(0xFFFFFFFFu, (uint32_t)v32[5]), udiv64(~0ULL, (uint64_t)v64[3]));

    uart_puts("arith: table of + - * / % over 32 and 64 bits\n");
    for (int i = 0; i < NV; i++)
        for (int j = 0; j < NV; j++) {
            int64_t a = v64[i], b = v64[j];
            int32_t c = v32[i], d = v32[j];
            mix((uint64_t)a + (uint64_t)b); mix((uint64_t)a - (uint64_t)b); mix((uint64_t)a * (uint64_t)b);
            mix((uint32_t)c + (uint32_t)d); mix((uint32_t)c - (uint32_t)d); mix((uint32_t)c * (uint32_t)d);
            mix((uint64_t)sdiv64(a, b)); mix(udiv64((uint64_t)a, (uint64_t)b));
            mix((uint32_t)sdiv32(c, d)); mix(udiv32((uint32_t)c, (uint32_t)d));
            if (b != 0 && !(a == INT64_MIN_ && b == -1)) mix((uint64_t)(a % b));
            if (d != 0 && !(c == INT32_MIN_ && d == -1)) mix((uint32_t)(c % d));
            if (b != 0) mix((uint64_t)a % (uint64_t)b);
            if (d != 0) mix((uint32_t)c % (uint32_t)d);
            // multiply high (SMULH / UMULH) and widening multiplies (SMULL / UMULL)
            mix((uint64_t)(((__int128)a * b) >> 64));
            mix((uint64_t)(((unsigned __int128)(uint64_t)a * (uint64_t)b) >> 64));
            mix((uint64_t)((int64_t)c * d));
            mix((uint64_t)(uint32_t)c * (uint32_t)d);
            // overflow and carry (the flags of ADDS/SUBS/ADCS)
            int64_t r64; int32_t r32; uint64_t u64; uint32_t u32;
            mix(__builtin_add_overflow(a, b, &r64) * 2 + __builtin_sub_overflow(a, b, &r64));
            mix(__builtin_add_overflow(c, d, &r32) * 2 + __builtin_sub_overflow(c, d, &r32));
            mix(__builtin_add_overflow((uint64_t)a, (uint64_t)b, &u64) * 2 + __builtin_sub_overflow((uint64_t)a, (uint64_t)b, &u64));
            mix(__builtin_add_overflow((uint32_t)c, (uint32_t)d, &u32) * 2 + __builtin_sub_overflow((uint32_t)c, (uint32_t)d, &u32));
            // comparisons (conditions on flags from CMP)
            mix((a < b) | (a <= b) << 1 | (a > b) << 2 | ((uint64_t)a < (uint64_t)b) << 3 | ((uint64_t)a >= (uint64_t)b) << 4);
            mix((c < d) | (c <= d) << 1 | (c > d) << 2 | ((uint32_t)c < (uint32_t)d) << 3 | ((uint32_t)c >= (uint32_t)d) << 4);
            // shifts by register (amount taken modulo the width, as LSLV/LSRV/ASRV/RORV do)
            unsigned s = (unsigned)b & 63, t = (unsigned)d & 31;
            mix((uint64_t)a << s); mix((uint64_t)a >> s); mix((uint64_t)(a >> s));
            mix((uint32_t)c << t); mix((uint32_t)c >> t); mix((uint32_t)(c >> t));
            mix(((uint64_t)a >> s) | ((uint64_t)a << ((64 - s) & 63)));
        }
    printf("table hash %016lx\n", hash);

    uart_puts("arith: multiply-add and sign/zero extension\n");
    uint64_t acc = 0;   // unsigned: wrap-around is defined in C and is what MADD/MSUB compute
    for (int i = 0; i < NV; i++) {
        acc = acc * 3 + (uint64_t)v64[i] * (uint64_t)v64[NV - 1 - i];    // MADD
        acc -= (uint64_t)v64[i] * 5;                                      // MSUB
        mix((uint64_t)(int64_t)(int8_t)v64[i]);      // SXTB
        mix((uint64_t)(int64_t)(int16_t)v64[i]);     // SXTH
        mix((uint64_t)(int64_t)(int32_t)v64[i]);     // SXTW
        mix((uint64_t)(uint8_t)v64[i] + (uint64_t)(uint16_t)v64[i] + (uint64_t)(uint32_t)v64[i]);
    }
    printf("madd acc %ld, hash %016lx\n", (int64_t)acc, hash);

    // 64-bit long division by repeated subtraction vs UDIV
    uint64_t n = 0xFEDCBA9876543210ULL, q = 0, r = 0;
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= 1000003) { r -= 1000003; q |= 1ULL << i; }
    }
    printf("long division %lu r %lu, udiv %lu\n", q, r, udiv64(n, 1000003));
    return q == udiv64(n, 1000003) && r == n - q * 1000003 ? 0 : 1;
}
