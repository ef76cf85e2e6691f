using Aegis.Emulator.Cpu.Exceptions;
using NUnit.Framework;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>
/// The slots of the kernel's vector table (src/vectors.S) that no run reaches: exceptions taken with SP_EL0 selected at
/// EL1, IRQs at EL1, FIQs and SErrors. The harness takes each as the CPU would (Arm ARM D1.10: the offset from VBAR_EL1
/// follows from the interrupted EL and SPSel) and checks where the kernel goes: a synchronous exception at EL1 is a
/// kernel fault (halts with its report), an IRQ is dispatched and returned from (here a spurious one: the GIC has
/// nothing pending), an FIQ halts silently, an SError prints its line and halts. The four AArch32 slots stay out of
/// reach: the emulator implements no AArch32 state.
/// </summary>
public sealed class VectorTableTests : KernelFunctionTest
{
    private const uint Wfe = 0xD503205F;

    private static void AssertHaltedInWfe()
    {
        for (int i = 0; i < 1_000; i++) K.Cpu.Run(1);
        Assert.That(K.Cpu.EL, Is.EqualTo(1));
        Assert.That(K.R32(K.Cpu.PC) == Wfe || K.R32(K.Cpu.PC - 4) == Wfe, Is.True, $"not in a WFE loop: PC {K.Symbols.Describe(K.Cpu.PC)}");
    }

    [Test]
    public void ASynchronousExceptionWithSpEl0SelectedIsAKernelFault()
    {
        // Offset 0x000: exc_sync_cur_sp0, source 0 ("same EL, SP_EL0") to exception_dispatch_sync.
        uint esr = 1u << 25; // EC 0 (unknown reason), IL 1
        int seen = -1;
        K.TakeException(ExceptionVector.Synchronous, fromEl: 1, spSel: false, esr, _ =>
        {
            if (K.Uart.Length == seen) return false;
            seen = K.Uart.Length;
            return K.Uart.Contains("HALTED.\n");
        });
        Assert.That(K.Uart, Does.StartWith("\n!!! UNHANDLED EXCEPTION !!! [KERNEL]\n  EC:   0x"));
        AssertHaltedInWfe();
    }

    [TestCase(false, TestName = "Vector: IRQ at EL1 with SP_EL0 (offset 0x080) returns")]
    [TestCase(true, TestName = "Vector: IRQ at EL1 with SP_EL1 (offset 0x280) returns")]
    public void AnIrqAtEl1IsDispatchedAndReturns(bool spSel)
    {
        K.TakeException(ExceptionVector.Irq, fromEl: 1, spSel, 0, c => c.PC == K.ReturnSentinel);
        Assert.That(K.Cpu.EL, Is.EqualTo(1));
        Assert.That(K.Cpu.SpSel, Is.EqualTo(spSel), "ERET restored SPSel");
        Assert.That(K.Uart, Is.Empty, "a spurious INTID is ignored silently");
    }

    [TestCase(1, false, TestName = "Vector: FIQ at EL1 with SP_EL0 (offset 0x100) halts")]
    [TestCase(1, true, TestName = "Vector: FIQ at EL1 with SP_EL1 (offset 0x300) halts")]
    [TestCase(0, false, TestName = "Vector: FIQ from EL0 (offset 0x500) halts")]
    public void AnFiqHaltsTheKernel(int fromEl, bool spSel)
    {
        ulong halt = K.Addr("exc_halt_stub");
        K.TakeException(ExceptionVector.Fiq, fromEl, spSel, 0, c => c.PC == halt);
        AssertHaltedInWfe();
        Assert.That(K.Uart, Is.Empty);
    }

    [TestCase(1, false, TestName = "Vector: SError at EL1 with SP_EL0 (offset 0x180) halts")]
    [TestCase(1, true, TestName = "Vector: SError at EL1 with SP_EL1 (offset 0x380) halts")]
    [TestCase(0, false, TestName = "Vector: SError from EL0 (offset 0x580) halts")]
    public void AnSErrorIsReportedAndHaltsTheKernel(int fromEl, bool spSel)
    {
        ulong halt = K.Addr("exc_halt_stub");
        K.TakeException(ExceptionVector.SError, fromEl, spSel, 0, c => c.PC == halt);
        Assert.That(K.Uart, Is.EqualTo("\n!!! SERROR (fatal) !!!\n"));
        AssertHaltedInWfe();
    }
}
