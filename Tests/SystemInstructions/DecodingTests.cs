using Aegis.Emulator.Cpu.Decoding;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.SystemInstructions;

/// <summary>
/// Every row of the branch/system and SIMD&amp;FP classes is reached by an instruction that llvm-mc-14 (the
/// encoding reference) assembles, and encodings these classes leave unallocated decode as UNDEFINED.
/// </summary>
public class DecodingTests
{

    // One assembly line per row -> the row's name.
    private static readonly (string Asm, string Row)[] Samples =
    [
        ("b .", "B"), ("bl .", "BL"), ("b.ne .", "B.cond"), ("cbz x0, .", "CBZ"), ("cbnz w3, .", "CBNZ"),
        ("tbz x0, #40, .", "TBZ"), ("tbnz w0, #3, .", "TBNZ"), ("br x1", "BR"), ("blr x2", "BLR"), ("ret", "RET"),
        ("ret x7", "RET"), ("eret", "ERET"), ("svc #0", "SVC"), ("hvc #1", "HVC"), ("smc #2", "SMC"), ("brk #3", "BRK"),
        ("hlt #0xf000", "HLT"), ("nop", "NOP"), ("yield", "YIELD"), ("wfe", "WFE"), ("wfi", "WFI"), ("sev", "SEV"),
        ("sevl", "SEVL"), ("hint #0x7f", "HINT (other hints execute as NOP)"), ("hint #0x14", "HINT (other hints execute as NOP)"),
        ("clrex", "CLREX"), ("dsb sy", "DSB"), ("dsb #0", "DSB"), ("dmb ish", "DMB"), ("isb", "ISB"),
        ("msr spsel, #1", "MSR (immediate) SPSel"), ("msr daifset, #3", "MSR (immediate) DAIFSet"), ("msr daifclr, #15", "MSR (immediate) DAIFClr"),
        ("dc civac, x0", "SYS"), ("tlbi vmalle1is", "SYS"), ("at s1e1r, x1", "SYS"), ("ic iallu", "SYS"),
        ("msr tpidr_el0, x0", "MSR (register)"), ("mrs x0, midr_el1", "MRS"), ("mrs x9, cntvct_el0", "MRS"),
        // Crypto encodings assembled by llvm-mc-14 -mattr=+aes,+sha2 (the tests assemble with +crc,+v8a only).
        (".inst 0x4e284820", "AESE"),                     // aese v0.16b, v1.16b
        (".inst 0x5e020020", "SHA1C"),      // sha1c q0, s1, v2.4s
        (".inst 0x5e280820", "SHA1H"),        // sha1h s0, s1
        ("mov b0, v1.b[0]", "DUP (element, scalar)"),
        ("add d0, d1, d2", "ADD (vector)"),
        ("sqdmlal d0, s1, s2", "SQDMLAL (scalar)"),
        ("abs d0, d1", "ABS"),
        ("addp d0, v1.2d", "ADDP (scalar)"),
        ("sshr d0, d1, #3", "SSHR"),
        ("fmul s0, s1, v2.s[1]", "FMUL (by element), scalar"),
        ("tbl v0.16b, {v1.16b}, v2.16b", "TBL"),
        ("zip1 v0.4s, v1.4s, v2.4s", "ZIP1"),
        ("ext v0.16b, v1.16b, v2.16b, #3", "EXT"),
        ("dup v0.4s, w1", "DUP (general)"),
        ("add v0.4s, v1.4s, v2.4s", "ADD (vector)"),
        ("saddl v0.2d, v1.2s, v2.2s", "SADDL"),
        ("abs v0.4s, v1.4s", "ABS"),
        ("addv s0, v1.4s", "ADDV"),
        ("movi v0.4s, #1", "MOVI/MVNI/ORR/BIC/FMOV (vector, immediate)"),
        ("sshr v0.4s, v1.4s, #3", "SSHR"),
        ("mul v0.4s, v1.4s, v2.s[1]", "MUL (by element)"),
        // The groups the integer SIMD rows share with floating point: their FP encodings (AdvancedSimdFp.*.cs).
        ("fabd s0, s1, s2", "FABD, scalar"),
        ("fcmgt s0, s1, #0.0", "FCMGT (zero), scalar"),
        ("fmaxnmp s0, v1.2s", "FMAXNMP, scalar"),
        ("scvtf s0, s1, #3", "SCVTF (vector, fixed-point), scalar"),
        ("fadd v0.4s, v1.4s, v2.4s", "FADD (vector)"),
        ("fabs v0.4s, v1.4s", "FABS (vector)"),
        ("fmaxv s0, v1.4s", "FMAXV"),
        ("scvtf v0.4s, v1.4s, #3", "SCVTF (vector, fixed-point)"),
        ("fmul v0.4s, v1.4s, v2.s[1]", "FMUL (by element)"),
        ("scvtf s0, w1, #3", "SCVTF (scalar, fixed-point)"),
        ("fmov d0, x1", "FMOV (general)"),
        ("fneg d0, d1", "FNEG (scalar)"),
        ("fcmp d0, d1", "FCMP"),
        ("fmov d0, #1.0", "FMOV (scalar, immediate)"),
        ("fccmp d0, d1, #0, eq", "FCCMP"),
        ("fadd d0, d1, d2", "FADD (scalar)"),
        ("fcsel d0, d1, d2, eq", "FCSEL"),
        ("fmadd d0, d1, d2, d3", "FMADD"),
        ("ldr q0, .", "LDR (literal, SIMD&FP)"),
        ("ldnp q0, q1, [x0]", "LDNP (SIMD&FP)"),
        ("ldp q0, q1, [x0], #32", "LDP (SIMD&FP)"),
        ("ldp d0, d1, [x0]", "LDP (SIMD&FP)"),
        ("stp s0, s1, [x0, #-8]!", "STP (SIMD&FP)"),
        ("ldur q0, [x0, #1]", "LDUR (SIMD&FP)"),
        ("ldr b0, [x0], #1", "LDR (immediate, SIMD&FP)"),
        ("str h0, [x0, #2]!", "STR (immediate, SIMD&FP)"),
        ("ldr d0, [x0, x1, lsl #3]", "LDR (register, SIMD&FP)"),
        ("str q0, [x0, #16]", "STR (immediate, SIMD&FP)"),
        ("ld1 {v0.16b}, [x0]", "LD1/LD2/LD3/LD4 (multiple structures)"),
        ("st2 {v0.4s, v1.4s}, [x0], #32", "ST1/ST2/ST3/ST4 (multiple structures, post-index)"),
        ("ld1 {v0.s}[1], [x0]", "LD1/LD2/LD3/LD4/LD1R/LD2R/LD3R/LD4R (single structure)"),
        ("ld1r {v0.4s}, [x0], #4", "LD1/LD2/LD3/LD4/LD1R/LD2R/LD3R/LD4R (single structure, post-index)"),
    ];

