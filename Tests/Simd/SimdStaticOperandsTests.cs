using Aegis.Emulator.Cpu.Decoding;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;

namespace Aegis.Tests.Simd;

/// <summary>The scoreboard operands of SIMD&amp;FP encodings (encodings from llvm-mc-14 -mattr=+neon).</summary>
[TestFixture]
public class SimdStaticOperandsTests
{
    private const byte V0 = StaticOperands.V0, None = StaticOperands.None, Nzcv = StaticOperands.Nzcv, Sp = StaticOperands.Sp;

    private static DecodedInst Decode(uint raw)
    {
        var i = new DecodedInst();
        Decoder.Decode(raw, ref i);
        return i;
    }

    [TestCase(0xAD400400u, "ldp q0, q1, [x0]", new byte[] { 0 }, new byte[] { V0 + 0, V0 + 1 }, InstFlags.Load | InstFlags.Pair | InstFlags.Is64)]
    [TestCase(0x4E183C83u, "umov x3, v4.d[1]", new byte[] { V0 + 4 }, new byte[] { 3 }, InstFlags.None)]
    [TestCase(0x1E622020u, "fcmp d1, d2", new byte[] { V0 + 1, V0 + 2 }, new byte[] { Nzcv }, InstFlags.None)]
    [TestCase(0x4CDF7020u, "ld1 {v0.16b}, [x1], #16", new byte[] { 1 }, new byte[] { V0 + 0, 1 }, InstFlags.Load | InstFlags.Writeback)]
    [TestCase(0x3CA27BE5u, "str q5, [sp, x2, lsl #4]", new byte[] { Sp, V0 + 5, 2 }, new byte[] { }, InstFlags.Store | InstFlags.Is64 | InstFlags.RegisterOffset)]
    [TestCase(0x4E0C1D27u, "ins v7.s[1], w9", new byte[] { 9, V0 + 7 }, new byte[] { V0 + 7 }, InstFlags.None)]
    [TestCase(0x1E230C41u, "fcsel s1, s2, s3, eq", new byte[] { V0 + 2, V0 + 3, Nzcv }, new byte[] { V0 + 1 }, InstFlags.None)]
    [TestCase(0x9E6600C4u, "fmov x4, d6", new byte[] { V0 + 6 }, new byte[] { 4 }, InstFlags.Is64)]
    [TestCase(0x4EA39441u, "mla v1.4s, v2.4s, v3.4s", new byte[] { V0 + 2, V0 + 3, V0 + 1 }, new byte[] { V0 + 1 }, InstFlags.None)]
    public void SourcesDestinationsAndFlags(uint raw, string asm, byte[] src, byte[] dst, InstFlags flags)
    {
        var i = Decode(raw);
        var srcs = new[] { i.Src0, i.Src1, i.Src2, i.Src3 }.Where(r => r != None).ToArray();
        var dsts = new[] { i.Dst0, i.Dst1, i.Dst2 }.Where(r => r != None).ToArray();
        Assert.That(srcs, Is.EquivalentTo(src), asm + " sources");
        Assert.That(dsts, Is.EquivalentTo(dst), asm + " destinations");
        Assert.That(i.Flags, Is.EqualTo(flags), asm + " flags");
    }
}
