// fpmath: scalar floating point as the compiler emits it, under every rounding mode and with FZ and DN:
// + - * / fma sqrt, the conversions between float, double and integers, the rounding builtins (FRINT*),
// fmin/fmax (FMINNM/FMAXNM), comparisons, over special values (zeros, infinities, NaNs with payloads,
// signalling NaNs, denormals, values at rounding boundaries). Each category prints an FNV-1a hash of the
// result bits and the cumulative FPSR flags it raised; QEMU is the reference for every bit.
#include "rt.h"

static volatile const uint64_t dbits[] = {
    0x0000000000000000, 0x8000000000000000, 0x3FF0000000000000, 0xBFF0000000000000, 0x3FF8000000000000,
    0x3FB999999999999A, 0x3FD5555555555555, 0x0010000000000000, 0x0000000000000001, 0x000FFFFFFFFFFFFF,
    0x7FEFFFFFFFFFFFFF, 0xFFEFFFFFFFFFFFFF, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000,
    0x7FF80000DEADBEEF, 0x7FF0000000000001, 0xFFF000000000BEEF, 0x3FF0000000000001, 0x3FEFFFFFFFFFFFFF,
    0x4340000000000000, 0x43E0000000000000, 0xC3E0000000000000, 0x41E65A0BC0000000, 0x3FE0000000000000,
    0x4004000000000000, 0xC004000000000000, 0x7FE1CCF385EBC8A0, 0x0007FFFFFFFFFFFF, 0x419D6F34547E6B75,
};
#define ND (sizeof dbits / sizeof dbits[0])

static volatile const uint32_t fbits[] = {
    0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x3FC00000, 0x3DCCCCCD, 0x3EAAAAAB, 0x00800000,
    0x00000001, 0x007FFFFF, 0x7F7FFFFF, 0xFF7FFFFF, 0x7F800000, 0xFF800000, 0x7FC00000, 0x7FC0BEEF,
    0x7F800001, 0xFF80BEEF, 0x3F800001, 0x3F7FFFFF, 0x4B800000, 0x5F000000, 0xCF000000, 0x40200000,
};
#define NF (sizeof fbits / sizeof fbits[0])