    [Test]
    public void EachSampleDecodesToItsRow()
    {
        var words = Llvm.Assemble(Samples.Select(s => s.Asm).ToArray());
        Assert.That(words, Has.Length.EqualTo(Samples.Length));
        Assert.Multiple(() =>
        {
            for (int i = 0; i < Samples.Length; i++)
                Assert.That(Decoder.RowOf(words[i]).Name, Is.EqualTo(Samples[i].Row), $"{Samples[i].Asm} (0x{words[i]:X8})");
        });
    }

    [Test]
    public void EveryRowOfTheseClassesHasASample()
    {
        var sampled = Samples.Select(s => s.Row).ToHashSet();
        var rows = Aegis.Emulator.Cpu.Decoding.A64Table.Rows.Select(r => r.Name)
            .Where(n => Samples.Any(s => s.Row == n) || IsBranchSystemRow(n));
        Assert.That(rows.Where(n => !sampled.Contains(n)), Is.Empty);
    }

    private static bool IsBranchSystemRow(string name) =>
        name is "B" or "BL" or "B.cond" or "CBZ" or "CBNZ" or "TBZ" or "TBNZ" or "BR" or "BLR" or "RET" or "ERET"
            or "SVC" or "HVC" or "SMC" or "BRK" or "HLT" or "NOP" or "YIELD" or "WFE" or "WFI" or "SEV" or "SEVL"
            or "CLREX" or "DSB" or "DMB" or "ISB" or "SYS" or "MRS" or "MSR (register)"
        || name.StartsWith("MSR (immediate)") || name.StartsWith("HINT");

    // Unallocated in Armv8.0 (Arm ARM C4.1 encoding tables).
    [TestCase(0xD420_0001u, TestName = "BrkWithLlNonZero")]
    [TestCase(0xD4A0_0001u, TestName = "Dcps1")]
    [TestCase(0xD6BF_03E0u, TestName = "Drps")]
    [TestCase(0xD69F_0BFFu, TestName = "EretaaIsArmv83")]
    [TestCase(0xD61F_0021u, TestName = "BrWithNonZeroOp4")]
    [TestCase(0xD503_301Fu, TestName = "BarrierOp2Zero")]
    [TestCase(0xD503_30FFu, TestName = "SbIsArmv85")]
    [TestCase(0xD503_309Eu, TestName = "DsbWithRtNot31")]
    [TestCase(0xD500_407Fu, TestName = "MsrImmediateUao")]
    [TestCase(0xD528_0000u, TestName = "Sysl")]
    [TestCase(0xD530_0000u, TestName = "MrsUnknownDebugRegister")]
    [TestCase(0xD508_0000u, TestName = "SysUnknownOperation")]
    [TestCase(0x9E60_4020u, TestName = "FpOneSourceWithMSet")]
    [TestCase(0x4C40_1000u, TestName = "Ld1MultipleReservedOpcode")]
    [TestCase(0x5F00_0400u, TestName = "ScalarShiftWithImmhZero")]
    [TestCase(0xFCC0_0400u, TestName = "Simd128BitLoadWithSize11")]
    public void UnallocatedIsUndefined(uint word) =>
        Assert.That(Decoder.RowOf(word).Name, Is.EqualTo("UNDEFINED"));
}
