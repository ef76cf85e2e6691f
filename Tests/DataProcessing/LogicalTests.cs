using Aegis.Emulator.Cpu.Instructions;
using NUnit.Framework;

namespace Aegis.Tests.DataProcessing;

/// <summary>
/// AND/ORR/EOR/ANDS (immediate) and AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register). Expected
/// values are the Arm ARM pseudocode worked by hand (the immediates are llvm-mc's encodings of the
/// written bitmask); ANDS/BICS set N and Z from the result and clear C and V.
/// </summary>
public class LogicalTests
{
    [TestCase("and x0, x1, #0xff00ff00ff00ff00", 0xFFFF_FFFF_FFFF_FFFFUL, 0xFF00_FF00_FF00_FF00UL)]
    [TestCase("and x0, x1, #0x8000000000000001", 0xFFFF_FFFF_FFFF_FFFFUL, 0x8000_0000_0000_0001UL)]
    [TestCase("orr w0, wzr, #0x55555555", 0UL, 0x5555_5555UL)]
    [TestCase("orr x0, x1, #0xfffffffffffffffe", 0UL, 0xFFFF_FFFF_FFFF_FFFEUL)]
    [TestCase("eor x0, x1, #0x1", 0x8000_0000_0000_0001UL, 0x8000_0000_0000_0000UL)]
    [TestCase("eor w0, w1, #0xf0f0f0f0", 0xFFFF_FFFF_FFFF_FFFFUL, 0x0F0F_0F0FUL)]
    [TestCase("and w0, w1, #0x3", 0xFFFF_FFFF_FFFF_FFFFUL, 3UL)]
    [TestCase("mov x0, #0x00ff00ff00ff00ff", 0UL, 0x00FF_00FF_00FF_00FFUL)]
    [TestCase("eor x0, x1, #0x3333333333333333", 0xFFFF_0000_FFFF_0000UL, 0xCCCC_3333_CCCC_3333UL)]
    [TestCase("and x0, x1, #0x7fffffffffffffff", 0xFFFF_FFFF_FFFF_FFFFUL, 0x7FFF_FFFF_FFFF_FFFFUL)]
    [TestCase("orr x0, x1, #0x6", 0x1UL, 0x7UL)]
    public void LogicalImmediate(string asm, ulong x1, ulong expected)
    {
        var r = Exec.Of(asm).X(0, 0xDEAD_BEEF_DEAD_BEEF).X(1, x1).Flags(0b0101).Run();
        Assert.That(r[0], Is.EqualTo(expected));
        Assert.That(r.Nzcv, Is.EqualTo(0b0101u), "AND/ORR/EOR leave the flags");
    }

    [TestCase("ands x0, x1, #0x8000000000000000", 0xFFFF_FFFF_FFFF_FFFFUL, 0UL, 0x8000_0000_0000_0000UL, 0b1000u)]
    [TestCase("ands w0, w1, #0x80000000", 0x0000_0000_8000_0000UL, 0UL, 0x8000_0000UL, 0b1000u)]
    [TestCase("ands w0, w1, #0x7fffffff", 0xFFFF_FFFF_8000_0000UL, 0UL, 0UL, 0b0100u)]
    [TestCase("tst x1, #0x7", 8UL, 0UL, 0xDEAD_BEEF_DEAD_BEEFUL, 0b0100u)]
    [TestCase("ands x0, x1, x2, ror #1", 3UL, 0x3UL, 1UL, 0b0000u)]
    [TestCase("ands x0, x1, x2, ror #1", 0xFFFF_FFFF_FFFF_FFFFUL, 0x1UL, 0x8000_0000_0000_0000UL, 0b1000u)]
    [TestCase("bics w0, w1, w2", 0xFFFF_FFFFUL, 0x7FFF_FFFFUL, 0x8000_0000UL, 0b1000u)]
    [TestCase("bics x0, x1, x2, lsl #1", 0x6UL, 0x3UL, 0UL, 0b0100u)]
    public void FlagSettingLogicalClearsCAndV(string asm, ulong x1, ulong x2, ulong expected, uint nzcv)
    {
        var r = Exec.Of(asm).X(0, 0xDEAD_BEEF_DEAD_BEEF).X(1, x1).X(2, x2).Flags(0b0011).Run();
        Assert.That(r[0], Is.EqualTo(expected));
        Assert.That(r.Nzcv, Is.EqualTo(nzcv));
    }

