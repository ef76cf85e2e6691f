using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Instructions;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.DataProcessing;

/// <summary>
/// Every data-processing row is reached by an llvm-mc encoding of its instruction (and the rows these
/// classes own are all covered); words that llvm-mc 14 (-mattr=+v8a,+crc) disassembles as invalid
/// decode as UNDEFINED.
/// </summary>
public class DecodingTests
{
    private static readonly (string Asm, string Row)[] Cases =
    [
        ("adr x0, #8", "ADR"), ("adrp x0, #4096", "ADRP"),
        ("add x0, x1, #1", "ADD (immediate)"), ("add w0, wsp, #1, lsl #12", "ADD (immediate)"), ("mov sp, x1", "ADD (immediate)"),
        ("adds x0, x1, #1", "ADDS (immediate)"), ("cmn w1, #4", "ADDS (immediate)"),
        ("sub x0, x1, #1", "SUB (immediate)"), ("subs w0, w1, #1", "SUBS (immediate)"), ("cmp sp, #4", "SUBS (immediate)"),
        ("and x0, x1, #0xff", "AND (immediate)"), ("orr w0, w1, #0x1", "ORR (immediate)"), ("mov x0, #0x5555555555555555", "ORR (immediate)"),
        ("eor x0, x1, #0x8000000000000000", "EOR (immediate)"), ("ands w0, w1, #0xfffffffe", "ANDS (immediate)"), ("tst x1, #3", "ANDS (immediate)"),
        ("movn x0, #1, lsl #48", "MOVN"), ("mov w0, #-2", "MOVN"), ("movz w0, #1, lsl #16", "MOVZ"), ("mov x0, #0x10000", "MOVZ"),
        ("movk x0, #1, lsl #32", "MOVK"), ("movk w0, #1", "MOVK"),
        ("sbfm x0, x1, #1, #2", "SBFM"), ("asr w0, w1, #3", "SBFM"), ("sxtb x0, w1", "SBFM"), ("sbfiz x0, x1, #4, #8", "SBFM"),
        ("bfm w0, w1, #1, #2", "BFM"), ("bfi x0, x1, #8, #4", "BFM"), ("bfxil w0, w1, #8, #4", "BFM"),
        ("ubfm x0, x1, #1, #2", "UBFM"), ("lsl x0, x1, #3", "UBFM"), ("lsr w0, w1, #3", "UBFM"), ("uxth w0, w1", "UBFM"), ("ubfx x0, x1, #4, #8", "UBFM"),
        ("extr w0, w1, w2, #31", "EXTR"), ("extr x0, x1, x2, #63", "EXTR"), ("ror x0, x1, #7", "EXTR"),
        ("and x0, x1, x2, ror #3", "AND (shifted register)"), ("bic w0, w1, w2", "BIC (shifted register)"),
        ("orr x0, x1, x2, asr #63", "ORR (shifted register)"), ("mov w0, w1", "ORR (shifted register)"),
        ("orn x0, x1, x2", "ORN (shifted register)"), ("mvn w0, w1", "ORN (shifted register)"),
        ("eor w0, w1, w2, lsr #31", "EOR (shifted register)"), ("eon x0, x1, x2", "EON (shifted register)"),
        ("ands x0, x1, x2", "ANDS (shifted register)"), ("tst w1, w2, lsl #2", "ANDS (shifted register)"), ("bics x0, x1, x2", "BICS (shifted register)"),
        ("add x0, x1, x2, lsl #63", "ADD (shifted register)"), ("adds w0, w1, w2, asr #31", "ADDS (shifted register)"),
        ("sub x0, x1, x2", "SUB (shifted register)"), ("neg w0, w1", "SUB (shifted register)"),
        ("subs x0, x1, x2, lsr #1", "SUBS (shifted register)"), ("cmp w1, w2", "SUBS (shifted register)"), ("negs x0, x1", "SUBS (shifted register)"),
        ("add x0, sp, w1, uxtw #4", "ADD (extended register)"), ("add w0, w1, w2, sxtb", "ADD (extended register)"),
        ("adds x0, x1, w2, sxth #1", "ADDS (extended register)"), ("cmn sp, w1, uxtb", "ADDS (extended register)"),
        ("sub sp, sp, x1", "SUB (extended register)"), ("subs x0, sp, x1, sxtx #2", "SUBS (extended register)"), ("cmp sp, x1", "SUBS (extended register)"),
        ("adc x0, x1, x2", "ADC"), ("adcs w0, w1, w2", "ADCS"), ("sbc x0, x1, x2", "SBC"), ("ngc w0, w1", "SBC"), ("sbcs x0, x1, x2", "SBCS"),
        ("ccmn x1, x2, #3, eq", "CCMN (register)"), ("ccmn w1, #31, #15, nv", "CCMN (immediate)"),
        ("ccmp w1, w2, #0, hi", "CCMP (register)"), ("ccmp x1, #0, #8, lt", "CCMP (immediate)"),
        ("csel x0, x1, x2, eq", "CSEL"), ("csinc w0, w1, w2, ne", "CSINC"), ("cset x0, cs", "CSINC"), ("cinc w0, w1, mi", "CSINC"),
        ("csinv x0, x1, x2, ge", "CSINV"), ("csetm w0, lt", "CSINV"), ("csneg x0, x1, x2, gt", "CSNEG"), ("cneg w0, w1, le", "CSNEG"),
        ("rbit w0, w1", "RBIT"), ("rbit x0, x1", "RBIT"), ("rev16 w0, w1", "REV16"), ("rev16 x0, x1", "REV16"),
        ("rev w0, w1", "REV"), ("rev x0, x1", "REV"), ("rev32 x0, x1", "REV32"),
        ("clz w0, w1", "CLZ"), ("clz x0, x1", "CLZ"), ("cls w0, w1", "CLS"), ("cls x0, x1", "CLS"),
        ("udiv w0, w1, w2", "UDIV"), ("sdiv x0, x1, x2", "SDIV"),
        ("lsl x0, x1, x2", "LSLV"), ("lsrv w0, w1, w2", "LSRV"), ("asr x0, x1, x2", "ASRV"), ("ror w0, w1, w2", "RORV"),
        ("crc32b w0, w1, w2", "CRC32B"), ("crc32h w0, w1, w2", "CRC32H"), ("crc32w w0, w1, w2", "CRC32W"), ("crc32x w0, w1, x2", "CRC32X"),
        ("crc32cb w0, w1, w2", "CRC32CB"), ("crc32ch w0, w1, w2", "CRC32CH"), ("crc32cw w0, w1, w2", "CRC32CW"), ("crc32cx w0, w1, x2", "CRC32CX"),
        ("madd x0, x1, x2, x3", "MADD"), ("mul w0, w1, w2", "MADD"), ("msub w0, w1, w2, w3", "MSUB"), ("mneg x0, x1, x2", "MSUB"),
        ("smaddl x0, w1, w2, x3", "SMADDL"), ("smull x0, w1, w2", "SMADDL"), ("smsubl x0, w1, w2, x3", "SMSUBL"), ("smnegl x0, w1, w2", "SMSUBL"),
        ("umaddl x0, w1, w2, x3", "UMADDL"), ("umull x0, w1, w2", "UMADDL"), ("umsubl x0, w1, w2, x3", "UMSUBL"), ("umnegl x0, w1, w2", "UMSUBL"),
        ("smulh x0, x1, x2", "SMULH"), ("umulh x0, x1, x2", "UMULH"),
    ];

