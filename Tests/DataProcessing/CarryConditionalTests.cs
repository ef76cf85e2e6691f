using NUnit.Framework;

namespace Aegis.Tests.DataProcessing;

/// <summary>
/// ADC/ADCS/SBC/SBCS (carry in = PSTATE.C), CSEL/CSINC/CSINV/CSNEG and CCMN/CCMP. Expected values are
/// the Arm ARM pseudocode (AddWithCarry, ConditionHolds) worked by hand; flags are the 4-bit N:Z:C:V.
/// </summary>
public class CarryConditionalTests
{
    [TestCase("adcs x0, x1, x2", 0b0010u, 0xFFFF_FFFF_FFFF_FFFFUL, 0UL, 0UL, 0b0110u)]
    [TestCase("adcs x0, x1, x2", 0b0000u, 0xFFFF_FFFF_FFFF_FFFFUL, 0UL, 0xFFFF_FFFF_FFFF_FFFFUL, 0b1000u)]
    [TestCase("adcs x0, x1, x2", 0b0010u, 0x7FFF_FFFF_FFFF_FFFFUL, 0UL, 0x8000_0000_0000_0000UL, 0b1001u)]
    [TestCase("adcs w0, w1, w2", 0b0010u, 0xFFFF_FFFFUL, 0xFFFF_FFFFUL, 0xFFFF_FFFFUL, 0b1010u)]
    [TestCase("sbcs x0, x1, x2", 0b0000u, 5UL, 5UL, 0xFFFF_FFFF_FFFF_FFFFUL, 0b1000u)]
    [TestCase("sbcs x0, x1, x2", 0b0010u, 5UL, 5UL, 0UL, 0b0110u)]
    [TestCase("sbcs w0, w1, w2", 0b0010u, 0x8000_0000UL, 1UL, 0x7FFF_FFFFUL, 0b0011u)]
    [TestCase("sbcs w0, w1, w2", 0b0000u, 0UL, 0xFFFF_FFFFUL, 0UL, 0b0100u)]
    [TestCase("ngcs x0, x2", 0b0010u, 0UL, 0UL, 0UL, 0b0110u)]
    public void FlagSettingCarry(string asm, uint flagsIn, ulong x1, ulong x2, ulong expected, uint nzcv)
    {
        var r = Exec.Of(asm).X(0, 0xDEAD_BEEF_DEAD_BEEF).X(1, x1).X(2, x2).Flags(flagsIn).Run();
        Assert.That(r[0], Is.EqualTo(expected));
        Assert.That(r.Nzcv, Is.EqualTo(nzcv));
    }

    [TestCase("adc x0, x1, x2", 0b0010u, 1UL, 2UL, 4UL)]
    [TestCase("adc w0, w1, w2", 0b1111u, 0x7FFF_FFFFUL, 0UL, 0x8000_0000UL)]
    [TestCase("adc w0, w1, w2", 0b0010u, 0xFFFF_FFFFUL, 0UL, 0UL)]
    [TestCase("sbc x0, x1, x2", 0b0000u, 10UL, 3UL, 6UL)]
    [TestCase("sbc w0, w1, w2", 0b0000u, 0UL, 0UL, 0xFFFF_FFFFUL)]
    [TestCase("sbc w0, w1, w2", 0b1010u, 0UL, 0UL, 0UL)]
    public void CarryWithoutFlags(string asm, uint flagsIn, ulong x1, ulong x2, ulong expected)
    {
        var r = Exec.Of(asm).X(0, 0xDEAD_BEEF_DEAD_BEEF).X(1, x1).X(2, x2).Flags(flagsIn).Run();
        Assert.That(r[0], Is.EqualTo(expected));
        Assert.That(r.Nzcv, Is.EqualTo(flagsIn));
    }

