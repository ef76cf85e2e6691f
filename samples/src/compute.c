// compute: a compute-bound integer kernel for the MIPS benchmark. CRC-32 (bitwise, reflected
// polynomial 0xEDB88320) over a generated buffer, a sieve of Eratosthenes, an integer matrix
// multiply and an xorshift-driven insertion sort; prints each result and a combined checksum.
// About 60 million instructions at -O2 (several times more at -O0).
#include "rt.h"

#ifndef ROUNDS
#define ROUNDS 4
#endif

#define BUF_SIZE 16384
#define SIEVE_N 200000
#define MAT_N 48
#define SORT_N 1024

static uint8_t buffer[BUF_SIZE];
static uint8_t composite[SIEVE_N + 1];
static int32_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N], mc[MAT_N][MAT_N];
static uint32_t sortbuf[SORT_N];

static uint32_t xorshift32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static uint32_t crc32(const uint8_t *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
    }
    return ~crc;
}

static uint32_t sieve(uint32_t n)
{
    for (uint32_t i = 0; i <= n; i++) composite[i] = 0;
    uint32_t count = 0;
    for (uint32_t i = 2; i <= n; i++) {
        if (composite[i]) continue;
        count++;
        for (uint64_t j = (uint64_t)i * i; j <= n; j += i) composite[j] = 1;
    }
    return count;
}

static uint32_t matmul(uint32_t seed)
{
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            ma[i][j] = (int32_t)(xorshift32(&seed) % 201) - 100;
            mb[i][j] = (int32_t)(xorshift32(&seed) % 201) - 100;
        }
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            int32_t s = 0;
            for (int k = 0; k < MAT_N; k++) s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    uint32_t h = 0;
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) h = h * 31 + (uint32_t)mc[i][j];
    return h;
}

static uint32_t sort(uint32_t seed)
{
    for (int i = 0; i < SORT_N; i++) sortbuf[i] = xorshift32(&seed);
    for (int i = 1; i < SORT_N; i++) {
        uint32_t v = sortbuf[i];
        int j = i - 1;
        while (j >= 0 && sortbuf[j] > v) { sortbuf[j + 1] = sortbuf[j]; j--; }
        sortbuf[j + 1] = v;
    }
    uint32_t h = 0;
    for (int i = 0; i < SORT_N; i++) {
        if (i && sortbuf[i - 1] > sortbuf[i]) return 0;
        h = (h ^ sortbuf[i]) * 16777619u;
    }
    return h;
}

int main(void)
{
    uart_puts("compute: crc32 + sieve + matmul + sort\n");
    uint32_t seed = 0x12345678, checksum = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < BUF_SIZE; i++) buffer[i] = (uint8_t)xorshift32(&seed);
        uint32_t c = crc32(buffer, BUF_SIZE, 0);
        uint32_t p = sieve(SIEVE_N - r * 1000);
        uint32_t m = matmul(seed + r);
        uint32_t s = sort(seed ^ (uint32_t)r);
        printf("round %d: crc32=%08x primes=%u matmul=%08x sort=%08x\n", r, c, p, m, s);
        checksum = (checksum << 5 | checksum >> 27) ^ c ^ p ^ m ^ s;
    }
    // crc32("123456789") is the standard check value 0xCBF43926
    uint32_t check = crc32((const uint8_t *)"123456789", 9, 0);
    printf("crc32 check value %08x (%s)\n", check, check == 0xCBF43926u ? "ok" : "WRONG");
    printf("checksum %08x\n", checksum);
    return check == 0xCBF43926u ? 0 : 1;
}
