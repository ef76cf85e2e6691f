using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.LoadsAndStores.Ldst;

namespace Aegis.Tests.Simd;

/// <summary>
/// Faults of SIMD&amp;FP loads and stores on Aegis.Emu (QEMU user mode cannot show them without ending the process):
/// with the MMU off data accesses are Device memory, so a 16-byte access not aligned to 16 takes an alignment fault
/// (Arm ARM CheckAlignment with size 16, B2.5.2) even when each 64-bit half is aligned; an access to nothing takes an
/// external abort. A faulting instruction leaves its V registers, its base register and memory unchanged. And with
/// CPACR_EL1.FPEN trapping, every SIMD instruction takes EC 0x07 before anything else.
/// </summary>
public class SimdFaultTests
{
    private const ulong Nothing = 0x1000_0000;
    private const ulong Marker = 0x1111_2222_3333_4444;

    private static CpuHarness Fp(params string[] asm)
    {
        var h = Asm(asm);
        h.Cpu.Sys.CPACR_EL1 = 3UL << 20;
        for (int v = 0; v < 4; v++) { h.Cpu.Vreg[2 * v] = Marker + (ulong)v; h.Cpu.Vreg[2 * v + 1] = ~Marker; }
        return h;
    }

    [TestCase("ldr q0, [x1]", 8UL, DfscAlignment, false)]
    [TestCase("ldr q0, [x1], #16", 8UL, DfscAlignment, false)]
    [TestCase("ldp q0, q1, [x1, #0]!", 8UL, DfscAlignment, false)]
    [TestCase("ldr d0, [x1]", 4UL, DfscAlignment, false)]
    [TestCase("ld1 {v0.4s, v1.4s}, [x1], #32", 2UL, DfscAlignment, false)]
    [TestCase("ld4r {v0.2d, v1.2d, v2.2d, v3.2d}, [x1], x2", 4UL, DfscAlignment, false)]
    [TestCase("str q0, [x1, #0]!", 8UL, DfscAlignment, true)]
    [TestCase("stp q0, q1, [x1], #32", 8UL, DfscAlignment, true)]
    [TestCase("st1 {v0.d}[1], [x1], #8", 4UL, DfscAlignment, true)]
    public void MisalignedOnDeviceMemoryFaultsAndChangesNothing(string asm, ulong misalign, ulong dfsc, bool store)
    {
        var h = Fp(asm);
        ulong address = D + 0x100 + misalign;
        h.SetX(1, address).SetX(2, 64);
        h.Write(D + 0x100, 8, 0xAAAA); h.Write(D + 0x108, 8, 0xBBBB);
        h.Run(1);
        Assert.Multiple(() =>
        {
            Assert.That(h.Cpu.PC, Is.EqualTo(SyncVectorSameEl));
            Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(EsrDataAbortSameEl | (store ? WnR : 0) | dfsc));
            Assert.That(h.Cpu.FarEl[1], Is.EqualTo(address));
            Assert.That(h.X(1), Is.EqualTo(address), "no writeback");
            for (int v = 0; v < 4; v++)
                Assert.That(h.Cpu.Vreg[2 * v], Is.EqualTo(Marker + (ulong)v), $"V{v} unchanged");
            Assert.That(h.Read(D + 0x100, 8), Is.EqualTo(0xAAAAUL), "memory unchanged");
            Assert.That(h.Read(D + 0x108, 8), Is.EqualTo(0xBBBBUL), "memory unchanged");
        });
    }

    [TestCase("ldr q1, [x1]")]
    [TestCase("ld4 {v0.16b, v1.16b, v2.16b, v3.16b}, [x1], #64")]
    [TestCase("ld3 {v0.s, v1.s, v2.s}[3], [x1], #12")]
    [TestCase("ldp s0, s1, [x1, #-8]!")]
    public void LoadFromNothingTakesAnExternalAbortAndWritesNoRegister(string asm)
    {
        var h = Fp(asm);
        h.SetX(1, Nothing).Run(1);
        Assert.Multiple(() =>
        {
            Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(EsrDataAbortSameEl | DfscExternal));
            Assert.That(h.X(1), Is.EqualTo(Nothing));
            for (int v = 0; v < 4; v++) Assert.That(h.Cpu.Vreg[2 * v + 1], Is.EqualTo(~Marker), $"V{v} unchanged");
        });
    }

    [TestCase("ldr q0, [x1]")]
    [TestCase("stp d0, d1, [x1]")]
    [TestCase("ld1r {v0.8h}, [x1]")]
    [TestCase("st2 {v0.2s, v1.2s}, [x1]")]
    [TestCase("umov x0, v1.d[1]")]
    [TestCase("ins v0.s[1], w1")]
    public void SimdAtEl1WithFpen00TakesTheFpTrapFirst(string asm)
    {
        var h = Asm(asm);
        h.SetX(1, Nothing + 1); // would also fault: the trap comes first
        h.Run(1);
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x1FE0_0000UL), "EC 0x07 (CV = 1, COND = 0xE as QEMU 7.2)");
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(CpuHarness.CodeBase));
    }

    [Test]
    public void AlignedQuadLoadAndStoreRoundTrip()
    {
        var h = Fp("str q2, [x1, #16]!", "ldr q3, [x1]");
        h.SetX(1, D).Run();
        Assert.That(h.X(1), Is.EqualTo(D + 16));
        Assert.That(h.Read(D + 16, 8), Is.EqualTo(Marker + 2));
        Assert.That(h.Read(D + 24, 8), Is.EqualTo(~Marker));
        Assert.That(h.Cpu.Q(3), Is.EqualTo(h.Cpu.Q(2)));
    }
}
