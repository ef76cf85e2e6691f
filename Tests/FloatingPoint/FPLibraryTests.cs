using Aegis.Emulator.Cpu.FloatingPoint;
using NUnit.Framework;
using static Aegis.Emulator.Cpu.FloatingPoint.FPBits;
using static Aegis.Emulator.Cpu.FloatingPoint.FPOps;

namespace Aegis.Tests.FloatingPoint;

/// <summary>
/// The FP library against values worked out by hand from the Arm ARM pseudocode (FPUnpack, FPRound, FPRoundInt,
/// FPToFixed, FPConvert, FPProcessNaNs, FPMulAdd ...): every case gives the expected result bits and FPSR flags.
/// </summary>
public class FPLibraryTests
{
    private const ulong One = 0x3F80_0000, Two = 0x4000_0000, Half = 0x3F00_0000, MinNormal = 0x0080_0000;
    private const ulong MaxNormal = 0x7F7F_FFFF, PlusInf = 0x7F80_0000, DefaultNaN = 0x7FC0_0000;
    private const ulong QNaN1 = 0x7FC0_0001, QNaN2 = 0xFFC0_0002, SNaN2 = 0x7F80_0002;

    private static ulong Rm(FPRounding r) => (ulong)r << RModeShift;

    private static (ulong Result, ulong Fpsr) Add(ulong a, ulong b, ulong fpcr = 0)
    {
        ulong fpsr = 0;
        return (FPAdd(a, b, 32, fpcr, ref fpsr), fpsr);
    }

    private static (ulong Result, ulong Fpsr) Mul(ulong a, ulong b, ulong fpcr = 0, int n = 32)
    {
        ulong fpsr = 0;
        return (FPMul(a, b, n, fpcr, ref fpsr), fpsr);
    }

    // ---- FPUnpack and flushing ----

    [Test]
    public void UnpackKeepsDenormalsWithoutFzAndFlushesThemWithIdcWithFz()
    {
        ulong fpsr = 0;
        var d = FPUnpack(0x8000_0001, 32, 0, ref fpsr);
        Assert.That((d.Type, d.Sign, d.Mant, d.Exp, fpsr), Is.EqualTo((FPType.Denormal, true, 1UL, -149, 0UL)), "-2^-149");
        var z = FPUnpack(0x8000_0001, 32, FZ, ref fpsr);
        Assert.That((z.Type, z.Sign, fpsr), Is.EqualTo((FPType.Zero, true, IDC)), "flushed to -0 with IDC");
    }

    [Test]
    public void HalfPrecisionIsNeverFlushedAndAhpMakesExponent31ANumber()
    {
        ulong fpsr = 0;
        var d = FPUnpack(0x0001, 16, FZ, ref fpsr);
        Assert.That((d.Type, d.Mant, d.Exp, fpsr), Is.EqualTo((FPType.Denormal, 1UL, -24, 0UL)));
        Assert.That(FPUnpack(0x7C00, 16, 0, ref fpsr).Type, Is.EqualTo(FPType.Infinity));
        var ahp = FPUnpack(0x7C00, 16, AHP, ref fpsr);
        Assert.That((ahp.Type, ahp.Mant << ahp.Exp), Is.EqualTo((FPType.Nonzero, 65536UL)), "2^16 in alternative half precision");
    }

    [Test]
    public void AFlushedDenormalAddsAsAZeroOfItsSign()
    {
        // -denormal + -0 with FZ: both zeros of the same sign -> -0 (IDC), not the +0 of an exact zero sum.
        Assert.That(Add(0x8000_0001, 0x8000_0000, FZ), Is.EqualTo((0x8000_0000UL, IDC)));
        Assert.That(Add(0x8000_0001, 0x8000_0000), Is.EqualTo((0x8000_0001UL, 0UL)), "without FZ the denormal is the sum");
    }

    // ---- FPRound: every rounding mode at a halfway case ----

