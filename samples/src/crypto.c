// crypto: the Cortex-A53's cryptographic and CRC extensions through their intrinsics, checked against published
// answers: AES-128 encrypt and decrypt (AESE/AESMC, AESD/AESIMC; FIPS-197 appendix C.1), SHA-1 and SHA-256 of "abc"
// (SHA1C/P/M/H/SU0/SU1, SHA256H/H2/SU0/SU1; FIPS 180-2 appendix examples), a 64x64 carry-less multiply (PMULL), and
// CRC32/CRC32C of "123456789" by the CRC32 instructions and by a bitwise loop.
#include <arm_acle.h>
#include <arm_neon.h>
#include "rt.h"

static const uint8_t sbox[256] = {
    0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
    0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
    0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
    0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
    0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
    0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
    0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
    0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
    0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
    0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
    0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
    0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
    0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
    0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
    0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
    0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16
};

static void print_bytes(const char *what, const uint8_t *b, int n)
{
    printf("  %-8s", what);
    for (int i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\n");
}

static int same(const uint8_t *a, const char *hex, int n)
{
    for (int i = 0; i < n; i++)
    {
        int hi = hex[2 * i] <= '9' ? hex[2 * i] - '0' : hex[2 * i] - 'a' + 10;
        int lo = hex[2 * i + 1] <= '9' ? hex[2 * i + 1] - '0' : hex[2 * i + 1] - 'a' + 10;
        if (a[i] != (uint8_t)(hi << 4 | lo)) return 0;
    }
    return 1;
}

static int failures;
static void check(const char *what, const uint8_t *b, const char *expected, int n)
{
    print_bytes(what, b, n);
    int ok = same(b, expected, n);
    if (!ok) failures++;
    printf("           %s\n", ok ? "matches the published answer" : "DIFFERS from the published answer");
}

// FIPS-197 5.2 key expansion (scalar: the round keys are data for AESE/AESD).
static void expand(const uint8_t key[16], uint8_t rk[11][16])
{
    static const uint8_t rcon[10] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36 };
    memcpy(rk[0], key, 16);
    for (int r = 1; r <= 10; r++)
    {
        const uint8_t *p = rk[r - 1];
        uint8_t t[4] = { (uint8_t)(sbox[p[13]] ^ rcon[r - 1]), sbox[p[14]], sbox[p[15]], sbox[p[12]] };
        for (int i = 0; i < 16; i++) rk[r][i] = (uint8_t)(p[i] ^ (i < 4 ? t[i] : rk[r][i - 4]));
    }
}

static void aes(void)
{
    uint8_t key[16], pt[16], rk[11][16], out[16];
    for (int i = 0; i < 16; i++) { key[i] = (uint8_t)i; pt[i] = (uint8_t)(i * 0x11); }
    expand(key, rk);
    uint8x16_t s = vld1q_u8(pt);
    for (int r = 0; r < 9; r++) s = vaesmcq_u8(vaeseq_u8(s, vld1q_u8(rk[r])));
    s = veorq_u8(vaeseq_u8(s, vld1q_u8(rk[9])), vld1q_u8(rk[10]));
    vst1q_u8(out, s);
    check("aes128", out, "69c4e0d86a7b0430d8cdb78070b4c55a", 16);
    // The equivalent inverse cipher: AESD with InvMixColumns applied to the middle round keys.
    s = vaesimcq_u8(vaesdq_u8(s, vld1q_u8(rk[10])));
    for (int r = 9; r > 1; r--) s = vaesimcq_u8(vaesdq_u8(s, vaesimcq_u8(vld1q_u8(rk[r]))));
    s = veorq_u8(vaesdq_u8(s, vaesimcq_u8(vld1q_u8(rk[1]))), vld1q_u8(rk[0]));
    vst1q_u8(out, s);
    check("aes-dec", out, "00112233445566778899aabbccddeeff", 16);
}

static void pad_abc(uint8_t block[64])
{
    memset(block, 0, 64);
    block[0] = 'a'; block[1] = 'b'; block[2] = 'c'; block[3] = 0x80;
    block[63] = 24; // the message length in bits, big-endian
}

static void store_be(uint8_t *out, const uint32_t *w, int n)
{
    for (int i = 0; i < n; i++) for (int j = 0; j < 4; j++) out[4 * i + j] = (uint8_t)(w[i] >> (24 - 8 * j));
}

