// vector: loops the compiler vectorises (built at -O0, -O2 and -O3) and Advanced SIMD intrinsics: float saxpy and
// dot products, integer sums, sums of absolute differences, saturating and widening arithmetic, byte shuffles
// (TBL, ZIP, REV), structure loads and stores (LD2-LD4/ST2-ST4), across-lane reductions, reciprocal estimates
// and conversions. Each result is printed as bits or as a checksum; QEMU is the reference.
#include <arm_neon.h>
#include "rt.h"

#define N 1024
static float fa[N], fb[N], fc[N];
static int32_t ia[N], ib[N];
static int16_t sa[N], sb[N];
static uint8_t ua[N], ub[N], uc[3 * N];

static uint32_t seed = 12345;
static uint32_t next(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }

static uint64_t hash;
static void mixbytes(const void *p, size_t n) { const uint8_t *b = p; for (size_t i = 0; i < n; i++) { hash ^= b[i]; hash *= 0x100000001B3ULL; } }
static uint32_t bits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

static void fill(void)
{
    for (int i = 0; i < N; i++)
    {
        fa[i] = (float)(int32_t)(next() % 2001 - 1000) / 64.0f;
        fb[i] = (float)(int32_t)(next() % 2001 - 1000) / 128.0f;
        ia[i] = (int32_t)next() >> 8; ib[i] = (int32_t)next() >> 8;
        sa[i] = (int16_t)next(); sb[i] = (int16_t)next();
        ua[i] = (uint8_t)next(); ub[i] = (uint8_t)next();
    }
}

// Loops for the vectoriser.
static void saxpy(float a) { for (int i = 0; i < N; i++) fc[i] = a * fa[i] + fb[i]; }
static float fdot(void) { float s = 0; for (int i = 0; i < N; i++) s += fa[i] * fb[i]; return s; }
static int64_t idot(void) { int64_t s = 0; for (int i = 0; i < N; i++) s += (int64_t)ia[i] * ib[i]; return s; }
static uint32_t sad(void) { uint32_t s = 0; for (int i = 0; i < N; i++) s += (uint32_t)(ua[i] > ub[i] ? ua[i] - ub[i] : ub[i] - ua[i]); return s; }
static int32_t smax(void) { int32_t m = ia[0]; for (int i = 1; i < N; i++) m = ia[i] > m ? ia[i] : m; return m; }
static void sat_add(void) { for (int i = 0; i < N; i++) { int32_t v = sa[i] + sb[i]; sa[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v); } }
static void widen_mul(void) { for (int i = 0; i < N; i++) ia[i] = (int32_t)sa[i] * sb[i]; }
static void interleave(void) { for (int i = 0; i < N; i++) { uc[3 * i] = ua[i]; uc[3 * i + 1] = ub[i]; uc[3 * i + 2] = (uint8_t)(ua[i] ^ ub[i]); } }
static void scale_u8(void) { for (int i = 0; i < N; i++) ua[i] = (uint8_t)((ua[i] * 3u) >> 2); }
static void fconvert(void) { for (int i = 0; i < N; i++) ib[i] = (int32_t)(fc[i] * 16.0f); }

static void loops(void)
{
    saxpy(1.5f);
    hash = 0xCBF29CE484222325ULL; mixbytes(fc, sizeof fc);
    printf("  saxpy      %016lx\n", hash);
    printf("  fdot       %08x\n", bits(fdot()));
    printf("  idot       %016lx\n", (uint64_t)idot());
    printf("  sad        %u\n", sad());
    printf("  max        %d\n", smax());
    sat_add(); hash = 0xCBF29CE484222325ULL; mixbytes(sa, sizeof sa); printf("  sat_add    %016lx\n", hash);
    widen_mul(); hash = 0xCBF29CE484222325ULL; mixbytes(ia, sizeof ia); printf("  widen_mul  %016lx\n", hash);
    interleave(); hash = 0xCBF29CE484222325ULL; mixbytes(uc, sizeof uc); printf("  interleave %016lx\n", hash);
    scale_u8(); hash = 0xCBF29CE484222325ULL; mixbytes(ua, sizeof ua); printf("  scale_u8   %016lx\n", hash);
    fconvert(); hash = 0xCBF29CE484222325ULL; mixbytes(ib, sizeof ib); printf("  fconvert   %016lx\n", hash);
}

