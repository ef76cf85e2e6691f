using Aegis.Emulator.Cpu.Decoding;
using Aegis.Emulator.Devices;
using Aegis.Tests.Support;
using NUnit.Framework;

namespace Aegis.Tests;

/// <summary>The machine's plumbing before any instruction class exists: undefined encodings and ELF errors.</summary>
public class SkeletonTests
{
    [Test]
    public void AllZeroWordIsUndefinedAndTakesTheArchitecturalException()
    {
        // Arm ARM: 0x00000000 is UDF #0 (permanently undefined): EC 0x00, IL = 1, ELR = the instruction.
        var h = new CpuHarness([0x0000_0000]);
        h.Cpu.VbarEl[1] = 0x4000_1000;
        h.Cpu.Run(1);
        Assert.That(h.Cpu.PC, Is.EqualTo(0x4000_1200), "current EL with SP_ELx: vector offset 0x200");
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0x0200_0000));
        Assert.That(h.Cpu.ElrEl[1], Is.EqualTo(CpuHarness.CodeBase));
        Assert.That(h.Cpu.SpsrEl[1], Is.EqualTo(0x3C5), "EL1h with DAIF masked");
        Assert.That(Decoder.RowOf(0).Name, Is.EqualTo("UNDEFINED"));
    }

    [Test]
    public void TruncatedElfGetsAClearError()
    {
        var ex = Assert.Throws<ElfLoadException>(() => new VirtBoard().LoadElf(new byte[10]));
        Assert.That(ex!.Message, Does.Contain("shorter than an ELF64 header"));
    }
}
