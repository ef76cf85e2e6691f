// bits: CLZ, CLS, RBIT, REV/REV16/REV32, population count by loops, bitfield insert/extract
// (UBFX, SBFX, BFI, BFXIL through C bitfields and masks), logical immediates, rotates, CSEL family.
#include "rt.h"

static volatile uint64_t vals[] = {
    0, 1, 0x80, 0x8000000000000000ULL, 0xFFFFFFFFFFFFFFFFULL, 0x00000000FFFFFFFFULL,
    0x0123456789ABCDEFULL, 0xF0F0F0F00F0F0F0FULL, 0x7FFFFFFFFFFFFFFFULL, 0x0000000100000000ULL,
    0xDEADBEEFCAFEF00DULL, 0x5555555555555555ULL,
};
#define NV (int)(sizeof vals / sizeof vals[0])

static int clz64(uint64_t v) { uint64_t r; __asm__("clz %0, %1" : "=r"(r) : "r"(v)); return (int)r; }
static int clz32(uint32_t v) { uint32_t r; __asm__("clz %w0, %w1" : "=r"(r) : "r"(v)); return (int)r; }
static int cls64(uint64_t v) { uint64_t r; __asm__("cls %0, %1" : "=r"(r) : "r"(v)); return (int)r; }
static int cls32(uint32_t v) { uint32_t r; __asm__("cls %w0, %w1" : "=r"(r) : "r"(v)); return (int)r; }
static uint64_t rbit64(uint64_t v) { uint64_t r; __asm__("rbit %0, %1" : "=r"(r) : "r"(v)); return r; }
static uint32_t rbit32(uint32_t v) { uint32_t r; __asm__("rbit %w0, %w1" : "=r"(r) : "r"(v)); return r; }
static uint64_t rev16_64(uint64_t v) { uint64_t r; __asm__("rev16 %0, %1" : "=r"(r) : "r"(v)); return r; }
static uint64_t rev32_64(uint64_t v) { uint64_t r; __asm__("rev32 %0, %1" : "=r"(r) : "r"(v)); return r; }

static int popcount_loop(uint64_t v) { int n = 0; while (v) { v &= v - 1; n++; } return n; }
static int popcount_shift(uint64_t v) { int n = 0; for (int i = 0; i < 64; i++) n += (v >> i) & 1; return n; }
static uint64_t reverse_loop(uint64_t v) { uint64_t r = 0; for (int i = 0; i < 64; i++) r |= ((v >> i) & 1) << (63 - i); return r; }
static int clz_loop(uint64_t v) { int n = 0; while (n < 64 && !(v & (1ULL << (63 - n)))) n++; return n; }

struct packed_fields {
    uint64_t a : 3;
    int64_t b : 7;
    uint64_t c : 13;
    int64_t d : 17;
    uint64_t e : 24;
};

int main(void)
{
    int bad = 0;
    uart_puts("bits: clz cls rbit rev popcount\n");
    for (int i = 0; i < NV; i++) {
        uint64_t v = vals[i];
        uint32_t w = (uint32_t)v;
        printf("%016lx clz %2d/%2d cls %2d/%2d rbit %016lx/%08x rev %016lx/%08x rev16 %016lx rev32 %016lx pop %2d\n",
               v, clz64(v), clz32(w), cls64(v), cls32(w), rbit64(v), rbit32(w),
               __builtin_bswap64(v), __builtin_bswap32(w), rev16_64(v), rev32_64(v), popcount_loop(v));
        if (popcount_loop(v) != popcount_shift(v)) { bad++; uart_puts("  popcount mismatch\n"); }
        if (rbit64(v) != reverse_loop(v)) { bad++; uart_puts("  rbit mismatch\n"); }
        if (clz64(v) != clz_loop(v)) { bad++; uart_puts("  clz mismatch\n"); }
    }

    uart_puts("bits: bitfields\n");
    struct packed_fields f = { 0 };
    uint64_t h = 0;
    for (int i = 0; i < NV; i++) {
        uint64_t v = vals[i];
        f.a = v; f.b = (int64_t)(v >> 3); f.c = v >> 10; f.d = (int64_t)(v >> 23); f.e = v >> 40;
        printf("a=%lu b=%ld c=%lu d=%ld e=%lx", (uint64_t)f.a, (int64_t)f.b, (uint64_t)f.c, (int64_t)f.d, (uint64_t)f.e);
        // explicit extract / insert forms
        uint64_t ubfx = (v >> 12) & 0xFFF;                       // UBFX
        int64_t sbfx = (int64_t)(v << 20) >> 44;                 // SBFX
        uint64_t bfi = (v & ~(0xFFULL << 24)) | ((v & 0xFF) << 24);  // BFI
        uint64_t bfxil = (v & ~0xFFFFULL) | ((v >> 48) & 0xFFFF);    // BFXIL
        printf(" ubfx=%lx sbfx=%ld bfi=%lx bfxil=%lx\n", ubfx, sbfx, bfi, bfxil);
        h = h * 0x100000001B3ULL ^ ubfx ^ (uint64_t)sbfx ^ bfi ^ bfxil;
    }

    uart_puts("bits: logical, rotate, conditional select\n");
    for (int i = 0; i < NV; i++) {
        uint64_t v = vals[i], u = vals[(i + 5) % NV];
        uint64_t rot = (v >> 13) | (v << 51);                    // ROR (immediate) = EXTR
        uint64_t extr = (v >> 40) | (u << 24);                   // EXTR with two registers
        uint64_t bic = v & ~u, orn = v | ~u, eon = v ^ ~u;
        uint64_t imm = (v & 0x00FF00FF00FF00FFULL) | 0x0F00000000000000ULL;  // logical immediates
        uint64_t cs = v > u ? v : u + 1;                         // CSINC-shaped
        uint64_t cn = (int64_t)v < 0 ? ~v : -v;                  // CSINV / CSNEG-shaped
        printf("%016lx %016lx %016lx %016lx %016lx %016lx %016lx %016lx\n", rot, extr, bic, orn, eon, imm, cs, cn);
    }
    printf("bitfield hash %016lx, %d mismatches\n", h, bad);
    return bad;
}
