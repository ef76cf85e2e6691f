using Aegis.Emulator.Cpu.Timing.A53;
using NUnit.Framework;
namespace Aegis.Tests.Timing;
[Explicit] public sealed class ScratchDebug
{
    [TestCase("adr -> br (pc+4)")] [TestCase("ring 128 KiB (L2) lat")] [TestCase("ring 8 MiB (DRAM) lat")] [TestCase("and -> cbz (pc+4; full random)")]
    public void Show(string name)
    {
        var k = TimingKernels.All.First(x => x.Name == name);
        A53Model? m = null;
        var row = TimingSuite.RunKernel(k, _ => m = new A53Model());
        var s = m!.Stats;
        TestContext.Progress.WriteLine($"{name}: {row.Measured} inst {s.Instructions} dual {s.DualIssued} br {s.Branches} mis {s.Mispredicts} l1i {s.L1IAccesses}/{s.L1IMisses} l1d {s.L1DAccesses}/{s.L1DMisses} l2 {s.L2Accesses}/{s.L2Misses} bus {s.BusAccesses} utlb {s.MicroTlbMisses} walks {s.Walks} reads {s.WalkReads} exc {s.Exceptions} bykind {string.Join(",", s.MispredictsByKind)}");
    }
}
