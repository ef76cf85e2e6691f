using NUnit.Framework;

namespace Aegis.Tests.DataProcessing;

/// <summary>
/// CLZ, CLS, RBIT, REV16, REV32, REV; LSLV/LSRV/ASRV/RORV (amount taken modulo the register width);
/// UDIV/SDIV (divide by zero gives zero, INT_MIN / -1 gives INT_MIN: Arm ARM, "Integer divide").
/// Expected values are the pseudocode worked by hand.
/// </summary>
public class OneTwoSourceTests
{
    [TestCase("clz x0, x1", 0UL, 64UL)]
    [TestCase("clz x0, x1", 1UL, 63UL)]
    [TestCase("clz x0, x1", 0x8000_0000_0000_0000UL, 0UL)]
    [TestCase("clz w0, w1", 0xFFFF_FFFF_0000_0000UL, 32UL)]
    [TestCase("clz w0, w1", 0x0000_8000UL, 16UL)]
    [TestCase("cls x0, x1", 0UL, 63UL)]
    [TestCase("cls x0, x1", 0xFFFF_FFFF_FFFF_FFFFUL, 63UL)]
    [TestCase("cls x0, x1", 0x8000_0000_0000_0000UL, 0UL)]
    [TestCase("cls x0, x1", 0x0000_FFFF_FFFF_FFFFUL, 15UL)]
    [TestCase("cls x0, x1", 0x4000_0000_0000_0000UL, 0UL)]
    [TestCase("cls w0, w1", 0xFFFF_FFFF_FFFF_8000UL, 16UL)]
    [TestCase("cls w0, w1", 0x1_0000_0000UL, 31UL)]
    [TestCase("rbit x0, x1", 1UL, 0x8000_0000_0000_0000UL)]
    [TestCase("rbit x0, x1", 0x0123_4567_89AB_CDEFUL, 0xF7B3_D591_E6A2_C480UL)]
    [TestCase("rbit w0, w1", 0x1_0000_0001UL, 0x8000_0000UL)]
    [TestCase("rbit w0, w1", 0x0000_00F0UL, 0x0F00_0000UL)]
    [TestCase("rev16 x0, x1", 0x0011_2233_4455_6677UL, 0x1100_3322_5544_7766UL)]
    [TestCase("rev16 w0, w1", 0x0011_2233_4455_6677UL, 0x5544_7766UL)]
    [TestCase("rev32 x0, x1", 0x0011_2233_4455_6677UL, 0x3322_1100_7766_5544UL)]
    [TestCase("rev w0, w1", 0x0011_2233_4455_6677UL, 0x7766_5544UL)]
    [TestCase("rev x0, x1", 0x0011_2233_4455_6677UL, 0x7766_5544_3322_1100UL)]
    public void OneSource(string asm, ulong x1, ulong expected) =>
        Assert.That(Exec.Of(asm).X(0, 0xDEAD_BEEF_DEAD_BEEF).X(1, x1).X0(), Is.EqualTo(expected));

    [TestCase("lslv x0, x1, x2", 0x8000_0000_0000_0001UL, 64UL, 0x8000_0000_0000_0001UL)]
    [TestCase("lslv x0, x1, x2", 0x8000_0000_0000_0001UL, 65UL, 2UL)]
    [TestCase("lslv x0, x1, x2", 1UL, 0xFFFF_FFFF_FFFF_FFFFUL, 0x8000_0000_0000_0000UL)]
    [TestCase("lslv w0, w1, w2", 1UL, 32UL, 1UL)]
    [TestCase("lslv w0, w1, w2", 3UL, 0x1_0000_001FUL, 0x8000_0000UL)]
    [TestCase("lsrv x0, x1, x2", 0x8000_0000_0000_0000UL, 127UL, 1UL)]
    [TestCase("lsrv w0, w1, w2", 0xFFFF_FFFF_8000_0000UL, 33UL, 0x4000_0000UL)]
    [TestCase("asrv x0, x1, x2", 0x8000_0000_0000_0000UL, 127UL, 0xFFFF_FFFF_FFFF_FFFFUL)]
    [TestCase("asrv x0, x1, x2", 0x8000_0000_0000_0000UL, 64UL, 0x8000_0000_0000_0000UL)]
    [TestCase("asrv w0, w1, w2", 0x8000_0000UL, 31UL, 0xFFFF_FFFFUL)]
    [TestCase("asrv w0, w1, w2", 0x8000_0000UL, 0xFFFF_FFE4UL, 0xF800_0000UL)]
    [TestCase("rorv w0, w1, w2", 1UL, 0xFFFF_FFFFUL, 2UL)]
    [TestCase("rorv x0, x1, x2", 0x0123_4567_89AB_CDEFUL, 68UL, 0xF012_3456_789A_BCDEUL)]
    [TestCase("rorv x0, x1, x2", 0x0123_4567_89AB_CDEFUL, 0UL, 0x0123_4567_89AB_CDEFUL)]
    [TestCase("udiv x0, x1, x2", 7UL, 0UL, 0UL)]
    [TestCase("udiv x0, x1, x2", 0xFFFF_FFFF_FFFF_FFFFUL, 2UL, 0x7FFF_FFFF_FFFF_FFFFUL)]
    [TestCase("udiv x0, x1, x2", 0xFFFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFF_FFFF_FFFFUL, 1UL)]
    [TestCase("udiv w0, w1, w2", 0xFFFF_FFFF_FFFF_FFFFUL, 1UL, 0xFFFF_FFFFUL)]
    [TestCase("udiv w0, w1, w2", 100UL, 0x1_0000_0000UL, 0UL)]
    [TestCase("sdiv x0, x1, x2", 0x8000_0000_0000_0000UL, 0xFFFF_FFFF_FFFF_FFFFUL, 0x8000_0000_0000_0000UL)]
    [TestCase("sdiv x0, x1, x2", 0xFFFF_FFFF_FFFF_FFF9UL, 2UL, 0xFFFF_FFFF_FFFF_FFFDUL)]
    [TestCase("sdiv x0, x1, x2", 7UL, 0xFFFF_FFFF_FFFF_FFFEUL, 0xFFFF_FFFF_FFFF_FFFDUL)]
    [TestCase("sdiv x0, x1, x2", 7UL, 0xFFFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFF_FFFF_FFF9UL)]
    [TestCase("sdiv x0, x1, x2", 0x8000_0000_0000_0000UL, 0UL, 0UL)]
    [TestCase("sdiv w0, w1, w2", 0x8000_0000UL, 0xFFFF_FFFFUL, 0x8000_0000UL)]
    [TestCase("sdiv w0, w1, w2", 0xFFFF_FFF9UL, 2UL, 0xFFFF_FFFDUL)]
    [TestCase("sdiv w0, w1, w2", 0x7FFF_FFFFUL, 0UL, 0UL)]
    [TestCase("sdiv w0, w1, w2", 0x1_0000_0006UL, 0xFFFF_FFFF_0000_0003UL, 2UL)]
    public void TwoSource(string asm, ulong x1, ulong x2, ulong expected)
    {
        var r = Exec.Of(asm).X(0, 0xDEAD_BEEF_DEAD_BEEF).X(1, x1).X(2, x2).Flags(0b0110).Run();
        Assert.That(r[0], Is.EqualTo(expected));
        Assert.That(r.Nzcv, Is.EqualTo(0b0110u), "no flags change");
    }
}
