using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Translation;
using NUnit.Framework;

namespace Aegis.Tests.Engines;

/// <summary>
/// The translator's warm-up (Translation/TranslatorWarmUp.cs), which the background compiler's thread runs before a
/// command's first block: its made-up blocks translate under every timing model, whole (nothing cut) and every
/// instruction inline, so the warm-up compiles the inline forms' and the pipeline's emitters, not the handlers' calls.
/// </summary>
[TestFixture]
public class TranslatorWarmUpTests
{
    [TestCase(TimingModels.A53, 2)] // and again as MMU-off blocks
    [TestCase(TimingModels.Simple, 1)]
    public void MadeUpBlocksTranslateWholeAndInline(string timing, int variants)
    {
        var blocks = TranslatorWarmUp.Run(TimingModels.Create(timing));
        int[] expected = [.. TranslatorWarmUp.Lengths.SelectMany(length => Enumerable.Repeat(length, variants))];
        Assert.That(blocks.Select(b => b.Length), Is.EqualTo(expected));
        Assert.That(blocks.Select(b => b.Inlined), Is.EqualTo(expected), "instructions generated inline");
        Assert.That(blocks.All(b => b.IlBytes > 0), Is.True, "every block has IL");
    }
}
