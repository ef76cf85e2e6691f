using Aegis.Emu.Tracing;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Tracing;

/// <summary>The tracer names the SIMD&amp;FP registers and FPSR an instruction wrote, as it names X registers (values
/// from the Arm ARM: 1.0 + 1.0 = 2.0; 1.0 / 0.0 = +infinity with FPSR.DZC, bit 1).</summary>
public sealed class SimdTraceTests
{
    [Test]
    public void WrittenVRegistersAndFpsrAppearInTheirLines()
    {
        var h = CpuHarness.FromAsm(
            "mov x1, #(3 << 20)", "msr cpacr_el1, x1", "isb",
            "mov x2, #0x3ff0000000000000", "fmov d0, x2", "fadd d1, d0, d0", "fdiv d2, d0, d3");
        var text = new StringWriter();
        using (new TraceSession(h.Cpu, null, text, new TraceFilter(), []))
            h.Run();
        var lines = text.ToString().Split('\n');
        Assert.That(lines.Single(l => l.Contains("fmov")), Does.EndWith(" ; v0=00000000000000003ff0000000000000"));
        Assert.That(lines.Single(l => l.Contains("fadd")), Does.EndWith(" ; v1=00000000000000004000000000000000"));
        Assert.That(lines.Single(l => l.Contains("fdiv")), Does.EndWith(" ; v2=00000000000000007ff0000000000000 ; fpsr=2"));
    }
}
