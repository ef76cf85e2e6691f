using NUnit.Framework;
using Aegis.Emulator.Devices;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>The harness itself: the boot point, the snapshot, and that a call runs kernel code.</summary>
public sealed class HarnessTests : KernelFunctionTest
{
    [Test]
    public void BootStopsAfterTheLastBootLineBeforeBootstrap()
    {
        // REF §10: the kernel boot lines end with "bootstrapping into uart_driver (EL0)..." right before sched::bootstrap.
        Assert.That(K.BootOutput, Does.StartWith("\n[AegisOS] boot\n"));
        Assert.That(K.BootOutput, Does.EndWith("[AegisOS] bootstrapping into uart_driver (EL0)...\n"));
        Assert.That(K.Cpu.EL, Is.EqualTo(1));
    }

    [Test]
    public void ResetRestoresKernelMemory()
    {
        K.SetState(3, Faulted);
        K.TickCount = 1234;
        K.Reset();
        // REF §4.6: task 3 is Ready at boot; no tick has happened before bootstrap (REF §2 step 10.8-10.10).
        Assert.That(K.State(3), Is.EqualTo(Ready));
        Assert.That(K.TickCount, Is.EqualTo(0UL));
    }

    [Test]
    public void CallReturnsX0AndCapturesUart()
    {
        // uart_print_hex prints exactly 16 uppercase hex digits (REF intro, number formats).
        K.Call("uart_print_hex", 0xDEADBEEFUL);
        Assert.That(K.Uart, Is.EqualTo("00000000DEADBEEF"));
        Assert.That(K.Call("grant_page_addr", 1), Is.EqualTo(K.Addr("__grant_pages_start") + 4096)); // REF §7.3
    }

    [Test]
    public void AnExceptionInsideTheCalledFunctionIsReported()
    {
        // uart_print on an address outside RAM: the load takes a synchronous external abort (EC 0x25, REF §3.3).
        var ex = Assert.Throws<InvalidOperationException>(() => K.Call("uart_print", 0x1_0000_0000UL));
        Assert.That(ex!.Message, Does.Contain("raised an exception"));
        _ = VirtBoard.RamBase;
    }
}
