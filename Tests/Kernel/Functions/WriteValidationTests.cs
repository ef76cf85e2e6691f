using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>
/// SYS_WRITE through <c>handle_svc</c> (REF §5; <c>validate_write_args</c> is static and inlined), caller task 0
/// (CAP_WRITE, REF §4.6) in its own address space. Deviation 7 (issue 10 point 1): the buffer is copied with the
/// caller's EL0 rights; anything it could not read itself is refused with x0 = 0xFFFF_5001 and the REF's
/// "bad pointer" line, and a fault while copying is that error, never a kernel abort (REF: "the kernel reads with
/// EL1 rights ... an unmapped page means a kernel data abort and a halt").
/// </summary>
public sealed class WriteValidationTests : KernelFunctionTest
{
    private const string Bad = "!!! SYS_WRITE: bad pointer !!!\n";
    private const ulong BadPointer = 0xFFFF_5001;

    private static ulong Svc(ulong nr, ulong x0 = 0, ulong x1 = 0, ulong x6 = 0)
    {
        K.CurrentTask = 0;
        K.SetState(0, Running);
        K.Cpu.MmuRegs.TTBR0_EL1 = K.TcbU64(0, L.Tcb.Ttbr0); // in the kernel, TTBR0 is the caller's
        K.Cpu.Mmu.InvalidateAllEl1();
        ulong f = K.Frame(0, (0, x0), (1, x1), (6, x6), (7, nr));
        K.CallThroughExceptions("handle_svc", f);
        return K.FrameX(0);
    }

    private static ulong OwnStack => K.Addr("__user_stacks_start");

    // ---- what task 0 may read: its own stack page ----

    [TestCase(0UL, 5UL, TestName = "Write: own stack, 5 bytes")]
    [TestCase(0UL, 1UL, TestName = "Write: len 1 is the minimum")]
    [TestCase(0UL, 256UL, TestName = "Write: len 256 is the maximum")]
    [TestCase(4096UL - 256, 256UL, TestName = "Write: ends at the top of its stack")]
    public void WriteOfOwnMemoryPrintsIt(ulong offset, ulong len)
    {
        var text = new byte[len];
        for (int i = 0; i < text.Length; i++) text[i] = (byte)('a' + i % 26);
        K.WriteBytes(OwnStack + offset, text);
        Assert.That(Svc(4, OwnStack + offset, len), Is.EqualTo(OwnStack + offset), "x0 unchanged");
        Assert.That(K.Uart, Is.EqualTo(System.Text.Encoding.ASCII.GetString(text)));
    }

    // ---- REF §5's range check: 1 <= len <= 256, buf >= 0x4000_0000, buf+len <= 0x4800_0000, no wrap ----

    [TestCase(0x4000_0000UL, 257UL, TestName = "Write: len 257 rejected")]
    [TestCase(0x3FFF_FFFFUL, 4UL, TestName = "Write: buf below RAM base")]
    [TestCase(0x47FF_FFF1UL, 16UL, TestName = "Write: ends past 0x4800_0000")]
    [TestCase(0x4800_0000UL, 1UL, TestName = "Write: buf at RAM end")]
    [TestCase(0x0UL, 1UL, TestName = "Write: null pointer")]
    [TestCase(0xFFFFFFFFFFFFFFF0UL, 0x20UL, TestName = "Write: wrapping range")]
    [TestCase(0x0900_0000UL, 1UL, TestName = "Write: UART MMIO rejected")]
    public void WriteOutsideTheRangeIsRefused(ulong buf, ulong len)
    {
        Assert.That(Svc(4, buf, len), Is.EqualTo(BadPointer));
        Assert.That(K.Uart, Is.EqualTo(Bad));
    }

    // ---- deviation 7: inside the range, but not the caller's to read ----

    [TestCase("__data_start", 0UL, TestName = "Write: kernel .data refused")]
    [TestCase("tcbs", 28 * 8UL, TestName = "Write: a TCB (saved x28) refused")]
    [TestCase("__rodata_start", 0UL, TestName = "Write: kernel .rodata refused")]
    [TestCase("_start", 0UL, TestName = "Write: kernel text refused")]
    [TestCase("__page_tables_start", 0UL, TestName = "Write: page tables refused")]
    [TestCase("__user_stacks_start", 4096UL, TestName = "Write: another task's stack refused")]
    [TestCase("__grant_pages_start", 0UL, TestName = "Write: a grant page not granted refused")]
    [TestCase("__elf_load_start", 0x4000UL, TestName = "Write: another task's ELF slot refused")]
    [TestCase("__stack_start", 0UL, TestName = "Write: the exception stack refused")]
    public void WriteOfMemoryTheCallerCannotReadIsRefused(string symbol, ulong offset)
    {
        ulong buf = K.Addr(symbol) + offset;
        Assert.That(Svc(4, buf, 16), Is.EqualTo(BadPointer));
        Assert.That(K.Uart, Is.EqualTo(Bad));
    }

    [TestCase(0x4000_0000UL, TestName = "Write: RAM below the kernel refused")]
    [TestCase(0x4011_8000UL, TestName = "Write: the unmapped stack guard is an error, not a kernel abort")]
    [TestCase(0x4015_0000UL, TestName = "Write: an unmapped page above the kernel is an error")]
    [TestCase(0x4200_0000UL, TestName = "Write: the boot bundle refused")]
    [TestCase(0x47FF_FFF0UL, TestName = "Write: the last RAM block refused")]
    public void WriteOfUnmappedOrKernelRamIsRefused(ulong buf)
    {
        Assert.That(Svc(4, buf, 16), Is.EqualTo(BadPointer));
        Assert.That(K.Uart, Is.EqualTo(Bad));
    }

    [Test]
    public void ABufferThatRunsIntoAnotherTasksPagePrintsNothing()
    {
        // The copy faults on its 17th byte: nothing of the first 16 is printed either.
        ulong buf = OwnStack + 4096 - 16;
        K.WriteBytes(buf, "sixteen bytes ok"u8);
        Assert.That(Svc(4, buf, 32), Is.EqualTo(BadPointer));
        Assert.That(K.Uart, Is.EqualTo(Bad));
    }

    [TestCase(0x4000_0000UL)]
    [TestCase(0x0UL)]
    public void WriteOfLengthZeroPrintsNothing(ulong buf)
    {
        // REF §5: "If invalid and len>0, prints" - len 0 is invalid but silent (deviation 7: x0 = the error).
        Assert.That(Svc(4, buf, 0), Is.EqualTo(BadPointer));
        Assert.That(K.Uart, Is.Empty);
    }
}