static double D(unsigned i) { uint64_t b = dbits[i]; double d; memcpy(&d, &b, 8); return d; }
static float F(unsigned i) { uint32_t b = fbits[i]; float f; memcpy(&f, &b, 4); return f; }
static uint64_t BD(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static uint32_t BF(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

static uint64_t hash;
static void mix(uint64_t v) { for (int i = 0; i < 8; i++) { hash ^= (v >> (8 * i)) & 0xFF; hash *= 0x100000001B3ULL; } }

static void begin(void) { hash = 0xCBF29CE484222325ULL; write_sysreg(fpsr, 0); isb(); }
static void end(const char *what)
{
    uint64_t fpsr = read_sysreg(fpsr);
    printf("  %-10s %016lx  fpsr %02lx\n", what, hash, fpsr & 0x9F);
}

static volatile double vd;
static volatile float vf;
static volatile int64_t vi;

static void doubles(void)
{
    begin(); for (unsigned i = 0; i < ND; i++) for (unsigned j = 0; j < ND; j++) { vd = D(i) + D(j); mix(BD(vd)); } end("add.d");
    begin(); for (unsigned i = 0; i < ND; i++) for (unsigned j = 0; j < ND; j++) { vd = D(i) - D(j); mix(BD(vd)); } end("sub.d");
    begin(); for (unsigned i = 0; i < ND; i++) for (unsigned j = 0; j < ND; j++) { vd = D(i) * D(j); mix(BD(vd)); } end("mul.d");
    begin(); for (unsigned i = 0; i < ND; i++) for (unsigned j = 0; j < ND; j++) { vd = D(i) / D(j); mix(BD(vd)); } end("div.d");
    begin();
    for (unsigned i = 0; i < ND; i += 2) for (unsigned j = 1; j < ND; j += 3) for (unsigned k = 0; k < ND; k += 5)
    { vd = __builtin_fma(D(i), D(j), D(k)); mix(BD(vd)); }
    end("fma.d");
    begin(); for (unsigned i = 0; i < ND; i++) { vd = __builtin_sqrt(D(i)); mix(BD(vd)); } end("sqrt.d");
    begin();
    for (unsigned i = 0; i < ND; i++)
    {
        double x = D(i);
        mix(BD(__builtin_floor(x))); mix(BD(__builtin_ceil(x))); mix(BD(__builtin_trunc(x)));
        mix(BD(__builtin_round(x))); mix(BD(__builtin_rint(x))); mix(BD(__builtin_nearbyint(x)));
    }
    end("frint.d");
    begin();
    for (unsigned i = 0; i < ND; i++) for (unsigned j = 0; j < ND; j++)
    {
        double a = D(i), b = D(j);
        mix(BD(__builtin_fmin(a, b))); mix(BD(__builtin_fmax(a, b)));
        mix((uint64_t)(a < b) | (uint64_t)(a <= b) << 1 | (uint64_t)(a == b) << 2 | (uint64_t)__builtin_isunordered(a, b) << 3);
    }
    end("minmax.d");
    begin();
    for (unsigned i = 0; i < ND; i++)
    {
        double x = D(i);
        vf = (float)x; mix(BF(vf));
        vi = (int64_t)x; mix((uint64_t)vi);
        vi = (int64_t)(uint32_t)x; mix((uint64_t)vi);
        vi = __builtin_llround(x); mix((uint64_t)vi);
        vd = (double)(int64_t)dbits[i]; mix(BD(vd));
        vd = (double)dbits[i]; mix(BD(vd));
        vf = (float)(int64_t)dbits[i]; mix(BF(vf));
    }
    end("cvt.d");
}

static void floats(void)
{
    begin(); for (unsigned i = 0; i < NF; i++) for (unsigned j = 0; j < NF; j++) { vf = F(i) + F(j); mix(BF(vf)); } end("add.s");
    begin(); for (unsigned i = 0; i < NF; i++) for (unsigned j = 0; j < NF; j++) { vf = F(i) * F(j); mix(BF(vf)); } end("mul.s");
    begin(); for (unsigned i = 0; i < NF; i++) for (unsigned j = 0; j < NF; j++) { vf = F(i) / F(j); mix(BF(vf)); } end("div.s");
    begin();
    for (unsigned i = 0; i < NF; i++) for (unsigned j = 0; j < NF; j += 2) for (unsigned k = 1; k < NF; k += 3)
    { vf = __builtin_fmaf(F(i), F(j), F(k)); mix(BF(vf)); }
    end("fma.s");
    begin(); for (unsigned i = 0; i < NF; i++) { vf = __builtin_sqrtf(F(i)); mix(BF(vf)); } end("sqrt.s");
    begin();
    for (unsigned i = 0; i < NF; i++)
    {
        float x = F(i);
        vd = (double)x; mix(BD(vd));
        vi = (int32_t)x; mix((uint64_t)vi);
        vi = (int64_t)(uint64_t)x; mix((uint64_t)vi);
        mix(BF(__builtin_floorf(x))); mix(BF(__builtin_roundf(x))); mix(BF(__builtin_rintf(x)));
        vf = (float)(uint32_t)fbits[i]; mix(BF(vf));
    }
    end("cvt.s");
}

// Some arithmetic a program does: a series, a Newton iteration, a small integration.
static void numbers(void)
{
    double pi = 0;
    for (int k = 0; k < 2000; k++) pi += (k & 1 ? -4.0 : 4.0) / (2 * k + 1);
    double r = 1;
    for (int k = 0; k < 8; k++) r = 0.5 * (r + 2 / r);
    float x = 0, v = 1;
    for (int k = 0; k < 1000; k++) { float a = -x; v += a * 0.01f; x += v * 0.01f; }
    printf("  pi~ %016lx  sqrt2 %016lx  oscillator %08x %08x\n", BD(pi), BD(r), BF(x), BF(v));
    printf("  pi~ %ld.%06ld  sqrt2 %ld.%06ld\n", (int64_t)pi, (int64_t)((pi - (int64_t)pi) * 1e6),
           (int64_t)r, (int64_t)((r - (int64_t)r) * 1e6));
}

int main(void)
{
    static const char *const modes[] = { "RN", "RP", "RM", "RZ" };
    printf("fpmath: FPCR 0x%lx at entry\n", read_sysreg(fpcr));
    numbers();
    for (int mode = 0; mode < 4; mode++)
        for (int flags = 0; flags < 3; flags++) // 0: IEEE, 1: FZ (flush denormals), 2: DN (default NaN)
        {
            uint64_t fpcr = (uint64_t)mode << 22 | (flags == 1 ? 1UL << 24 : 0) | (flags == 2 ? 1UL << 25 : 0);
            write_sysreg(fpcr, fpcr);
            isb();
            printf("%s%s:\n", modes[mode], flags == 1 ? " FZ" : flags == 2 ? " DN" : "");
            doubles();
            floats();
        }
    write_sysreg(fpcr, 0);
    printf("fpmath: done\n");
    return 0;
}