    [TestCase(FPRounding.TIEEVEN, 0x3F80_0000u, 0xBF80_0000u)]
    [TestCase(FPRounding.POSINF, 0x3F80_0001u, 0xBF80_0000u)]
    [TestCase(FPRounding.NEGINF, 0x3F80_0000u, 0xBF80_0001u)]
    [TestCase(FPRounding.ZERO, 0x3F80_0000u, 0xBF80_0000u)]
    public void OnePlusHalfAnUlpRoundsByMode(FPRounding mode, uint positive, uint negative)
    {
        const ulong HalfUlp = 0x3380_0000;   // 2^-24: 1 + 2^-24 lies halfway between 1 and 1 + 2^-23
        Assert.That(Add(One, HalfUlp, Rm(mode)), Is.EqualTo(((ulong)positive, IXC)));
        Assert.That(Add(One | 0x8000_0000, HalfUlp | 0x8000_0000, Rm(mode)), Is.EqualTo(((ulong)negative, IXC)));
    }

    [Test]
    public void TiesToEvenRoundsUpFromAnOddNeighbour()
    {
        // (1 + 2^-23) + 2^-24 is halfway between 1 + 2^-23 (odd) and 1 + 2^-22 (even).
        Assert.That(Add(0x3F80_0001, 0x3380_0000), Is.EqualTo((0x3F80_0002UL, IXC)));
    }

    [TestCase(FPRounding.TIEEVEN, 0x7F80_0000u, 0xFF80_0000u)]
    [TestCase(FPRounding.POSINF, 0x7F80_0000u, 0xFF7F_FFFFu)]
    [TestCase(FPRounding.NEGINF, 0x7F7F_FFFFu, 0xFF80_0000u)]
    [TestCase(FPRounding.ZERO, 0x7F7F_FFFFu, 0xFF7F_FFFFu)]
    public void OverflowGivesInfinityOrTheLargestNormalByMode(FPRounding mode, uint positive, uint negative)
    {
        Assert.That(Mul(MaxNormal, Two, Rm(mode)), Is.EqualTo(((ulong)positive, OFC | IXC)));
        Assert.That(Mul(MaxNormal | 0x8000_0000, Two, Rm(mode)), Is.EqualTo(((ulong)negative, OFC | IXC)));
    }

    [Test]
    public void AnExactDenormalResultIsNotUnderflow()
    {
        Assert.That(Mul(MinNormal, Half), Is.EqualTo((0x0040_0000UL, 0UL)), "2^-127 is representable: no UFC, no IXC");
        Assert.That(Mul(MinNormal, Half, FZ), Is.EqualTo((0UL, UFC)), "with FZ the tiny result is flushed with UFC only");
    }

    [Test]
    public void HalfTheSmallestDenormalUnderflowsAndRoundsByMode()
    {
        Assert.That(Mul(0x0000_0001, Half), Is.EqualTo((0UL, UFC | IXC)), "tie to even: 0");
        Assert.That(Mul(0x0000_0001, Half, Rm(FPRounding.POSINF)), Is.EqualTo((1UL, UFC | IXC)));
        Assert.That(Mul(0x8000_0001, Half, Rm(FPRounding.NEGINF)), Is.EqualTo((0x8000_0001UL, UFC | IXC)));
    }

    [Test]
    public void TininessIsDetectedBeforeRounding()
    {
        // (1 - 2^-24) * 2^-126 = 2^-126 - 2^-150 rounds up to the smallest normal, but was tiny before rounding.
        Assert.That(Mul(0x3F7F_FFFF, MinNormal), Is.EqualTo((MinNormal, UFC | IXC)));
        Assert.That(Mul(0x3F7F_FFFF, MinNormal, FZ), Is.EqualTo((0UL, UFC)), "FZ flushes on the unrounded exponent");
    }

    // ---- NaNs ----

    [Test]
    public void SignallingNaNsComeFirstAndAreQuietened()
    {
        Assert.That(Add(QNaN1, SNaN2), Is.EqualTo((0x7FC0_0002UL, IOC)), "the second operand's SNaN beats the first's QNaN");
        Assert.That(Add(QNaN1, QNaN2), Is.EqualTo((QNaN1, 0UL)), "quiet NaNs: the first, no exception");
        Assert.That(Add(One, QNaN2), Is.EqualTo((QNaN2, 0UL)));
        Assert.That(Add(QNaN1, SNaN2, DN), Is.EqualTo((DefaultNaN, IOC)), "DN gives the default NaN");
    }

