using NUnit.Framework;

namespace Aegis.Tests.DataProcessing;

/// <summary>
/// ADD/ADDS/SUB/SUBS (immediate, shifted register, extended register). Expected values follow the
/// Arm ARM pseudocode (AddWithCarry, ShiftReg, ExtendReg) worked by hand; the NZCV column is the
/// 4-bit N:Z:C:V. The random differential test checks the same rows against qemu-aarch64.
/// </summary>
public class AddSubTests
{
    // Rn in x1, Rm in x2; X0 preset to garbage so that a 32-bit result visibly zeroes the upper half.
    [TestCase("adds x0, x1, #1", 0x7FFF_FFFF_FFFF_FFFFUL, 0UL, 0x8000_0000_0000_0000UL, 0b1001u, TestName = "ADDS imm: signed overflow sets N and V")]
    [TestCase("adds x0, x1, #1", 0xFFFF_FFFF_FFFF_FFFFUL, 0UL, 0UL, 0b0110u, TestName = "ADDS imm: unsigned wrap sets Z and C")]
    [TestCase("subs x0, x1, #1", 0UL, 0UL, 0xFFFF_FFFF_FFFF_FFFFUL, 0b1000u, TestName = "SUBS imm: borrow clears C")]
    [TestCase("subs x0, x1, #1", 1UL, 0UL, 0UL, 0b0110u, TestName = "SUBS imm: equal sets Z and C (no borrow)")]
    [TestCase("adds w0, w1, #1", 0xFFFF_FFFF_7FFF_FFFFUL, 0UL, 0x8000_0000UL, 0b1001u, TestName = "ADDS imm 32: overflow at bit 31, upper half ignored and zeroed")]
    [TestCase("adds w0, w1, #1", 0x0000_0000_FFFF_FFFFUL, 0UL, 0UL, 0b0110u, TestName = "ADDS imm 32: carry out of bit 31")]
    [TestCase("subs w0, w1, #0xfff, lsl #12", 0x00FF_F000UL, 0UL, 0UL, 0b0110u, TestName = "SUBS imm 32 LSL 12")]
    [TestCase("subs x0, x1, x2", 0x8000_0000_0000_0000UL, 1UL, 0x7FFF_FFFF_FFFF_FFFFUL, 0b0011u, TestName = "SUBS reg: MIN - 1 overflows")]
    [TestCase("subs x0, x1, x2", 3UL, 5UL, 0xFFFF_FFFF_FFFF_FFFEUL, 0b1000u, TestName = "SUBS reg: 3 - 5")]
    [TestCase("adds x0, x1, x2", 0x8000_0000_0000_0000UL, 0x8000_0000_0000_0000UL, 0UL, 0b0111u, TestName = "ADDS reg: MIN + MIN sets Z, C and V")]
    [TestCase("adds w0, w1, w2, lsr #31", 0xFFFF_FFFFUL, 0x8000_0000UL, 0UL, 0b0110u, TestName = "ADDS shifted 32 LSR 31")]
    [TestCase("subs w0, w1, w2, asr #4", 0UL, 0x8000_0000UL, 0x0800_0000UL, 0b0000u, TestName = "SUBS shifted 32 ASR 4: 0 - 0xF8000000")]
    [TestCase("adds x0, x1, x2, lsl #63", 0x8000_0000_0000_0000UL, 1UL, 0UL, 0b0111u, TestName = "ADDS shifted LSL 63")]
    [TestCase("cmp x1, x2", 42UL, 42UL, 0xDEAD_BEEFUL, 0b0110u, TestName = "CMP: result discarded to XZR")]
    [TestCase("cmn w1, w2", 0x7FFF_FFFFUL, 0x7FFF_FFFFUL, 0xDEAD_BEEFUL, 0b1001u, TestName = "CMN 32: 0x7FFFFFFF + 0x7FFFFFFF")]
    [TestCase("adds x0, x1, w2, sxtw", 1UL, 0xFFFF_FFFFUL, 0UL, 0b0110u, TestName = "ADDS extended SXTW: 1 + -1")]
    [TestCase("adds w0, w1, w2, uxth #4", 0xFFFF_0000UL, 0x12345UL, 0x0001_3450UL, 0b0010u, TestName = "ADDS extended 32 UXTH 4")]
    [TestCase("subs x0, x1, w2, uxtb", 0x100UL, 0xFFFF_FFFF_FFFF_FF01UL, 0xFFUL, 0b0010u, TestName = "SUBS extended UXTB takes only the low byte")]
    [TestCase("subs x0, x1, w2, sxtb #1", 0UL, 0x80UL, 0x100UL, 0b0000u, TestName = "SUBS extended SXTB 1: 0 - (-256)")]
    [TestCase("negs x0, x2", 0UL, 0x8000_0000_0000_0000UL, 0x8000_0000_0000_0000UL, 0b1001u, TestName = "NEGS of MIN overflows")]
    [TestCase("negs w0, w2", 0UL, 0UL, 0UL, 0b0110u, TestName = "NEGS of 0 sets C")]
    public void FlagSettingForms(string asm, ulong x1, ulong x2, ulong expected, uint nzcv)
    {
        var r = Exec.Of(asm).X(0, 0xDEAD_BEEF_DEAD_BEEF).X(1, x1).X(2, x2).Run();
        if (!asm.StartsWith("cm"))
            Assert.That(r[0], Is.EqualTo(expected), "result");
        else
            Assert.That(r[0], Is.EqualTo(0xDEAD_BEEF_DEAD_BEEFUL), "CMP/CMN write only the zero register");
        Assert.That(r.Nzcv, Is.EqualTo(nzcv), "NZCV");
    }

