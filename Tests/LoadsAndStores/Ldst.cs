using Aegis.Tests.Support;

namespace Aegis.Tests.LoadsAndStores;

/// <summary>Shared set-up for the load/store instruction tests: a harness whose exceptions land outside the code.</summary>
internal static class Ldst
{
    /// <summary>Scratch data (MMU off: VA = PA, Device-nGnRnE, so every normal access must be aligned).</summary>
    public const ulong D = CpuHarness.DataBase;

    /// <summary>VBAR_EL1 used by the tests; the current-EL/SP_ELx synchronous vector is at +0x200.</summary>
    public const ulong Vbar = 0x4000_8000;
    public const ulong SyncVectorSameEl = Vbar + 0x200;
    public const ulong SyncVectorLowerEl = Vbar + 0x400;

    // ESR_ELx values (Arm ARM D17.2.37): EC << 26 | IL (bit 25) | ISS; data abort ISS = WnR (bit 6) | DFSC.
    public const ulong EsrDataAbortSameEl = 0x25UL << 26 | 1UL << 25;
    public const ulong EsrDataAbortLowerEl = 0x24UL << 26 | 1UL << 25;
    public const ulong EsrSpAlignment = 0x26UL << 26 | 1UL << 25;
    public const ulong EsrUndefined = 1UL << 25;
    public const ulong WnR = 1UL << 6;
    public const ulong DfscAlignment = 0x21;
    public const ulong DfscExternal = 0x10;

    public static CpuHarness Asm(params string[] lines)
    {
        var h = CpuHarness.FromAsm(lines);
        h.Cpu.VbarEl[1] = Vbar;
        return h;
    }

    /// <summary>An encoding with its Rt field [4:0] replaced, for the CONSTRAINED UNPREDICTABLE forms llvm-mc refuses to assemble.</summary>
    public static uint WithRt(uint word, int rt) => (word & ~31u) | (uint)rt;

    /// <summary>An encoding with its Rt2/Rs field at <paramref name="lsb"/> replaced.</summary>
    public static uint WithField(uint word, int lsb, int reg) => (word & ~(31u << lsb)) | (uint)reg << lsb;

    public static CpuHarness Words(params uint[] words)
    {
        var h = new CpuHarness(words);
        h.Cpu.VbarEl[1] = Vbar;
        return h;
    }
}
