using Aegis.Emulator.Cpu.Decoding;
using Aegis.Tests.Support;
using NUnit.Framework;
using Decoder = Aegis.Emulator.Cpu.Decoding.Decoder;
using FpInstructions = Aegis.Emulator.Cpu.Instructions.FloatingPoint;

namespace Aegis.Tests.FloatingPoint;

/// <summary>
/// The scalar floating-point rows against the encoding references: a sample per row assembled by llvm-mc-14
/// decodes to that row and traps with EC 0x07 under CPACR_EL1.FPEN = 00; random words of the scalar FP encoding
/// space decode exactly when llvm-mc-14 (Armv8.0 features, no FEAT_FP16) decodes them, to Capstone's mnemonic.
/// </summary>
public class FloatingPointDecodingTests
{
    private static readonly (string Asm, string Row)[] Samples =
    [
        ("fmov s0, s1", "FMOV (register)"), ("fabs d0, d1", "FABS (scalar)"), ("fneg s0, s1", "FNEG (scalar)"),
        ("fsqrt d0, d1", "FSQRT (scalar)"), ("fcvt s0, d1", "FCVT"), ("fcvt h0, s1", "FCVT"), ("fcvt d0, h1", "FCVT"),
        ("frintn s0, s1", "FRINTN (scalar)"), ("frintp d0, d1", "FRINTP (scalar)"), ("frintm s0, s1", "FRINTM (scalar)"),
        ("frintz d0, d1", "FRINTZ (scalar)"), ("frinta s0, s1", "FRINTA (scalar)"), ("frintx d0, d1", "FRINTX (scalar)"),
        ("frinti s0, s1", "FRINTI (scalar)"),
        ("fmul s0, s1, s2", "FMUL (scalar)"), ("fdiv d0, d1, d2", "FDIV (scalar)"), ("fadd s0, s1, s2", "FADD (scalar)"),
        ("fsub d0, d1, d2", "FSUB (scalar)"), ("fmax s0, s1, s2", "FMAX (scalar)"), ("fmin d0, d1, d2", "FMIN (scalar)"),
        ("fmaxnm s0, s1, s2", "FMAXNM (scalar)"), ("fminnm d0, d1, d2", "FMINNM (scalar)"), ("fnmul s0, s1, s2", "FNMUL (scalar)"),
        ("fmadd s0, s1, s2, s3", "FMADD"), ("fmsub d0, d1, d2, d3", "FMSUB"), ("fnmadd s0, s1, s2, s3", "FNMADD"),
        ("fnmsub d0, d1, d2, d3", "FNMSUB"),
        ("fcmp s0, #0.0", "FCMP"), ("fcmp d0, d1", "FCMP"), ("fcmpe d0, d1", "FCMPE"), ("fcmpe s0, #0.0", "FCMPE"),
        ("fccmp s0, s1, #3, ne", "FCCMP"), ("fccmpe d0, d1, #15, lt", "FCCMPE"), ("fcsel s0, s1, s2, ge", "FCSEL"),
        ("fmov d0, #-2.5", "FMOV (scalar, immediate)"),
        ("fcvtns w0, s1", "FCVTNS (scalar)"), ("fcvtnu x0, d1", "FCVTNU (scalar)"), ("scvtf d0, x1", "SCVTF (scalar, integer)"),
        ("ucvtf s0, w1", "UCVTF (scalar, integer)"), ("fcvtas x0, s1", "FCVTAS (scalar)"), ("fcvtau w0, d1", "FCVTAU (scalar)"),
        ("fmov x0, v1.d[1]", "FMOV (general)"), ("fmov v0.d[1], x1", "FMOV (general)"), ("fmov w0, s1", "FMOV (general)"),
        ("fmov s0, w1", "FMOV (general)"), ("fmov x0, d1", "FMOV (general)"),
        ("fcvtps w0, s1", "FCVTPS (scalar)"), ("fcvtpu x0, d1", "FCVTPU (scalar)"), ("fcvtms x0, s1", "FCVTMS (scalar)"),
        ("fcvtmu w0, d1", "FCVTMU (scalar)"), ("fcvtzs w0, d1", "FCVTZS (scalar, integer)"), ("fcvtzu x0, s1", "FCVTZU (scalar, integer)"),
        ("scvtf s0, x1, #64", "SCVTF (scalar, fixed-point)"), ("ucvtf d0, w1, #32", "UCVTF (scalar, fixed-point)"),
        ("fcvtzs x0, d1, #10", "FCVTZS (scalar, fixed-point)"), ("fcvtzu w0, s1, #1", "FCVTZU (scalar, fixed-point)"),
    ];

    [Test]
    public void EachSampleDecodesToItsRowAndEveryRowHasOne()
    {
        var words = Llvm.Assemble(Samples.Select(s => s.Asm).ToArray());
        Assert.That(words, Has.Length.EqualTo(Samples.Length));
        Assert.Multiple(() =>
        {
            for (int i = 0; i < Samples.Length; i++)
                Assert.That(Decoder.RowOf(words[i]).Name, Is.EqualTo(Samples[i].Row), $"{Samples[i].Asm} (0x{words[i]:X8})");
        });
        Assert.That(FpInstructions.Rows.Select(r => r.Name).Except(Samples.Select(s => s.Row)), Is.Empty);
    }

