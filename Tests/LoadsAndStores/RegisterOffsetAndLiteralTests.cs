using Aegis.Tests.Support;
using NUnit.Framework;
using static Aegis.Tests.LoadsAndStores.Ldst;

namespace Aegis.Tests.LoadsAndStores;

/// <summary>
/// Register-offset forms (ExtendReg with UXTW/SXTW/LSL/SXTX and optional scaling) and literal loads.
/// Expected addresses and values follow the Arm ARM pseudocode (ExtendReg, LSL, SignExtend), worked by hand.
/// </summary>
public class RegisterOffsetAndLiteralTests
{
    [Test]
    public void ExtendsAndScalesTheOffsetRegister()
    {
        var h = Asm(
            "ldr x0, [x1, x2, lsl #3]",     // D + 2 * 8
            "ldr w3, [x1, w4, sxtw #2]",    // D + (-1) * 4, bits [63:32] of X4 ignored
            "ldrb w5, [x1, w6, uxtw]",      // D + 3, bits [63:32] of X6 ignored
            "ldrsh x7, [x1, x8, sxtx #1]",  // D + (-1) * 2
            "ldr x9, [x1, x10]",            // D + 8, no scaling
            "ldrsw x11, [x1, w12, uxtw #2]",// D + 4 * 1
            "ldrh w13, [x1, x10, lsl #1]",  // D + 16
            "ldrsb w14, [x1, xzr]");        // Rm = 31 is XZR
        h.Write(D - 8, 8, 0x8877_6655_4433_2211);
        h.Write(D, 8, 0xF0E1_D2C3_B4A5_9687);
        h.Write(D + 8, 8, 0x0123_4567_89AB_CDEF);
        h.Write(D + 16, 8, 0x1111_2222_3333_4444);
        h.SetX(1, D).SetX(2, 2).SetX(4, 0xDEAD_0000_FFFF_FFFF).SetX(6, 0xFFFF_FFFF_0000_0003)
            .SetX(8, unchecked((ulong)-1L)).SetX(10, 8).SetX(12, 0xFFFF_FFFF_0000_0001).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.X(0), Is.EqualTo(0x1111_2222_3333_4444UL));
            Assert.That(h.X(3), Is.EqualTo(0x8877_6655UL));
            Assert.That(h.X(5), Is.EqualTo(0xB4UL));
            Assert.That(h.X(7), Is.EqualTo(0xFFFF_FFFF_FFFF_8877UL));
            Assert.That(h.X(9), Is.EqualTo(0x0123_4567_89AB_CDEFUL));
            Assert.That(h.X(11), Is.EqualTo(0xFFFF_FFFF_F0E1_D2C3UL));
            Assert.That(h.X(13), Is.EqualTo(0x4444UL));
            Assert.That(h.X(14), Is.EqualTo(0xFFFF_FF87UL));
            Assert.That(h.X(1), Is.EqualTo(D), "no writeback");
        });
    }

    [Test]
    public void RegisterOffsetStoresAndSpBase()
    {
        var h = Asm("strb w0, [x1, x2]", "strh w0, [x1, w3, sxtw #1]", "str w0, [x1, x4, lsl #2]", "str x0, [sp, x5, lsl #3]");
        ulong sp = h.Cpu.SP;
        h.SetX(0, 0x1122_3344_5566_7788).SetX(1, D).SetX(2, 1).SetX(3, 0xFFFF_FFFF).SetX(4, 2).SetX(5, unchecked((ulong)-1L)).Run();
        Assert.Multiple(() =>
        {
            Assert.That(h.Read(D + 1, 1), Is.EqualTo(0x88UL));
            Assert.That(h.Read(D - 2, 2), Is.EqualTo(0x7788UL), "SXTW #1 of -1 = -2");
            Assert.That(h.Read(D + 8, 4), Is.EqualTo(0x5566_7788UL));
            Assert.That(h.Read(sp - 8, 8), Is.EqualTo(0x1122_3344_5566_7788UL));
        });
    }

    [Test]
    public void ReservedExtendOptionIsUndefined()
    {
        // option = 000 (UXTB) is reserved for loads and stores (Arm ARM C6.2 LDR (register): option<1> == 0 is UNDEFINED).
        uint word = Llvm.Assemble("ldr x0, [x1, x2]")[0] & ~(7u << 13);
        var h = Words(word);
        h.SetX(0, 0x77).SetX(1, D).Run();
        Assert.That(h.Cpu.PC, Is.EqualTo(SyncVectorSameEl));
        Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(EsrUndefined));
        Assert.That(h.X(0), Is.EqualTo(0x77UL));
    }

    [Test]
    public void LiteralLoadsArePcRelative()
    {
        // Run exactly the four loads (the literal pool follows the code). Values: Arm ARM LDR (literal), LDRSW (literal).
        var h = Asm(
            "ldr w0, word",
            "ldr x1, dword",
            "ldrsw x2, word",
            "prfm pldl1keep, word",
            ".p2align 3",
            "dword: .quad 0x0123456789abcdef",
            "word: .word 0x80000001");
        h.SetX(0, ~0UL).SetX(3, 0x3).Cpu.Run(4);
        Assert.Multiple(() =>
        {
            Assert.That(h.X(0), Is.EqualTo(0x8000_0001UL));
            Assert.That(h.X(1), Is.EqualTo(0x0123_4567_89AB_CDEFUL));
            Assert.That(h.X(2), Is.EqualTo(0xFFFF_FFFF_8000_0001UL));
            Assert.That(h.Cpu.PC, Is.EqualTo(CpuHarness.CodeBase + 16));
        });
    }

    [Test]
    public void BackwardLiteralAndPrefetchOfNothing()
    {
        // ldr x0, #-8 reads the word pair before itself; PRFM (literal) 1 MiB back points below RAM: no fault.
        var h = Asm("prfm pldl1keep, #-1048576", "ldr w3, #4", "ldr x0, #-8", "ldr w4, #-12");
        h.Cpu.Run(4);
        var words = h.Code;
        Assert.Multiple(() =>
        {
            Assert.That(h.X(0), Is.EqualTo(words[0] | (ulong)words[1] << 32));
            Assert.That(h.X(3), Is.EqualTo((ulong)words[2]));
            Assert.That(h.X(4), Is.EqualTo((ulong)words[0]));
            Assert.That(h.Cpu.EsrEl[1], Is.EqualTo(0UL));
        });
    }
}
