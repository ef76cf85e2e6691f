using Aegis.Emulator.Cpu.Decoding;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests.LoadsAndStores;

/// <summary>
/// Every loads-and-stores row is reached by the encoding llvm-mc-14 (the encoding reference) gives for a
/// line of that instruction, and encodings outside Armv8.0-A (or reserved) are UNDEFINED.
/// </summary>
public class DecodingTests
{
    private static readonly (string Asm, string Name)[] Lines =
    [
        // Load/store register (immediate): post-index, pre-index, unsigned offset
        ("strb w0, [x1], #1", "STRB (immediate)"), ("strb w0, [x1, #-256]!", "STRB (immediate)"), ("strb w0, [x1, #4095]", "STRB (immediate)"),
        ("ldrb w0, [x1], #255", "LDRB (immediate)"), ("ldrb w0, [x1, #1]!", "LDRB (immediate)"), ("ldrb w0, [x1, #7]", "LDRB (immediate)"),
        ("ldrsb x0, [x1], #-1", "LDRSB (immediate)"), ("ldrsb w0, [x1, #3]!", "LDRSB (immediate)"),
        ("ldrsb w0, [x1]", "LDRSB (immediate)"), ("ldrsb x0, [x1, #3]", "LDRSB (immediate)"),
        ("strh w0, [x1], #2", "STRH (immediate)"), ("strh w0, [x1, #2]!", "STRH (immediate)"), ("strh w0, [x1, #8190]", "STRH (immediate)"),
        ("ldrh w0, [x1], #2", "LDRH (immediate)"), ("ldrh w0, [x1, #-2]!", "LDRH (immediate)"), ("ldrh w0, [x1, #2]", "LDRH (immediate)"),
        ("ldrsh x0, [x1], #2", "LDRSH (immediate)"), ("ldrsh w0, [x1, #2]!", "LDRSH (immediate)"), ("ldrsh w0, [x1, #2]", "LDRSH (immediate)"), ("ldrsh x0, [x1]", "LDRSH (immediate)"),
        ("str w0, [x1], #4", "STR (immediate)"), ("str x0, [sp, #-16]!", "STR (immediate)"), ("str x0, [x1, #32760]", "STR (immediate)"), ("str w0, [x1, #16380]", "STR (immediate)"),
        ("ldr w0, [x1], #4", "LDR (immediate)"), ("ldr x0, [x1, #8]!", "LDR (immediate)"), ("ldr x0, [x1, #8]", "LDR (immediate)"), ("ldr w0, [sp]", "LDR (immediate)"),
        ("ldrsw x0, [x1], #4", "LDRSW (immediate)"), ("ldrsw x0, [x1, #4]!", "LDRSW (immediate)"), ("ldrsw x0, [x1, #16380]", "LDRSW (immediate)"),
        ("prfm pldl1keep, [x1, #8]", "PRFM (immediate)"), ("prfm pstl3strm, [sp]", "PRFM (immediate)"),
        // Unscaled immediate
        ("sturb w0, [x1, #-1]", "STURB"), ("ldurb w0, [x1, #1]", "LDURB"), ("ldursb w0, [x1, #-1]", "LDURSB"), ("ldursb x0, [x1, #255]", "LDURSB"),
        ("sturh w0, [x1, #1]", "STURH"), ("ldurh w0, [x1, #1]", "LDURH"), ("ldursh w0, [x1, #1]", "LDURSH"), ("ldursh x0, [x1, #-3]", "LDURSH"),
        ("stur w0, [x1, #1]", "STUR"), ("stur x0, [sp, #-8]", "STUR"), ("ldur w0, [x1, #-4]", "LDUR"), ("ldur x0, [x1, #1]", "LDUR"),
        ("ldursw x0, [x1, #1]", "LDURSW"), ("prfum pldl1keep, [x1, #1]", "PRFUM"),
        // Unprivileged
        ("sttrb w0, [x1, #1]", "STTRB"), ("ldtrb w0, [x1]", "LDTRB"), ("ldtrsb w0, [x1]", "LDTRSB"), ("ldtrsb x0, [x1, #-256]", "LDTRSB"),
        ("sttrh w0, [x1]", "STTRH"), ("ldtrh w0, [x1]", "LDTRH"), ("ldtrsh w0, [x1]", "LDTRSH"), ("ldtrsh x0, [x1, #255]", "LDTRSH"),
        ("sttr w0, [x1]", "STTR"), ("sttr x0, [x1, #8]", "STTR"), ("ldtr w0, [x1]", "LDTR"), ("ldtr x0, [sp]", "LDTR"), ("ldtrsw x0, [x1, #4]", "LDTRSW"),
        // Register offset
        ("strb w0, [x1, x2]", "STRB (register)"), ("strb w0, [x1, w2, sxtw]", "STRB (register)"),
        ("ldrb w0, [x1, w2, uxtw]", "LDRB (register)"), ("ldrb w0, [x1, x2, lsl #0]", "LDRB (register)"),
        ("ldrsb x0, [x1, x2, sxtx]", "LDRSB (register)"), ("ldrsb w0, [x1, x2]", "LDRSB (register)"),
        ("strh w0, [x1, w2, sxtw #1]", "STRH (register)"), ("ldrh w0, [x1, x2, lsl #1]", "LDRH (register)"),
        ("ldrsh w0, [x1, w2, uxtw #1]", "LDRSH (register)"), ("ldrsh x0, [x1, x2]", "LDRSH (register)"),
        ("str w0, [x1, x2, lsl #2]", "STR (register)"), ("str x0, [x1, w2, sxtw #3]", "STR (register)"),
        ("ldr x0, [x1, x2, lsl #3]", "LDR (register)"), ("ldr w0, [sp, w2, uxtw]", "LDR (register)"),
        ("ldrsw x0, [x1, x2, sxtx #2]", "LDRSW (register)"), ("prfm pstl1strm, [x1, x2]", "PRFM (register)"),
        // Literal
        ("ldr w0, #8", "LDR (literal)"), ("ldr x0, #-8", "LDR (literal)"), ("ldrsw x0, #-4", "LDRSW (literal)"), ("prfm pldl1keep, #16", "PRFM (literal)"),
        // Pairs
        ("stnp w0, w1, [x2, #8]", "STNP"), ("stnp x0, x1, [sp, #-512]", "STNP"), ("ldnp w0, w1, [x2]", "LDNP"), ("ldnp x0, x1, [x2, #504]", "LDNP"),
        ("stp w0, w1, [x2], #8", "STP"), ("stp x0, x1, [sp, #-16]!", "STP"), ("stp x0, x1, [x2, #16]", "STP"),
        ("ldp w0, w1, [x2], #-256", "LDP"), ("ldp x0, x1, [sp, #16]!", "LDP"), ("ldp x0, x1, [x2]", "LDP"),
        ("ldpsw x0, x1, [x2], #8", "LDPSW"), ("ldpsw x0, x1, [x2, #-8]!", "LDPSW"), ("ldpsw x0, x1, [x2]", "LDPSW"),
        // Exclusives and acquire/release
        ("stxrb w0, w1, [x2]", "STXRB"), ("stlxrb w0, w1, [x2]", "STLXRB"), ("ldxrb w0, [x2]", "LDXRB"), ("ldaxrb w0, [x2]", "LDAXRB"),
        ("stxrh w0, w1, [x2]", "STXRH"), ("stlxrh w0, w1, [x2]", "STLXRH"), ("ldxrh w0, [x2]", "LDXRH"), ("ldaxrh w0, [x2]", "LDAXRH"),
        ("stxr w0, w1, [x2]", "STXR"), ("stxr w0, x1, [sp]", "STXR"), ("stlxr w0, x1, [x2]", "STLXR"),
        ("ldxr w0, [x2]", "LDXR"), ("ldxr x0, [sp]", "LDXR"), ("ldaxr x0, [x2]", "LDAXR"),
        ("stxp w0, w1, w2, [x3]", "STXP"), ("stxp w0, x1, x2, [x3]", "STXP"), ("stlxp w0, x1, x2, [x3]", "STLXP"),
        ("ldxp w0, w1, [x2]", "LDXP"), ("ldxp x0, x1, [x2]", "LDXP"), ("ldaxp x0, x1, [x2]", "LDAXP"),
        ("stlrb w0, [x1]", "STLRB"), ("stlrh w0, [x1]", "STLRH"), ("stlr w0, [x1]", "STLR"), ("stlr x0, [sp]", "STLR"),
        ("ldarb w0, [x1]", "LDARB"), ("ldarh w0, [x1]", "LDARH"), ("ldar w0, [x1]", "LDAR"), ("ldar x0, [x1]", "LDAR"),
    ];

