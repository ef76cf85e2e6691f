using Aegis.Emulator.Cpu;
using Aegis.Tests.Tracing;

namespace Aegis.Tests.Engines;

/// <summary>What the tests comparing the engines on one guest share.</summary>
internal static class EngineRuns
{
    /// <summary>Runs <paramref name="steps"/> steps whole, or <paramref name="sliced"/> in slices of 1 to 100 steps: a
    /// block then stops inside its passes.</summary>
    public static void Run(Cpu cpu, ulong steps, bool sliced)
    {
        if (!sliced) { cpu.Run(steps); return; }
        for (ulong done = 0, slice; done < steps; done += slice)
            cpu.Run(slice = Math.Min(steps - done, 1 + done * 7 % 100));
    }

    /// <summary>Turns the MMU on (<see cref="CheckerGuests.EnableMmu"/>), then the caches (SCTLR_EL1.C and I).</summary>
    public static readonly string MmuAndCachesOn = string.Join("\n", CheckerGuests.EnableMmu) + """

        mrs x0, sctlr_el1
        mov x1, #0x1004
        orr x0, x0, x1
        msr sctlr_el1, x0
        isb

        """;
}
