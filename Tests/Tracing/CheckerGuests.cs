using Aegis.Emu.Tracing;
using Aegis.Emu.Tracing.Checkers;
using Aegis.Tests.Support;

namespace Aegis.Tests.Tracing;

/// <summary>
/// Purpose-built guests for the checkers: code at <see cref="CpuHarness.CodeBase"/> (EL1), and for the MMU cases a
/// 39-bit 4 KiB-granule identity map built here: L1 at 0x40100000, L2 at 0x40101000, L3 at 0x40102000 covering
/// VA 0x40000000..0x401FFFFF (descriptor formats: Arm ARM D5.3).
/// </summary>
internal static class CheckerGuests
{
    public const ulong L1 = 0x4010_0000, L2 = 0x4010_1000, L3 = 0x4010_2000;
    public const ulong Rw = 0, RoEl1 = 1UL << 7, Xn = (1UL << 53) | (1UL << 54);

    /// <summary>MAIR attr0 = Normal WB; TCR: T0SZ = 25, inner/outer WB, inner shareable, EPD1; TTBR0 = L1; then SCTLR.M = 1.</summary>
    public static readonly string[] EnableMmu =
    [
        "mov x0, #0xff", "msr mair_el1, x0",
        "movz x0, #0x3519", "movk x0, #0x80, lsl #16", "msr tcr_el1, x0",
        "movz x0, #0x4010, lsl #16", "msr ttbr0_el1, x0", "isb",
        "mrs x0, sctlr_el1", "orr x0, x0, #1", "msr sctlr_el1, x0",
        "isb",
    ];

    /// <summary>The index (in words) of the first instruction fetched with the MMU on: the ISB after MSR SCTLR_EL1.</summary>
    public const int FirstMmuOnInstruction = 11;

    public static ulong Page(ulong pa, ulong attrs) => pa | 3 | (1UL << 10) | (3UL << 8) | attrs;

    /// <summary>L1[1] -> L2, L2[0] -> L3; L3 maps the code page with <paramref name="codeAttrs"/> and the table/data pages RW, XN.</summary>
    public static void BuildTables(CpuHarness h, ulong codeAttrs)
    {
        h.Write(L1 + 1 * 8, 8, L2 | 3);
        h.Write(L2 + 0 * 8, 8, L3 | 3);
        h.Write(L3 + 0 * 8, 8, Page(0x4000_0000, codeAttrs));
        for (ulong i = 0x100; i <= 0x105; i++) h.Write(L3 + i * 8, 8, Page(0x4000_0000 + i * 0x1000, Rw | Xn));
    }

    public static T Attach<T>(CpuHarness h, Func<TaskResolver, T> make) where T : Checker
    {
        var checker = make(new TaskResolver(h.Cpu, null));
        h.Cpu.AddHook(checker);
        return checker;
    }
}