    [Test]
    public void InvalidOperationsGiveTheDefaultNaN()
    {
        Assert.That(Add(PlusInf, PlusInf | 0x8000_0000), Is.EqualTo((DefaultNaN, IOC)));
        Assert.That(Mul(0, PlusInf), Is.EqualTo((DefaultNaN, IOC)));
        ulong fpsr = 0;
        Assert.That(FPDiv(0, 0x8000_0000, 32, 0, ref fpsr), Is.EqualTo(DefaultNaN));
        Assert.That(FPSqrt(0xBF80_0000, 32, 0, ref fpsr), Is.EqualTo(DefaultNaN));
        Assert.That(fpsr, Is.EqualTo(IOC));
    }

    [Test]
    public void MulAddTakesTheAddendNaNFirstAndInfinityTimesZeroIsInvalidEvenWithAQuietNaNAddend()
    {
        ulong fpsr = 0;
        Assert.That(FPMulAdd(QNaN1, SNaN2, One, 32, 0, ref fpsr), Is.EqualTo(0x7FC0_0002UL), "SNaN before QNaN");
        Assert.That(fpsr, Is.EqualTo(IOC));
        fpsr = 0;
        Assert.That(FPMulAdd(QNaN1, QNaN2, One, 32, 0, ref fpsr), Is.EqualTo(QNaN1), "addend first among quiet NaNs");
        Assert.That(fpsr, Is.EqualTo(0UL));
        Assert.That(FPMulAdd(QNaN1, PlusInf, 0, 32, 0, ref fpsr), Is.EqualTo(DefaultNaN));
        Assert.That(fpsr, Is.EqualTo(IOC));
    }

    [Test]
    public void MulAddRoundsOnce()
    {
        // (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly; a separately rounded product would give 0.
        ulong fpsr = 0;
        Assert.That(FPMulAdd(0xBF80_0000, 0x3F80_0001, 0x3F7F_FFFE, 32, 0, ref fpsr), Is.EqualTo(0xA880_0000UL));
        Assert.That(fpsr, Is.EqualTo(0UL));
    }

    [Test]
    public void AnExactZeroSumIsMinusZeroOnlyWhenRoundingTowardsMinusInfinity()
    {
        Assert.That(Add(One, One | 0x8000_0000), Is.EqualTo((0UL, 0UL)));
        Assert.That(Add(One, One | 0x8000_0000, Rm(FPRounding.NEGINF)), Is.EqualTo((0x8000_0000UL, 0UL)));
    }

    [Test]
    public void DivideByZeroAndSquareRoot()
    {
        ulong fpsr = 0;
        Assert.That(FPDiv(0xBF80_0000, 0, 32, 0, ref fpsr), Is.EqualTo(0xFF80_0000UL));
        Assert.That(fpsr, Is.EqualTo(DZC));
        fpsr = 0;
        Assert.That(FPSqrt(Two, 32, 0, ref fpsr), Is.EqualTo(0x3FB5_04F3UL), "sqrt(2) to nearest");
        Assert.That(fpsr, Is.EqualTo(IXC));
        fpsr = 0;
        Assert.That(FPSqrt(0x4080_0000, 32, 0, ref fpsr), Is.EqualTo(Two), "sqrt(4) exact");
        Assert.That(FPSqrt(0x8000_0000, 32, 0, ref fpsr), Is.EqualTo(0x8000_0000UL), "sqrt(-0) = -0");
        Assert.That(fpsr, Is.EqualTo(0UL));
    }

    // ---- min, max, compare ----

    [Test]
    public void MaxMinOfZerosAndNumOfAQuietNaN()
    {
        ulong fpsr = 0;
        Assert.That(FPMax(0x8000_0000, 0, 32, 0, ref fpsr), Is.EqualTo(0UL));
        Assert.That(FPMin(0, 0x8000_0000, 32, 0, ref fpsr), Is.EqualTo(0x8000_0000UL));
        Assert.That(FPMax(QNaN1, One, 32, 0, ref fpsr), Is.EqualTo(QNaN1));
        Assert.That(FPMaxNum(QNaN1, One, 32, 0, ref fpsr), Is.EqualTo(One));
        Assert.That(FPMinNum(One, QNaN2, 32, 0, ref fpsr), Is.EqualTo(One));
        Assert.That(fpsr, Is.EqualTo(0UL));
        Assert.That(FPMaxNum(QNaN1, SNaN2, 32, 0, ref fpsr), Is.EqualTo(0x7FC0_0002UL), "a signalling NaN still propagates");
        Assert.That(fpsr, Is.EqualTo(IOC));
    }

