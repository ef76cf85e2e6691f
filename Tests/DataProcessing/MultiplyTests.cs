using NUnit.Framework;

namespace Aegis.Tests.DataProcessing;

/// <summary>
/// MADD/MSUB (and MUL/MNEG), SMADDL/SMSUBL/UMADDL/UMSUBL (and SMULL/UMULL/SMNEGL/UMNEGL), SMULH/UMULH.
/// Expected values are the pseudocode's exact products worked by hand.
/// </summary>
public class MultiplyTests
{
    [TestCase("madd x0, x1, x2, x3", 3UL, 4UL, 5UL, 17UL)]
    [TestCase("msub x0, x1, x2, x3", 3UL, 4UL, 5UL, 0xFFFF_FFFF_FFFF_FFF9UL)]
    [TestCase("mul x0, x1, x2", 0x1_0000_0001UL, 0x1_0000_0001UL, 0UL, 0x2_0000_0001UL)]
    [TestCase("mul x0, x1, x2", 0x8000_0000_0000_0001UL, 0xFFFF_FFFF_FFFF_FFFFUL, 0UL, 0x7FFF_FFFF_FFFF_FFFFUL)]
    [TestCase("mul w0, w1, w2", 0x1_0000UL, 0x1_0000UL, 0UL, 0UL)]
    [TestCase("madd w0, w1, w2, w3", 0xFFFF_FFFF_0000_0002UL, 0xFFFF_FFFF_0000_0003UL, 0xFFFF_FFFF_FFFF_FFFFUL, 5UL)]
    [TestCase("mneg w0, w1, w2", 1UL, 1UL, 0UL, 0xFFFF_FFFFUL)]
    [TestCase("smaddl x0, w1, w2, x3", 0xFFFF_FFFFUL, 2UL, 10UL, 8UL)]
    [TestCase("smsubl x0, w1, w2, x3", 0xFFFF_FFFFUL, 0xFFFF_FFFFUL, 0UL, 0xFFFF_FFFF_FFFF_FFFFUL)]
    [TestCase("smull x0, w1, w2", 0x8000_0000UL, 0x8000_0000UL, 0UL, 0x4000_0000_0000_0000UL)]
    [TestCase("smull x0, w1, w2", 0x1234_5678_8000_0000UL, 0x7FFF_FFFFUL, 0UL, 0xC000_0000_8000_0000UL)]
    [TestCase("smnegl x0, w1, w2", 0x7FFF_FFFFUL, 2UL, 0UL, 0xFFFF_FFFF_0000_0002UL)]
    [TestCase("umaddl x0, w1, w2, x3", 0xFFFF_FFFFUL, 2UL, 10UL, 0x2_0000_0008UL)]
    [TestCase("umsubl x0, w1, w2, x3", 0xFFFF_FFFFUL, 1UL, 0UL, 0xFFFF_FFFF_0000_0001UL)]
    [TestCase("umull x0, w1, w2", 0xFFFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFFUL, 0UL, 0xFFFF_FFFE_0000_0001UL)]
    [TestCase("umnegl x0, w1, w2", 2UL, 3UL, 0UL, 0xFFFF_FFFF_FFFF_FFFAUL)]
    [TestCase("smulh x0, x1, x2", 0xFFFF_FFFF_FFFF_FFFFUL, 1UL, 0UL, 0xFFFF_FFFF_FFFF_FFFFUL)]
    [TestCase("smulh x0, x1, x2", 0x8000_0000_0000_0000UL, 0x8000_0000_0000_0000UL, 0UL, 0x4000_0000_0000_0000UL)]
    [TestCase("smulh x0, x1, x2", 0x8000_0000_0000_0000UL, 0x7FFF_FFFF_FFFF_FFFFUL, 0UL, 0xC000_0000_0000_0000UL)]
    [TestCase("smulh x0, x1, x2", 0x1_0000_0000UL, 0x1_0000_0000UL, 0UL, 1UL)]
    [TestCase("umulh x0, x1, x2", 0xFFFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFF_FFFF_FFFFUL, 0UL, 0xFFFF_FFFF_FFFF_FFFEUL)]
    [TestCase("umulh x0, x1, x2", 0x8000_0000_0000_0000UL, 2UL, 0UL, 1UL)]
    [TestCase("umulh x0, x1, x2", 0xFFFF_FFFF_FFFF_FFFFUL, 1UL, 0UL, 0UL)]
    public void Multiply(string asm, ulong x1, ulong x2, ulong x3, ulong expected)
    {
        var r = Exec.Of(asm).X(0, 0xDEAD_BEEF_DEAD_BEEF).X(1, x1).X(2, x2).X(3, x3).Flags(0b1001).Run();
        Assert.That(r[0], Is.EqualTo(expected));
        Assert.That(r.Nzcv, Is.EqualTo(0b1001u), "multiplies set no flags");
    }
}
