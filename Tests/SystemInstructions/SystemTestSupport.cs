using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Tests.Support;

namespace Aegis.Tests.SystemInstructions;

/// <summary>Builds test programs from assembly blocks placed at byte offsets from <see cref="CpuHarness.CodeBase"/>.</summary>
internal static class SystemTestSupport
{
    /// <summary>VBAR_EL1/VBAR_EL2 used by tests whose vectors lie outside the code, so that the run stops at the vector.</summary>
    public const ulong OutsideVbar = 0x4008_0000;

    public const ulong El1Sync = 0x200, LowerSync = 0x400;

    /// <summary>Event counter 0 with its overflow interrupt: PMEVTYPER0 = x4, PMEVCNTR0 = x5, PMINTENSET and
    /// PMCNTENSET = x6 (bit 0), PMCR = x0.</summary>
    public const string PmuCounterSetup = """
        msr pmevtyper0_el0, x4
        msr pmevcntr0_el0, x5
        msr pmintenset_el1, x6
        msr pmcr_el0, x0
        msr pmcntenset_el0, x6
        """;

    /// <summary>The GIC forwards the PMU's overflow interrupt (PPI 23) to the CPU, every priority unmasked.</summary>
    public static void EnablePmuInterrupt(CpuHarness h)
    {
        var bus = h.Board.Bus;
        bus.Write(0x0800_0000, 4, 1);                        // GICD_CTLR
        bus.Write(0x0801_0000, 4, 1);                        // GICC_CTLR
        bus.Write(0x0801_0004, 4, 0xFF);                     // GICC_PMR
        bus.Write(0x0800_0100, 4, 1u << Pmu.InterruptId);   // ISENABLER0
    }

    /// <summary>Assembles each block with llvm-mc and places it at its offset; the gaps hold 0 (UDF #0).</summary>
    public static uint[] Layout(params (int Offset, string Asm)[] blocks)
    {
        var placed = blocks.Select(b => (b.Offset, Words: Llvm.Assemble(b.Asm))).ToArray();
        int size = placed.Max(b => b.Offset / 4 + b.Words.Length);
        var code = new uint[size];
        foreach (var (offset, words) in placed) words.CopyTo(code, offset / 4);
        return code;
    }

    /// <summary>A harness at EL1 (or EL2 when <paramref name="el2"/>) with the vectors outside the code.</summary>
    public static CpuHarness Harness(string asm, bool el2 = false)
    {
        var h = new CpuHarness(Llvm.Assemble(asm), el2);
        h.Cpu.VbarEl[1] = OutsideVbar;
        h.Cpu.VbarEl[2] = OutsideVbar + 0x1_0000;
        return h;
    }

    /// <summary>Switches PSTATE.EL directly (tests that start below the reset EL).</summary>
    public static CpuHarness AtEl(this CpuHarness h, int el, bool spSel = true)
    {
        if (el < 2 && h.Cpu.HasEl2) h.Cpu.MmuRegs.HCR_EL2 |= 1UL << 31; // HCR_EL2.RW: EL1 is AArch64
        h.Cpu.SetExceptionLevel(el, el != 0 && spSel);
        return h;
    }

    /// <summary>ESR_ELx.EC.</summary>
    public static uint Ec(ulong esr) => (uint)(esr >> 26) & 0x3F;
}