    [Test]
    public void CompareSignalsOnQuietNaNsOnlyForFcmpe()
    {
        ulong fpsr = 0;
        Assert.That(FPCompare(QNaN1, One, false, 32, 0, ref fpsr), Is.EqualTo(0x3000_0000u));
        Assert.That(fpsr, Is.EqualTo(0UL));
        Assert.That(FPCompare(QNaN1, One, true, 32, 0, ref fpsr), Is.EqualTo(0x3000_0000u));
        Assert.That(fpsr, Is.EqualTo(IOC));
        fpsr = 0;
        Assert.That(FPCompare(One, SNaN2, false, 32, 0, ref fpsr), Is.EqualTo(0x3000_0000u));
        Assert.That(fpsr, Is.EqualTo(IOC));
        Assert.That(FPCompare(0x8000_0000, 0, false, 32, 0, ref fpsr), Is.EqualTo(0x6000_0000u), "-0 == +0");
        Assert.That(FPCompare(0xBF80_0000, One, false, 32, 0, ref fpsr), Is.EqualTo(0x8000_0000u));
        Assert.That(FPCompare(Two, One, false, 32, 0, ref fpsr), Is.EqualTo(0x2000_0000u));
    }

    // ---- integers ----

    [TestCase(0x4020_0000u, FPRounding.TIEEVEN, 2L, true)]     // 2.5
    [TestCase(0x4020_0000u, FPRounding.TIEAWAY, 3L, true)]
    [TestCase(0xC020_0000u, FPRounding.TIEAWAY, -3L, true)]
    [TestCase(0xC020_0000u, FPRounding.POSINF, -2L, true)]
    [TestCase(0xC020_0000u, FPRounding.NEGINF, -3L, true)]
    [TestCase(0xC020_0000u, FPRounding.ZERO, -2L, true)]
    [TestCase(0x4060_0000u, FPRounding.TIEEVEN, 4L, true)]     // 3.5
    [TestCase(0x4040_0000u, FPRounding.TIEEVEN, 3L, false)]    // 3.0
    public void FPToFixedRoundsByMode(uint op, FPRounding mode, long expected, bool inexact)
    {
        ulong fpsr = 0;
        Assert.That((long)FPToFixed(op, 32, 0, false, 64, 0, mode, ref fpsr), Is.EqualTo(expected));
        Assert.That(fpsr, Is.EqualTo(inexact ? IXC : 0UL));
    }

    [Test]
    public void FPToFixedSaturatesWithInvalidOperationOnly()
    {
        ulong fpsr = 0;
        Assert.That(FPToFixed(0x4F00_0000, 32, 0, false, 32, 0, FPRounding.ZERO, ref fpsr), Is.EqualTo(0x7FFF_FFFFUL), "2^31");
        Assert.That(fpsr, Is.EqualTo(IOC));
        fpsr = 0;
        Assert.That(FPToFixed(0xCF00_0000, 32, 0, false, 32, 0, FPRounding.ZERO, ref fpsr), Is.EqualTo(0x8000_0000UL), "-2^31 fits");
        Assert.That(fpsr, Is.EqualTo(0UL));
        Assert.That(FPToFixed(0xBFC0_0000, 32, 0, true, 64, 0, FPRounding.ZERO, ref fpsr), Is.EqualTo(0UL), "-1.5 unsigned");
        Assert.That(fpsr, Is.EqualTo(IOC));
        fpsr = 0;
        Assert.That(FPToFixed(0xBF00_0000, 32, 0, true, 64, 0, FPRounding.ZERO, ref fpsr), Is.EqualTo(0UL), "-0.5 unsigned truncates to 0");
        Assert.That(fpsr, Is.EqualTo(IXC));
        fpsr = 0;
        Assert.That(FPToFixed(QNaN1, 32, 0, false, 64, 0, FPRounding.ZERO, ref fpsr), Is.EqualTo(0UL));
        Assert.That(fpsr, Is.EqualTo(IOC));
        fpsr = 0;
        Assert.That(FPToFixed(0x3FC0_0000, 32, 4, false, 32, 0, FPRounding.ZERO, ref fpsr), Is.EqualTo(24UL), "1.5 with 4 fraction bits");
    }

