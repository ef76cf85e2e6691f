// memops: memcpy / memset / memmove / memcmp / strlen at every source and destination alignment
// 0..7 and lengths 0..67, checked against byte-at-a-time references, plus word-at-a-time versions
// that use unaligned LDR/STR/LDP/STP (inline assembly). Unaligned accesses are only legal on Normal
// memory, so this program turns the MMU on first (with the MMU off every data access is Device
// memory; the compiler is kept from emitting unaligned accesses anywhere by -mstrict-align).
#include "rt.h"
#include "mmu.h"

static uint8_t src_buf[256] __attribute__((aligned(16)));
static uint8_t dst_buf[256] __attribute__((aligned(16)));
static uint8_t ref_buf[256] __attribute__((aligned(16)));

static uint64_t ld64(const void *p) { uint64_t v; __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(p) : "memory"); return v; }
static void st64(void *p, uint64_t v) { __asm__ volatile("str %0, [%1]" :: "r"(v), "r"(p) : "memory"); }

// word-at-a-time copy with unaligned 8-byte loads and stores, then the tail
static void *fast_memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d; const uint8_t *sp = s;
    while (n >= 16) {
        uint64_t a, b;
        __asm__ volatile("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(sp) : "memory");
        __asm__ volatile("stp %0, %1, [%2]" :: "r"(a), "r"(b), "r"(dp) : "memory");
        dp += 16; sp += 16; n -= 16;
    }
    if (n >= 8) { st64(dp, ld64(sp)); dp += 8; sp += 8; n -= 8; }
    while (n--) *dp++ = *sp++;
    return d;
}

static void *fast_memset(void *d, int c, size_t n)
{
    uint8_t *dp = d;
    uint64_t w = 0x0101010101010101ULL * (uint8_t)c;
    while (n >= 8) { st64(dp, w); dp += 8; n -= 8; }
    while (n--) *dp++ = (uint8_t)c;
    return d;
}

