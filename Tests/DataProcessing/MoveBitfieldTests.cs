using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.DataProcessing;

/// <summary>
/// MOVN/MOVZ/MOVK, SBFM/BFM/UBFM and their aliases, EXTR, ADR/ADRP. Expected values are the Arm ARM
/// pseudocode (and the aliases' documented meanings) worked by hand.
/// </summary>
public class MoveBitfieldTests
{
    [TestCase("movz x0, #0xbeef, lsl #48", 0UL, 0xBEEF_0000_0000_0000UL)]
    [TestCase("movz w0, #0xbeef, lsl #16", 0UL, 0xBEEF_0000UL)]
    [TestCase("movn x0, #0", 0UL, 0xFFFF_FFFF_FFFF_FFFFUL)]
    [TestCase("movn x0, #0x1234, lsl #32", 0UL, 0xFFFF_EDCB_FFFF_FFFFUL)]
    [TestCase("movn w0, #0x1234, lsl #16", 0UL, 0xEDCB_FFFFUL)]
    [TestCase("movn w0, #0", 0UL, 0xFFFF_FFFFUL)]
    [TestCase("movk x0, #0xcafe, lsl #32", 0x1111_2222_3333_4444UL, 0x1111_CAFE_3333_4444UL)]
    [TestCase("movk x0, #0, lsl #48", 0xFFFF_FFFF_FFFF_FFFFUL, 0x0000_FFFF_FFFF_FFFFUL)]
    [TestCase("movk w0, #0xcafe, lsl #16", 0xFFFF_FFFF_1234_5678UL, 0xCAFE_5678UL)]
    [TestCase("movk w0, #0xcafe", 0xFFFF_FFFF_1234_5678UL, 0x1234_CAFEUL)]
    public void MoveWide(string asm, ulong x0, ulong expected) =>
        Assert.That(Exec.Of(asm).X(0, x0).X0(), Is.EqualTo(expected));

    [TestCase("ubfx x0, x1, #60, #4", 0xABCD_0000_0000_0000UL, 0UL, 0xAUL)]
    [TestCase("sbfx w0, w1, #4, #8", 0x0000_0F80UL, 0UL, 0xFFFF_FFF8UL)]
    [TestCase("sbfx x0, x1, #4, #8", 0x0000_0780UL, 0UL, 0x78UL)]
    [TestCase("sbfiz x0, x1, #60, #4", 0xFUL, 0UL, 0xF000_0000_0000_0000UL)]
    [TestCase("sbfiz x0, x1, #60, #4", 0x7UL, 0UL, 0x7000_0000_0000_0000UL)]
    [TestCase("sbfiz w0, w1, #1, #3", 0x4UL, 0UL, 0xFFFF_FFF8UL)]
    [TestCase("ubfiz w0, w1, #28, #4", 0xFFUL, 0UL, 0xF000_0000UL)]
    [TestCase("bfi x0, x1, #8, #16", 0x1234UL, 0xFFFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFF_FF12_34FFUL)]
    [TestCase("bfi w0, w1, #31, #1", 0x1UL, 0xFFFF_FFFF_0000_0000UL, 0x8000_0000UL)]
    [TestCase("bfxil w0, w1, #28, #4", 0x5000_0000UL, 0xFFFF_FFFF_AAAA_AAAAUL, 0xAAAA_AAA5UL)]
    [TestCase("bfxil x0, x1, #0, #64", 0x0123_4567_89AB_CDEFUL, 0xFFFF_FFFF_FFFF_FFFFUL, 0x0123_4567_89AB_CDEFUL)]
    [TestCase("bfi x0, xzr, #4, #56", 0UL, 0xFFFF_FFFF_FFFF_FFFFUL, 0xF000_0000_0000_000FUL)]
    [TestCase("asr x0, x1, #63", 0x8000_0000_0000_0000UL, 0UL, 0xFFFF_FFFF_FFFF_FFFFUL)]
    [TestCase("asr w0, w1, #31", 0x8000_0000UL, 0UL, 0xFFFF_FFFFUL)]
    [TestCase("asr x0, x1, #0", 0x8000_0000_0000_0001UL, 0UL, 0x8000_0000_0000_0001UL)]
    [TestCase("lsl w0, w1, #31", 3UL, 0UL, 0x8000_0000UL)]
    [TestCase("lsl x0, x1, #1", 0xC000_0000_0000_0001UL, 0UL, 0x8000_0000_0000_0002UL)]
    [TestCase("lsl x0, x1, #63", 3UL, 0UL, 0x8000_0000_0000_0000UL)]
    [TestCase("lsr x0, x1, #63", 0x8000_0000_0000_0000UL, 0UL, 1UL)]
    [TestCase("lsr w0, w1, #0", 0xFFFF_FFFF_8000_0000UL, 0UL, 0x8000_0000UL)]
    [TestCase("sxtb x0, w1", 0x80UL, 0UL, 0xFFFF_FFFF_FFFF_FF80UL)]
    [TestCase("sxth w0, w1", 0x8000UL, 0UL, 0xFFFF_8000UL)]
    [TestCase("sxtw x0, w1", 0x8000_0000UL, 0UL, 0xFFFF_FFFF_8000_0000UL)]
    [TestCase("uxtb w0, w1", 0xFFFF_FFFF_FFFF_FF80UL, 0UL, 0x80UL)]
    [TestCase("uxth w0, w1", 0xFFFF_FFFF_FFFF_1234UL, 0UL, 0x1234UL)]
    [TestCase("sbfm x0, x1, #63, #62", 0x3UL, 0UL, 0x6UL)]
    [TestCase("ubfm w0, w1, #31, #31", 0x8000_0000UL, 0UL, 0x1UL)]
    [TestCase("ubfm w0, w1, #0, #31", 0xFFFF_FFFF_8765_4321UL, 0UL, 0x8765_4321UL)]
    [TestCase("sbfm x0, x1, #1, #0", 0x1UL, 0UL, 0x8000_0000_0000_0000UL)]
    [TestCase("ubfm x0, x1, #32, #63", 0x8765_4321_0000_0000UL, 0UL, 0x8765_4321UL)]
    [TestCase("bfm x0, x1, #63, #0", 0x1UL, 0UL, 0x2UL)]
    public void Bitfield(string asm, ulong x1, ulong x0, ulong expected) =>
        Assert.That(Exec.Of(asm).X(0, x0).X(1, x1).X0(), Is.EqualTo(expected));