    [Test]
    public void FixedToFPRoundsTheIntegerOnce()
    {
        ulong fpsr = 0;
        Assert.That(FixedToFP(0x0100_0001, 32, 0, false, 32, 0, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0x4B80_0000UL), "2^24 + 1 ties to 2^24");
        Assert.That(fpsr, Is.EqualTo(IXC));
        fpsr = 0;
        Assert.That(FixedToFP(0xFFFF_FFFF, 32, 0, false, 32, 0, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0xBF80_0000UL), "-1");
        Assert.That(FixedToFP(0xFFFF_FFFF, 32, 0, true, 64, 0, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0x41EF_FFFF_FFE0_0000UL), "2^32 - 1");
        Assert.That(FixedToFP(3, 64, 1, false, 32, 0, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0x3FC0_0000UL), "3 / 2");
        Assert.That(fpsr, Is.EqualTo(0UL));
    }

    [Test]
    public void RoundIntKeepsTheSignOfAZeroAndOnlyFrintxSignalsInexact()
    {
        ulong fpsr = 0;
        Assert.That(FPRoundInt(0xBE80_0000, 32, 0, FPRounding.POSINF, false, ref fpsr), Is.EqualTo(0x8000_0000UL), "-0.25 up is -0");
        Assert.That(FPRoundInt(0xBF00_0000, 32, 0, FPRounding.TIEAWAY, false, ref fpsr), Is.EqualTo(0xBF80_0000UL), "-0.5 away is -1");
        Assert.That(FPRoundInt(0x4020_0000, 32, 0, FPRounding.TIEEVEN, false, ref fpsr), Is.EqualTo(Two), "2.5 to even is 2");
        Assert.That(fpsr, Is.EqualTo(0UL));
        Assert.That(FPRoundInt(0x4020_0000, 32, 0, FPRounding.TIEEVEN, true, ref fpsr), Is.EqualTo(Two));
        Assert.That(fpsr, Is.EqualTo(IXC));
    }

    // ---- precision conversion ----

    [Test]
    public void ConvertNaNsKeepTheTopOfThePayload()
    {
        ulong fpsr = 0;
        Assert.That(FPConvert(0x7FF8_0000_2000_0000, 64, 32, 0, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0x7FC0_0001UL));
        Assert.That(fpsr, Is.EqualTo(0UL));
        Assert.That(FPConvert(0xFFF0_0000_0000_0001, 64, 32, 0, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0xFFC0_0000UL), "payload below single's");
        Assert.That(fpsr, Is.EqualTo(IOC));
        Assert.That(FPConvert(0x7F80_0001, 32, 64, 0, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0x7FF8_0000_2000_0000UL));
        Assert.That(FPConvert(0x7F80_0001, 32, 16, 0, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0x7E00UL));
    }

    [Test]
    public void ConvertToHalfOverflowsToInfinityOrInAlternativeFormatToItsLargestWithInvalid()
    {
        ulong fpsr = 0;
        Assert.That(FPConvert(0x4780_0000, 32, 16, 0, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0x7C00UL), "65536 overflows IEEE half");
        Assert.That(fpsr, Is.EqualTo(OFC | IXC));
        fpsr = 0;
        Assert.That(FPConvert(0x4780_0000, 32, 16, AHP, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0x7C00UL), "65536 = 2^16 is exact in AHP");
        Assert.That(fpsr, Is.EqualTo(0UL));
        Assert.That(FPConvert(0x4800_0000, 32, 16, AHP, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0x7FFFUL), "131072 too large for AHP");
        Assert.That(fpsr, Is.EqualTo(IOC));
        fpsr = 0;
        Assert.That(FPConvert(PlusInf, 32, 16, AHP, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0x7FFFUL));
        Assert.That(FPConvert(QNaN2, 32, 16, AHP, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0x8000UL), "a NaN becomes a zero of its sign");
        Assert.That(fpsr, Is.EqualTo(IOC));
    }

    [Test]
    public void ConvertFromHalfIgnoresFzButToSingleHonoursIt()
    {
        ulong fpsr = 0;
        Assert.That(FPConvert(0x0001, 16, 32, FZ, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0x3380_0000UL), "2^-24");
        Assert.That(fpsr, Is.EqualTo(0UL));
        Assert.That(FPConvert(0x0000_0000_0000_0001, 64, 32, FZ, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0UL));
        Assert.That(fpsr, Is.EqualTo(IDC));
        fpsr = 0;
        Assert.That(FPConvert(0x3800_0000_0000_0000, 64, 32, FZ, FPRounding.TIEEVEN, ref fpsr), Is.EqualTo(0UL), "2^-127 is a single denormal: flushed on output");
        Assert.That(fpsr, Is.EqualTo(UFC));
    }

