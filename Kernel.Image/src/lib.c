/* memcpy/memset: the compiler emits calls to them for struct copies. The empty asm
 * keeps the optimiser from turning these loops back into calls to themselves.
 * Byte loops: they also run with the MMU off (Device memory: no unaligned access). */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if ((((uintptr_t)d | (uintptr_t)s | n) & 7) == 0) {
        for (size_t i = 0; i < n; i += 8) {
            *(uint64_t *)(d + i) = *(const uint64_t *)(s + i);
            __asm__ volatile("" ::: "memory");
        }
        return dst;
    }
    for (size_t i = 0; i < n; i++) {
        d[i] = s[i];
        __asm__ volatile("" ::: "memory");
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n > 0) {
        n--;
        d[n] = s[n];
        __asm__ volatile("" ::: "memory");
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    if (c == 0 && (((uintptr_t)d | n) & 7) == 0) {
        for (size_t i = 0; i < n; i += 8) {
            *(uint64_t *)(d + i) = 0;
            __asm__ volatile("" ::: "memory");
        }
        return dst;
    }
    for (size_t i = 0; i < n; i++) {
        d[i] = (uint8_t)c;
        __asm__ volatile("" ::: "memory");
    }
    return dst;
}
