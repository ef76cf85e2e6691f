using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>SYS_WRITE pointer validation through <c>handle_svc</c> (REF §5); <c>validate_write_args</c> is static and inlined.
/// The caller is task 0 (CAP_WRITE, REF §4.6).</summary>
public sealed class WriteValidationTests : KernelFunctionTest
{
    private static ulong Svc(ulong nr, ulong x0 = 0, ulong x1 = 0, ulong x6 = 0)
    {
        K.CurrentTask = 0;
        K.SetState(0, Running);
        ulong f = K.Frame(0, (0, x0), (1, x1), (6, x6), (7, nr));
        K.Call("handle_svc", f);
        return K.FrameX(0);
    }

    // ---- SYS_WRITE (REF §5): valid iff 1 <= len <= 256, buf >= 0x4000_0000, buf+len <= 0x4800_0000, no wrap ----

    private const string Bad = "!!! SYS_WRITE: bad pointer !!!\n";

    [TestCase(0x4020_1000UL, 5UL, true, TestName = "Write: scratch buffer, 5 bytes")]
    [TestCase(0x4020_1000UL, 1UL, true, TestName = "Write: len 1 is the minimum")]
    [TestCase(0x4020_1000UL, 256UL, true, TestName = "Write: len 256 is the maximum")]
    [TestCase(0x4020_1000UL, 257UL, false, TestName = "Write: len 257 rejected")]
    [TestCase(0x4000_0000UL, 4UL, true, TestName = "Write: buf at RAM base")]
    [TestCase(0x3FFF_FFFFUL, 4UL, false, TestName = "Write: buf below RAM base")]
    [TestCase(0x47FF_FFF0UL, 16UL, true, TestName = "Write: ends exactly at 0x4800_0000")]
    [TestCase(0x47FF_FFF1UL, 16UL, false, TestName = "Write: ends past 0x4800_0000")]
    [TestCase(0x4800_0000UL, 1UL, false, TestName = "Write: buf at RAM end")]
    [TestCase(0x0UL, 1UL, false, TestName = "Write: null pointer")]
    [TestCase(0xFFFFFFFFFFFFFFF0UL, 0x20UL, false, TestName = "Write: wrapping range")]
    [TestCase(0x0900_0000UL, 1UL, false, TestName = "Write: UART MMIO rejected")]
    public void WriteValidation(ulong buf, ulong len, bool valid)
    {
        // The frame is at Scratch; test buffers start one page above it.
        bool inScratch = buf - (KernelHarness.Scratch + 0x1000) < KernelHarness.ScratchSize - 0x1000;
        var text = new byte[inScratch ? (int)Math.Min(len, 256) : 0];
        for (int i = 0; i < text.Length; i++) text[i] = (byte)('a' + i % 26);
        if (inScratch) K.WriteBytes(buf, text);
        Assert.That(Svc(4, buf, len), Is.EqualTo(buf), "x0 unchanged");
        if (valid)
        {
            Assert.That(K.Uart, Does.Not.Contain("bad pointer"));
            Assert.That(K.Uart.Length, Is.EqualTo((int)len));
            if (inScratch)
                Assert.That(K.Uart, Is.EqualTo(System.Text.Encoding.ASCII.GetString(text)));
        }
        else Assert.That(K.Uart, Is.EqualTo(Bad));
    }

    [TestCase(0x4020_0000UL)]
    [TestCase(0x0UL)]
    public void WriteOfLengthZeroPrintsNothing(ulong buf)
    {
        // REF §5: "If invalid and len>0, prints" - len 0 is invalid but silent.
        Svc(4, buf, 0);
        Assert.That(K.Uart, Is.Empty);
    }
}