    [TestCase("and x0, x1, x2, lsr #60", 0xFFUL, 0xA000_0000_0000_0000UL, 0xAUL)]
    [TestCase("bic x0, x1, x2, lsl #4", 0xFFFFUL, 0xFUL, 0xFF0FUL)]
    [TestCase("orr w0, w1, w2, lsl #16", 0x1234UL, 0xFFFF_5678UL, 0x5678_1234UL)]
    [TestCase("orn w0, w1, w2, ror #8", 0UL, 0x0000_00FFUL, 0x00FF_FFFFUL)]
    [TestCase("orn x0, xzr, x2", 0UL, 0x0F0F_0F0F_0F0F_0F0FUL, 0xF0F0_F0F0_F0F0_F0F0UL)]
    [TestCase("eor x0, x1, x2, asr #63", 0x1234UL, 0x8000_0000_0000_0000UL, 0xFFFF_FFFF_FFFF_EDCBUL)]
    [TestCase("eon x0, x1, x2, asr #63", 0x1234UL, 0x8000_0000_0000_0000UL, 0x1234UL)]
    [TestCase("eon w0, w1, w2", 0xFFFF_FFFF_0000_0000UL, 0UL, 0xFFFF_FFFFUL)]
    [TestCase("mvn w0, w2", 0UL, 0xFFFF_FFFF_0000_FFFFUL, 0xFFFF_0000UL)]
    [TestCase("mov x0, x2", 0UL, 0x0123_4567_89AB_CDEFUL, 0x0123_4567_89AB_CDEFUL)]
    [TestCase("mov w0, w2", 0UL, 0x0123_4567_89AB_CDEFUL, 0x89AB_CDEFUL)]
    [TestCase("orr w0, w1, w2, ror #31", 0UL, 0x8000_0001UL, 0x0000_0003UL)]
    public void LogicalShiftedRegister(string asm, ulong x1, ulong x2, ulong expected)
    {
        var r = Exec.Of(asm).X(0, 0xDEAD_BEEF_DEAD_BEEF).X(1, x1).X(2, x2).Flags(0b1111).Run();
        Assert.That(r[0], Is.EqualTo(expected));
        Assert.That(r.Nzcv, Is.EqualTo(0b1111u));
    }

    [Test]
    public void LogicalImmediateCanWriteSp()
    {
        // Arm ARM AND (immediate): Rd = 31 is SP for AND/ORR/EOR (used to align the stack).
        var r = Exec.Of("and sp, x1, #0xfffffffffffffff0", "orr x3, xzr, #0x1").X(1, 0x4010_0FFF).Run();
        Assert.That(r.SpValue, Is.EqualTo(0x4010_0FF0UL));
        Assert.That(r[3], Is.EqualTo(1UL), "Rn = 31 of a logical immediate reads XZR");
    }

    /// <summary>DecodeBitMasks against a direct construction of every valid logical immediate.</summary>
    [Test]
    public void DecodeBitMasksMatchesTheElementConstruction()
    {
        // The architecture's definition (Arm ARM "logical immediate"): an element of size e in
        // {2,4,...,64} holding s+1 consecutive ones (s+1 < e), rotated right by r, replicated.
        var values = new HashSet<ulong>();
        for (uint n = 0; n < 2; n++)
            for (uint immr = 0; immr < 64; immr++)
                for (uint imms = 0; imms < 64; imms++)
                {
                    bool ok = Arithmetic.DecodeBitMasks(n, imms, immr, true, 64, out ulong wmask, out _);
                    int e = n == 1 ? 64 : imms >= 0x3E ? 0 : 32 >> System.Numerics.BitOperations.LeadingZeroCount(~imms << 26);
                    ulong? expected = null;
                    if (e >= 2)
                    {
                        int s = (int)(imms & (uint)(e - 1)), r = (int)(immr & (uint)(e - 1));
                        if (s != e - 1)
                        {
                            ulong elem = s + 1 == 64 ? ulong.MaxValue : (1UL << (s + 1)) - 1;
                            if (r != 0) elem = ((elem >> r) | (elem << (e - r))) & (e == 64 ? ulong.MaxValue : (1UL << e) - 1);
                            ulong v = 0;
                            for (int k = 0; k < 64; k += e) v |= elem << k;
                            expected = v;
                        }
                    }
                    Assert.That(ok, Is.EqualTo(expected.HasValue), $"N={n} immr={immr} imms={imms}");
                    if (ok) { Assert.That(wmask, Is.EqualTo(expected!.Value), $"N={n} immr={immr} imms={imms}"); values.Add(wmask); }
                }
        Assert.That(values, Has.Count.EqualTo(5334), "the number of distinct 64-bit logical immediates");
    }
}