static void sha1(void)
{
    static const uint32_t k[4] = { 0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xCA62C1D6 };
    uint32_t h[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0 };
    uint8_t block[64], out[20];
    pad_abc(block);
    uint32x4_t m[4];
    for (int i = 0; i < 4; i++) m[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(block + 16 * i)));
    uint32x4_t abcd = vld1q_u32(h);
    uint32_t e = h[4];
    for (int g = 0; g < 20; g++) // 20 groups of 4 rounds
    {
        uint32x4_t wk = vaddq_u32(m[g & 3], vdupq_n_u32(k[g / 5]));
        uint32_t e_next = vsha1h_u32(vgetq_lane_u32(abcd, 0));
        abcd = g < 5 ? vsha1cq_u32(abcd, e, wk) : g < 10 ? vsha1pq_u32(abcd, e, wk) : g < 15 ? vsha1mq_u32(abcd, e, wk) : vsha1pq_u32(abcd, e, wk);
        e = e_next;
        if (g < 16) m[g & 3] = vsha1su1q_u32(vsha1su0q_u32(m[g & 3], m[(g + 1) & 3], m[(g + 2) & 3]), m[(g + 3) & 3]);
    }
    uint32_t r[5];
    vst1q_u32(r, vaddq_u32(abcd, vld1q_u32(h)));
    r[4] = h[4] + e;
    store_be(out, r, 5);
    check("sha1", out, "a9993e364706816aba3e25717850c26c9cd0d89d", 20);
}

static void sha256(void)
{
    static const uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };
    uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    uint8_t block[64], out[32];
    pad_abc(block);
    uint32x4_t m[4];
    for (int i = 0; i < 4; i++) m[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(block + 16 * i)));
    uint32x4_t abcd = vld1q_u32(h), efgh = vld1q_u32(h + 4);
    for (int g = 0; g < 16; g++)
    {
        uint32x4_t wk = vaddq_u32(m[g & 3], vld1q_u32(k + 4 * g));
        uint32x4_t before = abcd;
        abcd = vsha256hq_u32(abcd, efgh, wk);
        efgh = vsha256h2q_u32(efgh, before, wk);
        if (g < 12) m[g & 3] = vsha256su1q_u32(vsha256su0q_u32(m[g & 3], m[(g + 1) & 3]), m[(g + 2) & 3], m[(g + 3) & 3]);
    }
    uint32_t r[8];
    vst1q_u32(r, vaddq_u32(abcd, vld1q_u32(h)));
    vst1q_u32(r + 4, vaddq_u32(efgh, vld1q_u32(h + 4)));
    store_be(out, r, 8);
    check("sha256", out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 32);
}

static uint32_t crc_bitwise(const uint8_t *p, int n, uint32_t poly)
{
    uint32_t c = 0xFFFFFFFF;
    for (int i = 0; i < n; i++)
    {
        c ^= p[i];
        for (int b = 0; b < 8; b++) c = c & 1 ? (c >> 1) ^ poly : c >> 1;
    }
    return ~c;
}

static void crc(void)
{
    static const uint8_t digits[9] = { '1', '2', '3', '4', '5', '6', '7', '8', '9' };
    uint64_t head; memcpy(&head, digits, 8);
    uint32_t c = ~__crc32b(__crc32d(0xFFFFFFFF, head), digits[8]);
    uint32_t cc = ~__crc32cb(__crc32cd(0xFFFFFFFF, head), digits[8]);
    uint32_t h = ~__crc32w(__crc32h(0xFFFFFFFF, 0x3231), 0x36353433);
    printf("  crc32   %08x (bitwise %08x)  crc32c %08x (bitwise %08x)  h+w %08x\n",
           c, crc_bitwise(digits, 9, 0xEDB88320), cc, crc_bitwise(digits, 9, 0x82F63B78), h);
    if (c != 0xCBF43926 || cc != 0xE3069283) failures++;
}

static void pmull(void)
{
    poly128_t p = vmull_p64(0x87A5F00FD3C1B24EULL, 0x1B3C5D7E9FA1C2E3ULL);
    uint64x2_t v = vreinterpretq_u64_p128(p);
    poly128_t q = vmull_high_p64(vreinterpretq_p64_u64(v), vreinterpretq_p64_u64(vdupq_n_u64(0xFFFFFFFFFFFFFFFFULL)));
    uint64x2_t w = vreinterpretq_u64_p128(q);
    printf("  pmull   %016lx%016lx  pmull2 %016lx%016lx\n", vgetq_lane_u64(v, 1), vgetq_lane_u64(v, 0),
           vgetq_lane_u64(w, 1), vgetq_lane_u64(w, 0));
    uint64_t a = 0x87A5F00FD3C1B24EULL, b = 0x1B3C5D7E9FA1C2E3ULL, lo = 0, hi = 0;
    for (int i = 0; i < 64; i++) if (b >> i & 1) { lo ^= a << i; if (i) hi ^= a >> (64 - i); }
    printf("  clmul   %016lx%016lx (shift and xor)\n", hi, lo);
    if (hi != vgetq_lane_u64(v, 1) || lo != vgetq_lane_u64(v, 0)) failures++;
}

int main(void)
{
    printf("crypto: ID_AA64ISAR0_EL1 0x%lx\n", read_sysreg(id_aa64isar0_el1));
    aes();
    sha1();
    sha256();
    pmull();
    crc();
    printf("crypto: %d failures\n", failures);
    return failures;
}
