using Aegis.Emu.Debugging;
using NUnit.Framework;

namespace Aegis.Tests.Debugging;

/// <summary>The one Capstone wrapper of the debugger, the tracer and the pipeline view.</summary>
public class DisassemblerTests
{
    [Test]
    public void DisassemblesWithTheAddressAndNamesWhatCapstoneCannotDecode()
    {
        using var d = new Disassembler();
        Assert.That(d.Disassemble(0x4008_0000, 0xD503201F), Is.EqualTo("nop"));
        Assert.That(d.Disassemble(0x4008_0000, 0xA9BF7BFD), Is.EqualTo("stp x29, x30, [sp, #-0x10]!"));
        // PC-relative: the same word at two addresses (the cache is keyed by both).
        Assert.That(d.Disassemble(0x4008_0000, 0x14000002), Is.EqualTo("b #0x40080008"));
        Assert.That(d.Disassemble(0x4008_1000, 0x14000002), Is.EqualTo("b #0x40081008"));
        Assert.That(d.TryDisassemble(0, 0x00000000), Is.Null, "UDF #0 is not decoded by Capstone 4");
        Assert.That(d.Disassemble(0, 0x00000000), Is.EqualTo(".inst 0x00000000"));
        Assert.That(d.Disassemble(0, 0x00000000, "(undefined)"), Is.EqualTo("(undefined)"));
    }
}