    [TestCase("add x0, x1, #0xfff, lsl #12", 0x1234UL, 0UL, 0x1000234UL)]
    [TestCase("add w0, w1, #1", 0xFFFF_FFFF_FFFF_FFFFUL, 0UL, 0UL)]
    [TestCase("sub w0, w1, #1", 0x1_0000_0000UL, 0UL, 0xFFFF_FFFFUL)]
    [TestCase("add w0, w1, w2", 0xFFFF_FFFF_0000_0001UL, 0xFFFF_FFFFUL, 0UL)]
    [TestCase("add x0, x1, x2, lsl #4", 1UL, 0x1000_0000_0000_0001UL, 0x11UL)]
    [TestCase("sub x0, x1, x2, asr #4", 0UL, 0x8000_0000_0000_0000UL, 0x0800_0000_0000_0000UL)]
    [TestCase("sub x0, x1, x2, lsr #63", 0UL, 0x8000_0000_0000_0000UL, 0xFFFF_FFFF_FFFF_FFFFUL)]
    [TestCase("add w0, w1, w2, lsl #31", 0UL, 3UL, 0x8000_0000UL)]
    [TestCase("add x0, x1, w2, sxtb #2", 1000UL, 0x80UL, 488UL)]
    [TestCase("add x0, x1, w2, sxth", 0UL, 0x8000UL, 0xFFFF_FFFF_FFFF_8000UL)]
    [TestCase("add x0, x1, w2, uxtw #3", 0UL, 0xFFFF_FFFF_FFFF_FFFFUL, 0x7_FFFF_FFF8UL)]
    [TestCase("add x0, x1, x2, sxtx #4", 0UL, 0xF000_0000_0000_0001UL, 0x10UL)]
    [TestCase("sub w0, w1, w2, sxtw", 0UL, 0x1UL, 0xFFFF_FFFFUL)]
    [TestCase("add w0, w1, w2, uxtx #4", 0UL, 0xFFFF_FFFF_1000_0001UL, 0x10UL)]
    [TestCase("neg x0, x2", 0UL, 1UL, 0xFFFF_FFFF_FFFF_FFFFUL)]
    public void NonFlagSettingFormsLeaveNzcv(string asm, ulong x1, ulong x2, ulong expected)
    {
        var r = Exec.Of(asm).X(0, 0xDEAD_BEEF_DEAD_BEEF).X(1, x1).X(2, x2).Flags(0b1010).Run();
        Assert.That(r[0], Is.EqualTo(expected));
        Assert.That(r.Nzcv, Is.EqualTo(0b1010u), "ADD/SUB without S keep the flags");
    }

    [Test]
    public void ImmediateAndExtendedFormsUseSpAsRnAndRd()
    {
        // Arm ARM: ADD/SUB (immediate, extended) read SP for Rn = 31 and write SP for Rd = 31;
        // ADDS/SUBS read SP but write XZR (CMP SP).
        var r = Exec.Of(
            "add sp, sp, #16",
            "mov x0, sp",                 // ADD x0, sp, #0
            "sub sp, sp, x2, uxtx #1",    // SP - 2*x2
            "add x3, sp, w2, uxtw #4",
            "cmp sp, x4").Sp(0x4010_0000).X(2, 8).X(4, 0x4010_0000).Run();
        Assert.That(r[0], Is.EqualTo(0x4010_0010UL));
        Assert.That(r.SpValue, Is.EqualTo(0x4010_0000UL));
        Assert.That(r[3], Is.EqualTo(0x4010_0080UL));
        Assert.That(r.Nzcv, Is.EqualTo(0b0110u), "CMP SP, X4 compared the stack pointer, not XZR");
    }

    [Test]
    public void ThirtyTwoBitWriteToWspZeroExtends()
    {
        // Arm ARM ADD (immediate): SP[] = ZeroExtend(result) for a 32-bit Rd = WSP.
        var r = Exec.Of("add wsp, w1, #4").X(1, 0xFFFF_FFFF_FFFF_FFFE).Sp(0x1234_5678_0000_0000).Run();
        Assert.That(r.SpValue, Is.EqualTo(2UL));
    }

    [Test]
    public void ShiftedFormsTreatRegister31AsZero()
    {
        // ADD (shifted register): Rn = 31 and Rd = 31 are XZR, so this is MOV-like and discards into XZR.
        var r = Exec.Of("add x0, xzr, x2, lsl #1", "add xzr, x2, x2").X(2, 5).Sp(0x4010_0000).Run();
        Assert.That(r[0], Is.EqualTo(10UL));
        Assert.That(r.SpValue, Is.EqualTo(0x4010_0000UL), "XZR writes do not reach SP");
    }
}
