// Page tables at fixed physical addresses (the C# test loads the same ELF and uses the same registers).
typedef unsigned long u64;

#define L1 0x40200000UL
#define L2 0x40201000UL
#define L3 0x40202000UL
#define CODE 0x40203000UL
#define T2 0x40204000UL
#define T3 0x40205000UL
#define AF (1UL << 10)
#define AP(x) ((u64)(x) << 6)
#define PXN (1UL << 53)
#define UXN (1UL << 54)
#define DEV (1UL << 2)
#define PAGE(pa, a) ((pa) | (a) | AF | 3)
#define BLOCK(pa, a) ((pa) | (a) | AF | 1)
#define TABLE(pa, a) ((pa) | (a) | 3)

__attribute__((section(".tables"), aligned(4096))) u64 tables[6][512] = {
    [0] = { [1] = TABLE(L2, 0), [3] = BLOCK(0x40000000UL, AP(2)) },
    [1] = {
        [0] = BLOCK(0x40000000UL, 0),                 // code, data, tables: EL1 RWX
        [1] = TABLE(L3, 0),
        [2] = TABLE(0x0E000000UL, 0),                 // next table on nothing: external abort on walk
        [4] = BLOCK(0x40000000UL, 0) & ~AF,
        [5] = BLOCK(0x40000000UL, AP(2)),
        [6] = TABLE(T2, 1UL << 61),                   // APTable[0]
        [7] = TABLE(T3, (1UL << 62) | (1UL << 59)),   // APTable[1] | PXNTable
    },
    [2] = {
        [16] = PAGE(CODE, AP(0)),
        [17] = PAGE(CODE, AP(1)),
        [18] = PAGE(CODE, AP(2)),
        [19] = PAGE(CODE, AP(3)),
        [20] = PAGE(CODE, AP(3) | UXN),
        [21] = PAGE(CODE, AP(3) | PXN),
        [22] = PAGE(CODE, 0) & ~AF,
        [24] = PAGE(1UL << 40, 0),
        [25] = PAGE(CODE, DEV),
        [26] = PAGE(0x0E000000UL, 0),
        [27] = (CODE | AF | 1),                       // reserved encoding at level 3
        [28] = PAGE(CODE, AP(1) | UXN),
    },
    [3] = { 0xd4000001d65f03c0UL },                   // ret; svc #0
    [4] = { PAGE(CODE, AP(1)) },
    [5] = { PAGE(CODE, 0) },
};

extern u64 semihost(u64 op, const void *param);
extern u64 probe_read(u64), probe_write(u64), probe_uread(u64), probe_uwrite(u64), probe_read32(u64);
extern u64 probe_fetch1(u64), probe_fetch0(u64);

static void put(const char *s) { semihost(0x04, s); }

static void hex(u64 v)
{
    char b[19];
    b[0] = '0'; b[1] = 'x';
    for (int i = 0; i < 16; i++) b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    b[18] = 0;
    put(b);
}

static void report(const char *kind, u64 va, u64 esr)
{
    put(kind); put(" "); hex(va); put(" "); hex(esr); put("\n");
}

static const u64 vas[] = {
    0x40210000, 0x40211000, 0x40212000, 0x40213000, 0x40214000, 0x40215000, 0x40216000, 0x40217000,
    0x40218000, 0x40219000, 0x4021a000, 0x4021b000, 0x4021c000,
    0x80000000, 0x40600000, 0x40400000, 0x8000000000UL, 0xffffffffc0000000UL, 0x40800000, 0x40a00000,
    0xc0000000, 0x40c00000, 0x40e00000,
};

#if ELX == 2
#define SR(name) #name "_el2"
// TCR_EL2 (E2H = 0): T0SZ = 25, IRGN0/ORGN0 = WB, SH0 = inner, TG0 = 4 KiB, PS = 40 bits.
#define TCR (25 | (1UL << 8) | (1UL << 10) | (3UL << 12) | (2UL << 16))
#define TLBI_ALL "tlbi alle2"
#else
#define SR(name) #name "_el1"
// TCR_EL1: T0SZ = T1SZ = 25, TTBR0 walks WB inner-shareable, EPD1 = 1, TG1 = 4 KiB, IPS = 40 bits.
#define TCR (25 | (1UL << 8) | (1UL << 10) | (3UL << 12) | (25UL << 16) | (1UL << 23) | (2UL << 30) | (2UL << 32))
#define TLBI_ALL "tlbi vmalle1"
#endif

int main(void)
{
    u64 tcr = TCR;
    __asm__ volatile("msr " SR(mair) ", %0" :: "r"(0x00ffUL));
    __asm__ volatile("msr " SR(tcr) ", %0" :: "r"(tcr));
    __asm__ volatile("msr " SR(ttbr0) ", %0" :: "r"(L1));
    __asm__ volatile("isb; " TLBI_ALL "; dsb sy; isb");
    u64 sctlr;
    __asm__ volatile("mrs %0, " SR(sctlr) : "=r"(sctlr));
    sctlr |= 1 | (1 << 2) | (1 << 12);
    sctlr &= ~((1UL << 19) | 2);
    __asm__ volatile("msr " SR(sctlr) ", %0; isb" :: "r"(sctlr));
    put("tcr "); hex(tcr); put("\n");

    for (unsigned i = 0; i < sizeof vas / sizeof vas[0]; i++) {
        u64 va = vas[i];
        report("read", va, probe_read(va));
        report("write", va, probe_write(va));
        report("uread", va, probe_uread(va));
        report("uwrite", va, probe_uwrite(va));
        report("fetch1", va, probe_fetch1(va));
#if ELX == 1
        report("fetch0", va + 4, probe_fetch0(va + 4));
#endif
    }
    report("read32", 0x40219001, probe_read32(0x40219001));  // Device, misaligned
    report("read32", 0x40210001, probe_read32(0x40210001));  // Normal, misaligned
    return 0;
}
