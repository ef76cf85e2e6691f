using Aegis.Emulator.Cpu;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.Timing;

[TestFixture]
[Category("Timing")]
public sealed class TimingSuiteTests
{
    private static TimingReport? _oneCycle;

    private static TimingReport OneCycle()
    {
        ReferenceTools.Require(ReferenceTools.LlvmMc);
        ReferenceTools.Require(ReferenceTools.LlvmObjcopy);
        return _oneCycle ??= TimingSuite.Run("one-cycle", _ => new OneCyclePerInstruction());
    }

    [Test]
    public void SuiteCoversTheRequiredRows()
    {
        var k = TimingKernels.All;
        Assert.That(k, Has.Count.GreaterThanOrEqualTo(103));
        Assert.That(k.Select(x => x.Name), Is.Unique);
        Assert.That(k.Select(x => x.Group).Distinct().ToArray(), Is.SupersetOf(new[]
            { "alu", "alu-shifted", "bitfield", "shift-reg", "cond", "mul", "div", "crc", "load", "store", "forwarding", "branch", "nop-mov", "memory",
              "fp", "fp-mac", "fp-div", "simd", "simd-mul", "simd-load", "simd-store" }));
        foreach (var x in k)
            Assert.That(x.Silicon > 0 && x.Source.Length > 0 && x.Iterations > 0 && x.OpsPerIteration > 0, x.Name);
    }

    /// <summary>
    /// Every kernel finishes and measures cycles; with one cycle per instruction the cycles per operation the
    /// guest measured must equal the instructions per operation counted from the assembled loop (label
    /// arithmetic in the image header), which checks the frame, the PMCCNTR plumbing, the calibration and
    /// the harness's division.
    /// </summary>
    [Test]
    public void EveryKernelRunsAndReportsCycles()
    {
        var report = OneCycle();
        TestContext.Progress.WriteLine(report.FormatTable());
        Assert.Multiple(() =>
        {
            foreach (var r in report.Rows)
            {
                Assert.That(r.NetCycles, Is.GreaterThan(0UL), r.Kernel.Name);
                Assert.That(r.MeasuredCyclesPerOp, Is.EqualTo(r.ExpectedInstructionsPerOp).Within(1e-9), $"{r.Kernel.Name}: cycles/op vs instructions/op");
                double expected = r.Kernel.Unit == TimingUnit.Cycles ? r.ExpectedInstructionsPerOp : 1 / r.ExpectedInstructionsPerOp;
                Assert.That(r.Measured, Is.EqualTo(expected).Within(1e-9), $"{r.Kernel.Name}: measured in the row's unit");
            }
        });
    }

    [Test]
    public void StatisticsFollowTheirDefinitions()
    {
        TimingKernel K(double silicon) => TimingKernels.All[0] with { Silicon = silicon };
        TimingRow Row(double silicon, double measured) => new(K(silicon), measured, 1, 1, 1, 1);
        var report = new TimingReport("test", [Row(1, 1), Row(2, 2.1), Row(4, 5), Row(10, 8)]);
        Assert.That(report.WithinCount, Is.EqualTo(2));                          // 0 % and +5 % in; +25 % and -20 % out
        Assert.That(report.WithinFraction, Is.EqualTo(0.5));
        double geo = Math.Pow(0.001 * 0.05 * 0.25 * 0.20, 0.25);                 // the exact 0 counts as the 0.1 % floor
        Assert.That(report.GeoMeanAbsError, Is.EqualTo(geo).Within(1e-12));
        Assert.That(report.Passes, Is.False);
        Assert.That(report.Outside.Select(r => r.Kernel.Silicon), Is.EqualTo(new[] { 4.0, 10.0 }));
        Assert.That(report.ToMarkdown(), Does.Contain("| +25.0% |"));
    }

    /// <summary>Prints the table and the Markdown for docs (run it alone to see them).</summary>
    [Test]
    public void PrintOneCycleTable()
    {
        var report = OneCycle();
        TestContext.Progress.WriteLine(report.Summary);
        TestContext.Progress.WriteLine(report.ToMarkdown());
    }

    /// <summary>The acceptance test of the Cortex-A53 cycle model: at least 90 % of rows within ±10 %, geomean |error| at most 5 %.</summary>
    [Test]
    public void A53ModelMeetsSiliconFigures()
    {
        ReferenceTools.Require(ReferenceTools.LlvmMc);
        var report = TimingSuite.Run(TimingModels.A53, _ => TimingModels.Create(TimingModels.A53));
        TestContext.Progress.WriteLine(report.FormatTable());
        var outside = string.Join("\n", report.Outside.Select(r =>
            $"  {r.Kernel.Name}: silicon {r.Kernel.Silicon} measured {r.Measured:0.###} ({r.Error * 100:+0.0;-0.0}%)"));
        Assert.That(report.Passes, Is.True, $"{report.Summary}\nrows outside ±10%:\n{outside}");
    }
}