    [Test]
    public void EveryRowDecodesFromItsAssembly()
    {
        var words = Llvm.Assemble(Cases.Select(c => c.Asm).ToArray());
        Assert.That(words, Has.Length.EqualTo(Cases.Length));
        Assert.Multiple(() =>
        {
            for (int k = 0; k < Cases.Length; k++)
                Assert.That(Decoder.RowOf(words[k]).Name, Is.EqualTo(Cases[k].Row), $"{Cases[k].Asm} (0x{words[k]:X8})");
        });
        var covered = Cases.Select(c => c.Row).ToHashSet();
        var owned = DataProcessingImmediate.Rows.Concat(DataProcessingRegister.Rows).Select(r => r.Name).ToHashSet();
        Assert.That(owned.Except(covered), Is.Empty, "rows without a decoding case");
    }

    // Each word is reported "invalid instruction encoding" by llvm-mc-14 --disassemble -mattr=+crc.
    [TestCase(0x9180_0000u, TestName = "ADD (immediate) shift = 1x")]
    [TestCase(0x11C0_0000u, TestName = "ADD (immediate) 32-bit shift = 11")]
    [TestCase(0x1240_0000u, TestName = "AND (immediate) sf = 0 with N = 1")]
    [TestCase(0x9240_FC00u, TestName = "AND (immediate) all-ones element (reserved)")]
    [TestCase(0x52C0_0000u, TestName = "MOVZ 32-bit hw = 2")]
    [TestCase(0x3280_0000u, TestName = "Move wide opc = 01")]
    [TestCase(0x9300_0000u, TestName = "SBFM sf = 1 with N = 0")]
    [TestCase(0x1300_8000u, TestName = "SBFM 32-bit imms<5> = 1")]
    [TestCase(0x7300_0000u, TestName = "Bitfield opc = 11")]
    [TestCase(0x1380_8000u, TestName = "EXTR 32-bit imms<5> = 1")]
    [TestCase(0x8BC0_0000u, TestName = "ADD (shifted register) shift = ROR")]
    [TestCase(0x0B00_8000u, TestName = "ADD (shifted register) 32-bit imm6 = 32")]
    [TestCase(0x0A00_8000u, TestName = "AND (shifted register) 32-bit imm6 = 32")]
    [TestCase(0x8B20_1400u, TestName = "ADD (extended register) imm3 = 5")]
    [TestCase(0x8B60_0000u, TestName = "Add/sub extended opt = 01")]
    [TestCase(0x9A80_0800u, TestName = "Conditional select op2 = 10")]
    [TestCase(0xBA80_0000u, TestName = "Conditional select S = 1")]
    [TestCase(0xFA40_0400u, TestName = "CCMP o2 = 1")]
    [TestCase(0xFA40_0010u, TestName = "CCMP o3 = 1")]
    [TestCase(0xDA40_0000u, TestName = "Conditional compare S = 0")]
    [TestCase(0x5AC0_0C00u, TestName = "1-source opcode 000011 with sf = 0")]
    [TestCase(0xDAC1_0000u, TestName = "1-source opcode2 = 00001 (PAC, not in v8.0)")]
    [TestCase(0x1AC0_4C00u, TestName = "CRC32X with sf = 0")]
    [TestCase(0x9AC0_4000u, TestName = "CRC32B with sf = 1")]
    [TestCase(0x9AC0_0000u, TestName = "2-source opcode 000000")]
    [TestCase(0x9AC0_3000u, TestName = "2-source opcode 001100 (PACGA, not in v8.0)")]
    [TestCase(0x1B20_0000u, TestName = "SMADDL with sf = 0")]
    [TestCase(0x9B40_8000u, TestName = "SMULH with o0 = 1")]
    [TestCase(0xBB00_0000u, TestName = "3-source op54 = 01")]
    [TestCase(0x9A00_0400u, TestName = "Add/sub with carry op3 != 000000")]
    public void UnallocatedEncodingsAreUndefined(uint word)
    {
        Assert.That(Decoder.RowOf(word).Name, Is.EqualTo("UNDEFINED"));
        // And executing one takes the Undefined Instruction exception (EC 0x00) rather than touching the host.
        var h = Exec.Of([word]).RunUnchecked(cpu => cpu.VbarEl[1] = 0x4000_1000);
        Assert.That(h.Cpu.EsrEl[1] >> 26, Is.EqualTo(0UL));
        Assert.That(h.Cpu.PC, Is.EqualTo(0x4000_1200UL));
    }