    [Test]
    public void EverySampleTrapsWithEc07WhenCpacrFpenIs00()
    {
        var words = Llvm.Assemble(Samples.Select(s => s.Asm).ToArray());
        Assert.Multiple(() =>
        {
            for (int i = 0; i < words.Length; i++)
            {
                var h = new CpuHarness([words[i]]);
                h.Cpu.SetX(1, 0x4000_0000_0000_0000);
                h.Cpu.Vreg[2] = 0x4000_0000_0000_0000;
                h.Cpu.Nzcv = 0x4000_0000;
                h.Cpu.Run(1);
                Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x1FE0_0000UL), $"{Samples[i].Asm}: EC 0x07, IL, CV, COND 0xE");
                Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(CpuHarness.CodeBase), Samples[i].Asm);
                Assert.That((h.Cpu.Xr(0), h.Cpu.D(0), h.Cpu.Vreg[1], h.Cpu.Nzcv, h.Cpu.Sys.FPSR), Is.EqualTo((0UL, 0UL, 0UL, 0x4000_0000u, 0UL)),
                    $"{Samples[i].Asm}: nothing written");
            }
        });
    }

    // FEAT_FP16 (Armv8.2) and ptype = 10: llvm-mc-14 -mattr=+fullfp16 assembles the first ones.
    [TestCase(0x1EE2_2820u, TestName = "FaddHalfIsFp16")]              // fadd h0, h1, h2
    [TestCase(0x1EE7_0020u, TestName = "FmovHalfFromWIsFp16")]         // fmov h0, w1
    [TestCase(0x1EE0_4020u, TestName = "FmovHalfRegisterIsFp16")]      // fmov h0, h1
    [TestCase(0x1EE2_2000u, TestName = "FcmpHalfIsFp16")]              // fcmp h0, h2
    [TestCase(0x1EA2_2820u, TestName = "FaddPtype10")]
    [TestCase(0x1E62_9820u, TestName = "TwoSourceOpcode1001")]
    [TestCase(0x1E22_0820u | 1u << 29, TestName = "TwoSourceWithSSet")]
    [TestCase(0x1E21_4020u | 1u << 31, TestName = "OneSourceWithMSet")]
    [TestCase(0x1E22_4020u, TestName = "FcvtSingleToSingle")]
    [TestCase(0x1E63_4020u, TestName = "FrintOpcode001101")]
    [TestCase(0x1E22_2001u, TestName = "FcmpOpcode2Bit0")]
    [TestCase(0x1E20_1021u, TestName = "FmovImmediateImm5NonZero")]
    [TestCase(0x1E02_0020u, TestName = "ScvtfFixed32WithScale5Clear")]
    [TestCase(0x1E66_0020u, TestName = "FmovWFromDIsUnallocated")]
    [TestCase(0x1E7E_0020u, TestName = "FjcvtzsIsArmv83")]
    [TestCase(0x1E2A_0020u, TestName = "ScvtfWithRmode01")]
    public void UnallocatedOrFp16IsUndefined(uint word) => Assert.That(Decoder.RowOf(word).Name, Is.EqualTo("UNDEFINED"));

    [Test]
    public void RandomScalarFpWordsDecodeExactlyWhenLlvmDecodesThemAsCapstonesMnemonic()
    {
        ReferenceTools.Require(ReferenceTools.LlvmMc);
        using var cs = new CapstoneA64();
        var rng = new Random(0xFDEC);
        var names = FpInstructions.Rows.Select(r => r.Name).ToHashSet();
        // The scalar FP space: bit 30 = 0, bits 28:25 = 1111 (M = bit 31 and S = bit 29 drawn too).
        var words = Enumerable.Range(0, 20_000).Select(_ => ((uint)rng.NextInt64(0, 1L << 32) & ~0x5E00_0000u) | 0x1E00_0000u).ToArray();
        var llvm = LlvmDisassembler.Decodes(words);
        var failures = new List<string>();
        int decoded = 0;
        for (int i = 0; i < words.Length; i++)
        {
            var row = Decoder.RowOf(words[i]);
            bool ours = names.Contains(row.Name);
            Assert.That(ours || row.Name == "UNDEFINED", $"0x{words[i]:X8} decodes to {row.Name}");
            if (ours != llvm[i]) failures.Add($"0x{words[i]:X8}: ours {row.Name}, llvm-mc {(llvm[i] ? "decodes" : "invalid")}");
            if (!ours) continue;
            decoded++;
            if (cs.TryDecode(words[i], out string mnemonic, out _) && mnemonic != row.Name.Split(' ')[0].ToLowerInvariant())
                failures.Add($"0x{words[i]:X8}: ours {row.Name}, Capstone {mnemonic}");
        }
        TestContext.Out.WriteLine($"{words.Length} words, {decoded} decoded");
        Assert.That(failures.Take(20), Is.Empty);
        Assert.That(decoded, Is.GreaterThan(1000));
    }
}