static size_t fast_strlen(const char *s)
{
    // 8 bytes at a time with the "has zero byte" trick; the loads may be unaligned but never
    // cross the end of the buffer (which is padded)
    const char *p = s;
    for (;;) {
        uint64_t v = ld64(p);
        if ((v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL) break;
        p += 8;
    }
    while (*p) p++;
    return (size_t)(p - s);
}

static void fill(uint8_t *b, uint32_t seed)
{
    for (int i = 0; i < 256; i++) { seed = seed * 1103515245u + 12345u; b[i] = (uint8_t)(seed >> 16); }
}

static uint64_t hash;
static void mix_buf(const uint8_t *b) { for (int i = 0; i < 256; i++) hash = (hash ^ b[i]) * 0x100000001B3ULL; }

int main(void)
{
    int bad = 0;
    printf("memops: MMU on for unaligned Normal-memory accesses\n");
    mmu_on();
    hash = 0xCBF29CE484222325ULL;

    for (int sa = 0; sa < 8; sa++)
        for (int da = 0; da < 8; da++)
            for (int n = 0; n < 68; n += 3) {
                fill(src_buf, (uint32_t)(sa * 64 + da * 8 + n));
                fill(dst_buf, 7); fill(ref_buf, 7);
                for (int i = 0; i < n; i++) ref_buf[32 + da + i] = src_buf[sa + i];
                memcpy(dst_buf + 32 + da, src_buf + sa, (size_t)n);
                if (memcmp(dst_buf, ref_buf, 256)) { bad++; printf("memcpy sa=%d da=%d n=%d wrong\n", sa, da, n); }
                fill(dst_buf, 7);
                fast_memcpy(dst_buf + 32 + da, src_buf + sa, (size_t)n);
                if (memcmp(dst_buf, ref_buf, 256)) { bad++; printf("fast_memcpy sa=%d da=%d n=%d wrong\n", sa, da, n); }
                mix_buf(dst_buf);
            }
    printf("memcpy: %d mismatches, hash %016lx\n", bad, hash);

    for (int da = 0; da < 8; da++)
        for (int n = 0; n < 68; n += 5) {
            fill(dst_buf, 9); fill(ref_buf, 9);
            for (int i = 0; i < n; i++) ref_buf[16 + da + i] = (uint8_t)(0xA5 + n);
            memset(dst_buf + 16 + da, 0xA5 + n, (size_t)n);
            if (memcmp(dst_buf, ref_buf, 256)) { bad++; printf("memset da=%d n=%d wrong\n", da, n); }
            fill(dst_buf, 9);
            fast_memset(dst_buf + 16 + da, 0xA5 + n, (size_t)n);
            if (memcmp(dst_buf, ref_buf, 256)) { bad++; printf("fast_memset da=%d n=%d wrong\n", da, n); }
            mix_buf(dst_buf);
        }
    printf("memset: %d mismatches, hash %016lx\n", bad, hash);

    // overlapping moves in both directions
    for (int off = -9; off <= 9; off++)
        for (int n = 0; n < 60; n += 7) {
            fill(dst_buf, (uint32_t)(off * 100 + n));
            for (int i = 0; i < 256; i++) ref_buf[i] = dst_buf[i];
            uint8_t tmp[64];
            for (int i = 0; i < n; i++) tmp[i] = ref_buf[100 + i];
            for (int i = 0; i < n; i++) ref_buf[100 + off + i] = tmp[i];
            memmove(dst_buf + 100 + off, dst_buf + 100, (size_t)n);
            if (memcmp(dst_buf, ref_buf, 256)) { bad++; printf("memmove off=%d n=%d wrong\n", off, n); }
            mix_buf(dst_buf);
        }
    printf("memmove: %d mismatches, hash %016lx\n", bad, hash);

    // strlen from every alignment, with the terminator at every position
    int lens = 0;
    for (int a = 0; a < 8; a++)
        for (int n = 0; n < 40; n++) {
            for (int i = 0; i < 256; i++) src_buf[i] = (uint8_t)('a' + i % 26);
            src_buf[a + n] = 0;
            size_t l1 = strlen((const char *)src_buf + a), l2 = fast_strlen((const char *)src_buf + a);
            if (l1 != (size_t)n || l2 != (size_t)n) { bad++; printf("strlen a=%d n=%d: %lu %lu\n", a, n, l1, l2); }
            lens += (int)l2;
        }
    printf("strlen: %d mismatches, total length %d\n", bad, lens);

    // memcmp ordering
    const char *x = "abcdefgh", *y = "abcdefgz";
    printf("memcmp: %d %d %d\n", memcmp(x, y, 8) < 0, memcmp(y, x, 8) > 0, memcmp(x, y, 7) == 0);

    // unaligned loads of every size at every offset (little-endian assembly of the bytes)
    for (int i = 0; i < 16; i++) src_buf[i] = (uint8_t)(0x70 + i * 9);    // crosses 0x80: sign extension shows
    for (int o = 0; o < 8; o++) {
        uint64_t v64, v32, v16, s16, s32;
        const uint8_t *q = src_buf + o;
        __asm__ volatile("ldr %0, [%1]" : "=r"(v64) : "r"(q) : "memory");
        __asm__ volatile("ldr %w0, [%1]" : "=r"(v32) : "r"(q) : "memory");
        __asm__ volatile("ldrh %w0, [%1]" : "=r"(v16) : "r"(q) : "memory");
        __asm__ volatile("ldrsh %0, [%1]" : "=r"(s16) : "r"(q + 7) : "memory");
        __asm__ volatile("ldrsw %0, [%1]" : "=r"(s32) : "r"(q + 5) : "memory");
        printf("offset %d: ldr x %016lx w %08lx h %04lx ldrsh %lx ldrsw %lx\n", o, v64, v32, v16, s16, s32);
    }
    mmu_off();
    printf("total mismatches %d\n", bad);
    return bad;
}