    // ---- estimates ----

    [Test]
    public void EstimatesFollowTheArmTables()
    {
        ulong fpsr = 0;
        Assert.That(FPRecipEstimate(One, 32, 0, ref fpsr), Is.EqualTo(0x3F7F_8000UL), "FRECPE(1.0) = 511/512");
        Assert.That(FPRSqrtEstimate(One, 32, 0, ref fpsr), Is.EqualTo(0x3F7F_8000UL), "FRSQRTE(1.0) = 511/512");
        Assert.That(FPRSqrtEstimate(0x4080_0000, 32, 0, ref fpsr), Is.EqualTo(0x3EFF_8000UL), "FRSQRTE(4.0) = 511/1024");
        Assert.That(FPRecpX(Two, 32, 0, ref fpsr), Is.EqualTo(One), "FRECPX inverts the exponent");
        Assert.That(FPRecpX(0x8000_0001, 32, 0, ref fpsr), Is.EqualTo(0xFF00_0000UL), "denormal: the largest finite exponent");
        Assert.That(fpsr, Is.EqualTo(0UL));
        Assert.That(FPRecipEstimate(0x8000_0000, 32, 0, ref fpsr), Is.EqualTo(0xFF80_0000UL));
        Assert.That(fpsr, Is.EqualTo(DZC));
        fpsr = 0;
        Assert.That(FPRecipEstimate(0x0000_0001, 32, Rm(FPRounding.ZERO), ref fpsr), Is.EqualTo(MaxNormal), "1/2^-149 overflows");
        Assert.That(fpsr, Is.EqualTo(OFC | IXC));
        fpsr = 0;
        Assert.That(FPRecipEstimate(0x7F00_0000, 32, FZ, ref fpsr), Is.EqualTo(0UL), "1/2^127 would be denormal: flushed");
        Assert.That(fpsr, Is.EqualTo(UFC));
    }

    // ---- agreement with IEEE 754 host arithmetic where that is bit-exact ----

    /// <summary>
    /// With round to nearest even and no flushing, the Arm result of + - * / sqrt and fused multiply-add of
    /// non-NaN operands is IEEE 754's, which .NET's double arithmetic gives: a seeded sweep over all classes.
    /// </summary>
    [Test]
    public void DoubleArithmeticAgreesWithTheHostUnderRoundToNearest()
    {
        var rng = new Random(0xD0B1E);
        var values = new FpValues(rng);
        int compared = 0;
        for (int k = 0; k < 200_000; k++)
        {
            ulong a = values.Fp(64), b = values.Fp(64), c = values.Fp(64);
            double x = BitConverter.UInt64BitsToDouble(a), y = BitConverter.UInt64BitsToDouble(b), z = BitConverter.UInt64BitsToDouble(c);
            if (double.IsNaN(x) || double.IsNaN(y) || double.IsNaN(z)) continue;
            ulong fpsr = 0;
            Check("add", FPAdd(a, b, 64, 0, ref fpsr), x + y);
            Check("sub", FPSub(a, b, 64, 0, ref fpsr), x - y);
            Check("mul", FPMul(a, b, 64, 0, ref fpsr), x * y);
            Check("div", FPDiv(a, b, 64, 0, ref fpsr), x / y);
            Check("sqrt", FPSqrt(a, 64, 0, ref fpsr), Math.Sqrt(x));
            Check("fma", FPMulAdd(c, a, b, 64, 0, ref fpsr), Math.FusedMultiplyAdd(x, y, z));
            compared++;

            void Check(string op, ulong ours, double host)
            {
                // Host NaNs are not the Arm default NaN; only the class is checked for them.
                if (double.IsNaN(host)) { Assert.That(ours, Is.EqualTo(0x7FF8_0000_0000_0000UL), $"{op} 0x{a:X16} 0x{b:X16} 0x{c:X16}"); return; }
                Assert.That(ours, Is.EqualTo(BitConverter.DoubleToUInt64Bits(host)), $"{op} 0x{a:X16} 0x{b:X16} 0x{c:X16}");
            }
        }
        Assert.That(compared, Is.GreaterThan(100_000));
    }
}
