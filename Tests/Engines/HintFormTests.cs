using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Cpu.Translation;
using Aegis.Emulator.Cpu.Translation.Inline;
using NUnit.Framework;

namespace Aegis.Tests.Engines;

/// <summary>
/// The hints a translated block runs through (Translation/Inline/HintForms.cs): exactly those the decoder gives to the
/// Nop handler (Arm ARM C6.2.238 HINT: the unallocated ones execute as NOP), checked over all 128 CRm:op2 values
/// against the decoder. WFE, WFI, SEV and SEVL keep ending a block.
/// </summary>
[TestFixture]
public unsafe class HintFormTests
{
    [Test]
    public void OnlyHintsDecodedAsNopRunThroughABlock()
    {
        int nops = 0;
        for (uint crmOp2 = 0; crmOp2 < 128; crmOp2++)
        {
            uint raw = 0xD503_201F | (crmOp2 << 5);
            var inst = default(DecodedInst);
            var row = Decoder.Decode(raw, ref inst);
            bool nop = HandlerMethods.Find(inst.Execute)?.Name == "Nop";
            Assert.That(HintForms.IsNop(raw), Is.EqualTo(nop), $"HINT #{crmOp2} ({row.Name})");
            Assert.That(BlockTranslator.EndsBlock(in inst), Is.EqualTo(!nop), $"HINT #{crmOp2} ({row.Name})");
            Assert.That(InlineForms.Find(in inst) is not null, Is.EqualTo(nop), $"HINT #{crmOp2} ({row.Name})");
            if (nop) nops++;
        }
        Assert.That(nops, Is.EqualTo(124)); // all but WFE, WFI, SEV, SEVL
    }
}