    [TestCase("csel x0, x1, x2, eq", 0b0100u, 0x11UL)]
    [TestCase("csel x0, x1, x2, eq", 0b0000u, 0xFFFF_FFFF_FFFF_FFFFUL)]
    [TestCase("csel w0, w1, w2, ne", 0b0000u, 0x11UL)]
    [TestCase("csel x0, x1, x2, al", 0b0000u, 0x11UL)]
    [TestCase("csinc x0, x1, x2, mi", 0b0000u, 0UL)]
    [TestCase("csinc w0, w1, w2, mi", 0b1000u, 0x11UL)]
    [TestCase("csinc w0, w1, w2, pl", 0b1000u, 0UL)]
    [TestCase("csinv x0, x1, x2, ge", 0b1000u, 0UL)]
    [TestCase("csinv x0, x1, x2, ge", 0b1001u, 0x11UL)]
    [TestCase("csinv w0, w3, w3, lt", 0b0000u, 0xEDCB_A987UL)]
    [TestCase("csneg x0, x1, x3, hi", 0b0110u, 0xFFFF_FFFF_EDCB_A988UL)]
    [TestCase("csneg x0, x1, x3, hi", 0b0010u, 0x11UL)]
    [TestCase("csneg w0, w1, w3, vs", 0b0000u, 0xEDCB_A988UL)]
    [TestCase("cset x0, hi", 0b0010u, 1UL)]
    [TestCase("cset w0, ls", 0b0010u, 0UL)]
    [TestCase("csetm x0, gt", 0b0000u, 0xFFFF_FFFF_FFFF_FFFFUL)]
    [TestCase("csetm x0, gt", 0b0100u, 0UL)]
    [TestCase("cinc x0, x2, le", 0b1000u, 0UL)]
    [TestCase("cneg w0, w2, cc", 0b0000u, 1UL)]
    public void ConditionalSelect(string asm, uint flags, ulong expected)
    {
        // x1 = 0x11, x2 = all ones, x3 = 0x12345678.
        var r = Exec.Of(asm).X(0, 0xDEAD_BEEF_DEAD_BEEF).X(1, 0x11).X(2, ulong.MaxValue).X(3, 0x1234_5678).Flags(flags).Run();
        Assert.That(r[0], Is.EqualTo(expected));
        Assert.That(r.Nzcv, Is.EqualTo(flags));
    }

    [TestCase("ccmp x1, x2, #0b0101, eq", 0b0100u, 3UL, 5UL, 0b1000u, TestName = "CCMP reg: cond holds, compares 3 with 5")]
    [TestCase("ccmp x1, x2, #0b0101, eq", 0b0000u, 3UL, 5UL, 0b0101u, TestName = "CCMP reg: cond fails, takes #nzcv")]
    [TestCase("ccmp w1, w2, #0, ne", 0b0000u, 0x8000_0000UL, 1UL, 0b0011u, TestName = "CCMP reg 32: INT_MIN - 1 overflows")]
    [TestCase("ccmp x1, #31, #0b1111, al", 0b0000u, 31UL, 0UL, 0b0110u, TestName = "CCMP imm: AL always compares")]
    [TestCase("ccmp w1, #0, #0b1111, nv", 0b0000u, 0UL, 0UL, 0b0110u, TestName = "CCMP imm: NV also always compares")]
    [TestCase("ccmp x1, #1, #0b0010, lt", 0b0000u, 0UL, 0UL, 0b0010u, TestName = "CCMP imm: LT fails with N == V")]
    [TestCase("ccmn x1, x2, #0, mi", 0b1000u, 0x8000_0000_0000_0000UL, 0x8000_0000_0000_0000UL, 0b0111u, TestName = "CCMN reg: MIN + MIN")]
    [TestCase("ccmn w1, #1, #0b1000, cs", 0b0010u, 0xFFFF_FFFFUL, 0UL, 0b0110u, TestName = "CCMN imm 32: carry out")]
    [TestCase("ccmn w1, #1, #0b1000, cs", 0b0000u, 0xFFFF_FFFFUL, 0UL, 0b1000u, TestName = "CCMN imm: cond fails")]
    public void ConditionalCompare(string asm, uint flagsIn, ulong x1, ulong x2, uint nzcv)
    {
        var r = Exec.Of(asm).X(1, x1).X(2, x2).Flags(flagsIn).Run();
        Assert.That(r.Nzcv, Is.EqualTo(nzcv));
    }
}
