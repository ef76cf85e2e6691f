using NUnit.Framework;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>
/// The kernel's halting paths (REF §13.1, src/panic.c and src/exception.c): what it prints when it stops, and that it
/// stops. A real kernel data abort is taken through the vector table; the classes the kernel cannot be driven into
/// from outside (an instruction abort, an FP trap or an unknown instruction at EL1) are given to
/// <c>exception_dispatch_sync</c> with ESR_EL1 set as the CPU would set it (Arm ARM D17.2.37).
/// </summary>
public sealed class FatalPathTests : KernelFunctionTest
{
    private const ulong SameElSpx = 1; // exception_dispatch_sync's source argument for the current-EL SP_ELx vectors
    private const ulong StackGuard = 0x4011_8000; // the unmapped page below the exception stack

    private static string Hex(ulong v) => v.ToString("X16");

    [Test]
    public void PanicPrintsItsContextAndHalts()
    {
        ulong file = KernelHarness.Scratch, msg = KernelHarness.Scratch + 0x100;
        K.WriteBytes(file, "src/ipc.c\0"u8);
        K.WriteBytes(msg, "queue corrupt\0"u8);
        K.TickCount = 0x1234;
        K.CurrentTask = 3;
        K.Cpu.EsrEl[1] = 0x9600_0045;
        K.Cpu.FarEl[1] = 0xDEAD_0000;
        string uart = K.RunUntilPrinted("kernel_panic", "queue corrupt\n", file, 77, msg);
        Assert.That(uart, Is.EqualTo($"\n!!! KERNEL PANIC !!!\n  tick: 0x{Hex(0x1234)}\n  task: 3\n  at: src/ipc.c:77\n" +
            $"  ESR_EL1: 0x{Hex(0x9600_0045)}\n  FAR_EL1: 0x{Hex(0xDEAD_0000)}\n  queue corrupt\n"));
        AssertHalted();
    }

    [Test]
    public void PanicWithoutAMessagePrintsNoMessageLine()
    {
        K.WriteBytes(KernelHarness.Scratch, "x.c\0"u8);
        string uart = K.RunUntilPrinted("kernel_panic", "FAR_EL1: 0x", KernelHarness.Scratch, 1, 0);
        for (int i = 0; i < 20_000; i++) K.Cpu.Run(1);
        Assert.That(K.Uart, Does.EndWith($"FAR_EL1: 0x{Hex(K.Cpu.FarEl[1])}\n"));
    }

    [Test]
    public void AKernelDataAbortPrintsTheFaultAndHalts()
    {
        // memset into the unmapped stack guard: a real translation fault at EL1, through the vector table.
        string uart = K.RunUntilPrinted("memset", "HALTED.\n", StackGuard, 0, 8);
        Assert.That(uart, Does.StartWith("\n!!! DATA ABORT !!! [KERNEL]\n  Source: same EL\n  DFSC: 0x"));
        Assert.That(uart, Does.Contain(" (Translation fault L").And.Contain("\n  Access: WRITE\n"));
        Assert.That(uart, Does.Contain($"\n  FAR:  0x{Hex(StackGuard)}\n"));
        Assert.That(uart, Does.Contain($"\n  src:  {Hex(SameElSpx)}\n  HALTED.\n")); // the source is printed without 0x
        Assert.That(K.Symbols.Describe(K.Cpu.ElrEl[1]), Does.StartWith("memset+"), "ELR: the faulting store");
        AssertHalted();
    }

    [TestCase(0x21u, "\n!!! INSTRUCTION ABORT !!! [KERNEL]\n  Source: same EL\n  IFSC: 0x")]
    [TestCase(0x07u, "\n!!! FP/SIMD TRAP !!! [KERNEL]\n  Kernel code attempted FP instruction.\n  ESR: 0x")]
    [TestCase(0x00u, "\n!!! UNHANDLED EXCEPTION !!! [KERNEL]\n  EC:   0x")]
    public void EveryOtherKernelExceptionHalts(uint ec, string start)
    {
        ulong esr = (ulong)ec << 26 | 1UL << 25 | 0x10; // IL = 1; ISS 0x10: an external abort, "other" as a fault class
        K.Cpu.EsrEl[1] = esr;
        ulong frame = K.Frame(elr: 0x4008_1234);
        string uart = K.RunUntilPrinted("exception_dispatch_sync", "HALTED.\n", frame, SameElSpx);
        Assert.That(uart, Does.StartWith(start));
        Assert.That(uart, Does.Contain(Hex(esr)));
        AssertHalted();
    }

    [Test]
    public void SErrorIsReportedAsFatal()
    {
        K.Call("exception_dispatch_serror", K.Frame());
        Assert.That(K.Uart, Is.EqualTo("\n!!! SERROR (fatal) !!!\n"));
    }

    /// <summary>Halted: it never returns, prints nothing more, and sits in a WFE loop at EL1.</summary>
    private static void AssertHalted()
    {
        string before = K.Uart;
        for (int i = 0; i < 20_000; i++) K.Cpu.Run(1);
        Assert.That(K.Cpu.PC, Is.Not.EqualTo(K.ReturnSentinel), "returned");
        Assert.That(K.Cpu.EL, Is.EqualTo(1));
        Assert.That(K.Uart, Is.EqualTo(before), "printed after halting");
        const uint Wfe = 0xD503205F;
        Assert.That(K.R32(K.Cpu.PC) == Wfe || K.R32(K.Cpu.PC - 4) == Wfe, Is.True, $"not in a WFE loop: PC {K.Symbols.Describe(K.Cpu.PC)}");
    }
}