static void print_q(const char *what, uint8x16_t v)
{
    uint8_t b[16];
    vst1q_u8(b, v);
    printf("  %-10s", what);
    for (int i = 15; i >= 0; i--) printf("%02x", b[i]);
    printf("\n");
}

static void intrinsics(void)
{
    uint8x16_t x = vld1q_u8(ua), y = vld1q_u8(ub);
    print_q("add", vaddq_u8(x, y));
    print_q("qadd", vqaddq_u8(x, y));
    print_q("qsub.s8", vreinterpretq_u8_s8(vqsubq_s8(vreinterpretq_s8_u8(x), vreinterpretq_s8_u8(y))));
    print_q("abd", vabdq_u8(x, y));
    print_q("cnt", vcntq_u8(x));
    print_q("rev64", vrev64q_u8(x));
    print_q("zip1", vzip1q_u8(x, y));
    print_q("uzp2", vuzp2q_u8(x, y));
    print_q("ext3", vextq_u8(x, y, 3));
    print_q("tbl", vqtbl1q_u8(x, vandq_u8(y, vdupq_n_u8(0x1F))));
    print_q("bsl", vbslq_u8(vcgtq_u8(x, y), x, y));
    int16x8_t s = vld1q_s16(sa), t = vld1q_s16(sb);
    print_q("mull", vreinterpretq_u8_s32(vmull_s16(vget_low_s16(s), vget_low_s16(t))));
    print_q("qdmulh", vreinterpretq_u8_s16(vqdmulhq_s16(s, t)));
    print_q("rshrn", vreinterpretq_u8_s8(vcombine_s8(vrshrn_n_s16(s, 5), vqmovn_s16(t))));
    print_q("shl/sra", vreinterpretq_u8_s16(vsraq_n_s16(vshlq_n_s16(s, 3), t, 4)));
    int32x4_t w = vld1q_s32(ia);
    printf("  addv       %d  maxv %d  minv %d\n", vaddvq_s32(w), vmaxvq_s32(w), vminvq_s32(w));
    printf("  uaddlv     %u  umaxv %u\n", vaddlvq_u8(x), vmaxvq_u8(y));
    float32x4_t f = vld1q_f32(fa), g = vld1q_f32(fb);
    print_q("fma", vreinterpretq_u8_f32(vfmaq_f32(f, f, g)));
    print_q("recpe", vreinterpretq_u8_f32(vrecpeq_f32(g)));
    print_q("recps", vreinterpretq_u8_f32(vrecpsq_f32(f, g)));
    print_q("rsqrte", vreinterpretq_u8_f32(vrsqrteq_f32(vabsq_f32(g))));
    print_q("cvt", vreinterpretq_u8_s32(vcvtq_s32_f32(vmulq_n_f32(f, 100.0f))));
    print_q("cvtn", vreinterpretq_u8_s32(vcvtnq_s32_f32(vmulq_n_f32(f, 100.0f))));
    print_q("fmaxnmp", vreinterpretq_u8_f32(vpmaxnmq_f32(f, g)));
    printf("  faddv      %08x\n", bits(vaddvq_f32(vmulq_f32(f, g))));
    uint8x16x3_t three = vld3q_u8(uc);
    print_q("ld3.0", three.val[0]);
    print_q("ld3.2", three.val[2]);
    uint8x16x4_t four = vld4q_u8(ua);
    uint8_t out[64];
    vst4q_u8(out, four);
    printf("  st4 %s\n", memcmp(out, ua, 64) == 0 ? "round trip" : "MISMATCH");
    uint16x8x2_t two = vld2q_u16((const uint16_t *)ub);
    print_q("ld2.1", vreinterpretq_u8_u16(two.val[1]));
    print_q("ld1r", vreinterpretq_u8_u32(vld1q_dup_u32((const uint32_t *)ua + 5)));
    uint64x2_t wide = vpaddlq_u32(vpaddlq_u16(vpaddlq_u8(x)));
    printf("  paddl      %lu %lu\n", vgetq_lane_u64(wide, 0), vgetq_lane_u64(wide, 1));
}

int main(void)
{
    fill();
    printf("vector: loops\n");
    loops();
    printf("vector: intrinsics\n");
    intrinsics();
    printf("vector: done\n");
    return 0;
}