    [Test]
    public void EveryLineDecodesToItsRow()
    {
        var words = Llvm.Assemble(Lines.Select(l => l.Asm).ToArray());
        Assert.That(words, Has.Length.EqualTo(Lines.Length));
        Assert.Multiple(() =>
        {
            for (int k = 0; k < Lines.Length; k++)
                Assert.That(Decoder.RowOf(words[k]).Name, Is.EqualTo(Lines[k].Name), $"{Lines[k].Asm} = 0x{words[k]:X8}");
        });
    }

    // Words from llvm-mc-14 with the extension enabled (-mattr shown), or built from the Arm ARM encoding
    // diagram by changing one field of an llvm-mc word: none exists in Armv8.0-A, so the A53 treats them as UNDEFINED.
    [TestCase(0xB8200041u, "ldadd w0, w1, [x2] (+lse)")]
    [TestCase(0xF8208041u, "swp x0, x1, [x2] (+lse)")]
    [TestCase(0x88A07C41u, "cas w0, w1, [x2] (+lse)")]
    [TestCase(0x08207C82u, "casp w0, w1, w2, w3, [x4] (+lse)")]
    [TestCase(0xB8BFC020u, "ldapr w0, [x1] (+rcpc)")]
    [TestCase(0x88DF7C20u, "ldlar w0, [x1] (+lor)")]
    [TestCase(0x889F7C20u, "stllr w0, [x1] (+lor)")]
    [TestCase(0x69000440u, "stgp x0, x1, [x2] (+mte)")]
    [TestCase(0x99400020u, "ldapur w0, [x1] (+rcpc-immo)")]
    [TestCase(0xF8200420u, "ldraa x0, [x1] (+pauth)")]
    [TestCase(0xF8620820u, "ldr x0, [x1, x2] with option 000 (reserved: option<1> = 0)")]
    [TestCase(0xF862A820u, "ldr x0, [x1, x2] with option 101 (reserved)")]
    [TestCase(0xF8A20820u, "prfm [x1, x2] with option 000 (reserved)")]
    [TestCase(0xB9C00020u, "size 10 opc 11 unsigned offset (no LDRSW to W)")]
    [TestCase(0xF9C00020u, "size 11 opc 11 unsigned offset")]
    [TestCase(0xF8800420u, "PRFM post-index (does not exist)")]
    [TestCase(0xF8800C20u, "PRFM pre-index (does not exist)")]
    [TestCase(0xF8800820u, "PRFM unprivileged (does not exist)")]
    [TestCase(0x68400440u, "LDNP with opc 01 (no LDNPSW)")]
    [TestCase(0x68800440u, "STP post-index with opc 01 (STGP, Armv8.5)")]
    [TestCase(0xE9400440u, "LDP with opc 11")]
    [TestCase(0x48207C41u, "o1 = 1 with size 01 (CASPH does not exist; CASP is size 0x)")]
    public void UnallocatedOrLaterArchitectureIsUndefined(uint word, string what)
    {
        Assert.That(Decoder.RowOf(word).Name, Is.EqualTo("UNDEFINED"), what);
    }
}
