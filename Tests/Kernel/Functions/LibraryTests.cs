using NUnit.Framework;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>
/// src/lib.c's memcpy, memmove and memset on the committed kernel, against the C standard's definitions (C11 7.24.2.1,
/// 7.24.2.2, 7.24.6.1): every length 0-40 at every alignment 0-7 of both pointers, overlapping moves both ways. The
/// kernel calls them for struct copies; memmove and memset have no caller in today's image, so only this exercises them.
/// </summary>
public sealed class LibraryTests : KernelFunctionTest
{
    private const ulong Src = KernelHarness.Scratch + 0x1000, Dst = KernelHarness.Scratch + 0x2000, Buf = KernelHarness.Scratch + 0x3000;
    private static readonly byte[] Pattern = [.. Enumerable.Range(0, 128).Select(i => (byte)(i * 37 + 11))];

    [Test]
    public void MemcpyCopiesEveryLengthAndAlignment()
    {
        for (int so = 0; so < 8; so++)
            for (int dof = 0; dof < 8; dof++)
                for (int n = 0; n <= 40; n++)
                {
                    K.WriteBytes(Src, Pattern);
                    K.WriteBytes(Dst, new byte[64]);
                    ulong ret = K.Call("memcpy", Dst + (ulong)dof, Src + (ulong)so, (ulong)n);
                    Assert.That(ret, Is.EqualTo(Dst + (ulong)dof), "memcpy returns dst");
                    var expected = new byte[64];
                    Array.Copy(Pattern, so, expected, dof, n);
                    Assert.That(K.ReadBytes(Dst, 64), Is.EqualTo(expected), $"memcpy(dst+{dof}, src+{so}, {n})");
                }
    }

    [Test]
    public void MemmoveCopiesOverlappingRangesAsIfThroughATemporary()
    {
        for (int from = 0; from < 24; from++)
            for (int to = 0; to < 24; to++)
                foreach (int n in new[] { 0, 1, 7, 8, 16, 23, 40 })
                {
                    K.WriteBytes(Buf, Pattern);
                    ulong ret = K.Call("memmove", Buf + (ulong)to, Buf + (ulong)from, (ulong)n);
                    Assert.That(ret, Is.EqualTo(Buf + (ulong)to), "memmove returns dst");
                    var expected = (byte[])Pattern.Clone();
                    Array.Copy(Pattern, from, expected, to, n); // Array.Copy handles overlap as memmove does
                    Assert.That(K.ReadBytes(Buf, Pattern.Length), Is.EqualTo(expected), $"memmove(buf+{to}, buf+{from}, {n})");
                }
    }

    [Test]
    public void MemsetFillsEveryLengthAndAlignmentWithZeroAndOtherBytes()
    {
        foreach (int c in new[] { 0, 0xA5, 0x1FF }) // 0x1FF: converted to unsigned char, 0xFF
            for (int off = 0; off < 8; off++)
                for (int n = 0; n <= 40; n++)
                {
                    K.WriteBytes(Dst, Pattern.AsSpan(0, 64));
                    ulong ret = K.Call("memset", Dst + (ulong)off, (ulong)c, (ulong)n);
                    Assert.That(ret, Is.EqualTo(Dst + (ulong)off), "memset returns dst");
                    var expected = Pattern[..64];
                    Array.Fill(expected, (byte)c, off, n);
                    Assert.That(K.ReadBytes(Dst, 64), Is.EqualTo(expected), $"memset(dst+{off}, 0x{c:X}, {n})");
                }
    }
}