    [TestCase("extr x0, x1, x2, #8", 0x1122_3344_5566_7788UL, 0x99AA_BBCC_DDEE_FF00UL, 0x8899_AABB_CCDD_EEFFUL)]
    [TestCase("extr x0, x1, x2, #0", 0x1122_3344_5566_7788UL, 0x99AA_BBCC_DDEE_FF00UL, 0x99AA_BBCC_DDEE_FF00UL)]
    [TestCase("extr x0, x1, x2, #63", 0x1122_3344_5566_7788UL, 0x8000_0000_0000_0000UL, 0x2244_6688_AACC_EF11UL)]
    [TestCase("extr w0, w1, w2, #31", 0x1UL, 0x8000_0000UL, 0x3UL)]
    [TestCase("extr w0, w1, w2, #0", 0xFFFF_FFFFUL, 0xFFFF_FFFF_1234_5678UL, 0x1234_5678UL)]
    [TestCase("extr w0, w1, w2, #16", 0xAAAA_5678UL, 0x1234_BBBBUL, 0x5678_1234UL)]
    [TestCase("ror x0, x1, #4", 0x1234_5678_9ABC_DEF0UL, 0UL, 0x0123_4567_89AB_CDEFUL)]
    [TestCase("ror w0, w1, #4", 0xFFFF_FFFF_1234_5678UL, 0UL, 0x8123_4567UL)]
    public void Extract(string asm, ulong x1, ulong x2, ulong expected) =>
        Assert.That(Exec.Of(asm).X(0, 0xDEAD_BEEF_DEAD_BEEF).X(1, x1).X(2, x2).X0(), Is.EqualTo(expected));

    [Test]
    public void AdrIsPcRelative()
    {
        // ADR: X[d] = PC + SignExtend(immhi:immlo); the PC is the ADR's own address (second instruction here).
        var r = Exec.Of("adr x0, #0x1234", "adr x1, #-4", "adr x2, #-0x100000", "adr x3, #0xfffff").Run();
        ulong b = CpuHarness.CodeBase;
        Assert.That(r[0], Is.EqualTo(b + 0x1234));
        Assert.That(r[1], Is.EqualTo(b + 4 - 4));
        Assert.That(r[2], Is.EqualTo(b + 8 - 0x100000));
        Assert.That(r[3], Is.EqualTo(b + 12 + 0xFFFFF));
    }

    [Test]
    public void AdrpClearsThePcPageOffset()
    {
        // ADRP: X[d] = PC<63:12>:Zeros(12) + SignExtend(immhi:immlo:Zeros(12)); run from a page offset of 0xFF8.
        ulong at = CpuHarness.CodeBase + 0x2FF8;
        var r = Exec.Of("adrp x0, #0x3000", "adrp x1, #-0x1000", "adrp x2, #0xfffff000", "adrp x3, #-0x100000000").At(at).Run();
        Assert.That(r[0], Is.EqualTo(CpuHarness.CodeBase + 0x2000 + 0x3000));
        Assert.That(r[1], Is.EqualTo(CpuHarness.CodeBase + 0x2000 - 0x1000));
        Assert.That(r[2], Is.EqualTo(CpuHarness.CodeBase + 0x3000 + 0xFFFF_F000), "third ADRP sits in the next page");
        Assert.That(r[3], Is.EqualTo(unchecked(CpuHarness.CodeBase + 0x3000 - 0x1_0000_0000)));
    }
}