    [TestCase("add x0, x1, x2", TimingClass.Alu)]
    [TestCase("add x0, x1, x2, lsl #2", TimingClass.AluShifted)]
    [TestCase("add x0, x1, w2, uxtw", TimingClass.Alu)]
    [TestCase("add x0, x1, w2, sxtw #3", TimingClass.AluShifted)]
    [TestCase("eor w0, w1, w2, ror #1", TimingClass.AluShifted)]
    [TestCase("mov x0, x1", TimingClass.Alu)]
    [TestCase("ubfx x0, x1, #3, #4", TimingClass.Bitfield)]
    [TestCase("extr x0, x1, x2, #3", TimingClass.Bitfield)]
    [TestCase("lsl x0, x1, x2", TimingClass.Shift)]
    [TestCase("mul x0, x1, x2", TimingClass.Multiply)]
    [TestCase("madd x0, x1, x2, x3", TimingClass.MultiplyAccumulate)]
    [TestCase("umull x0, w1, w2", TimingClass.Multiply)]
    [TestCase("smaddl x0, w1, w2, x3", TimingClass.MultiplyAccumulate)]
    [TestCase("umulh x0, x1, x2", TimingClass.MultiplyHigh)]
    [TestCase("sdiv w0, w1, w2", TimingClass.Divide)]
    [TestCase("crc32cx w0, w1, x2", TimingClass.Crc)]
    [TestCase("csel x0, x1, x2, eq", TimingClass.Alu)]
    public void TimingClassOfDecodedInstruction(string asm, TimingClass expected)
    {
        var inst = default(DecodedInst);
        Decoder.Decode(Llvm.Assemble(asm)[0], ref inst);
        Assert.That(inst.Timing, Is.EqualTo(expected));
    }
}
