using NUnit.Framework;
using L = Aegis.Tests.Kernel.Functions.KernelLayout;

namespace Aegis.Tests.Kernel.Functions;

/// <summary>
/// Page-table bank indices, TTBR0/ASID values and descriptor bits built by <c>mmu_init</c>, and
/// <c>mmu_set_page_attr</c> / <c>mmu_map_device_for_task</c> (REF §1.4, §1.5, §7.5; deviations 1 and 2 in
/// REF §15 and Kernel.Image/README.md: per-task entries carry nG = bit 11; deviation 12: execute-never everywhere
/// EL0 is not meant to run code).
/// </summary>
public sealed class MmuTests : KernelFunctionTest
{
    private const ulong NG = 1UL << 11;
    private const ulong KernelText = 0x0040_0000_0000_078B,
        KernelData = 0x0060_0000_0000_070B, KernelRo = 0x0060_0000_0000_078B, UserData = 0x0060_0000_0000_074B, UserCode = 0x0020_0000_0000_07CB,
        DeviceBlock = 0x0060_0000_0000_0401, DeviceBlockEl0 = 0x0060_0000_0000_0441, RamBlock = 0x0060_0000_0000_0709;
    private const ulong Uxn = 1UL << 54;

    private static ulong Bank(int index) => K.Addr("__page_tables_start") + (ulong)index * 4096;
    /// <summary>pt_index(task, type) = type*8 + task; the kernel set (task 8) is 32 + type (REF §1.4).</summary>
    private static int PtIndex(int task, int type) => task == 8 ? 32 + type : type * 8 + task;
    private static ulong Entry(int task, int type, int i) => K.R64(Bank(PtIndex(task, type)) + (ulong)i * 8);
    private static ulong L3Of(int task, ulong pa) => Entry(task, 3, (int)((pa - 0x4000_0000) / 4096));

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    [TestCase(6)]
    [TestCase(7)]
    public void TaskTtbr0HasAsidTaskPlusOne(int task)
    {
        // REF §1.5: ((task+1) << 48) | L1 of the task (bank index 8 + task); TASK_META applies it to every TCB.
        ulong expected = ((ulong)(task + 1) << 48) | Bank(8 + task);
        Assert.That(K.Call("mmu_task_ttbr0", (ulong)task), Is.EqualTo(expected));
        Assert.That(K.TcbU64(task, L.Tcb.Ttbr0), Is.EqualTo(expected));
    }

    [Test]
    public void KernelTtbr0IsPage33WithAsid0()
    {
        // REF §15 deviation 1: the boot TTBR0 is the kernel's own L1 (index 33), not the stale page 13.
        Assert.That(K.Call("mmu_kernel_ttbr0"), Is.EqualTo(Bank(33)));
        K.Reset();
        Assert.That(K.Cpu.MmuRegs.TTBR0_EL1, Is.EqualTo(Bank(33)), "the value boot.S loaded");
    }

    [Test]
    public void BankIs36Pages() =>
        Assert.That(K.Addr("__page_tables_end") - K.Addr("__page_tables_start"), Is.EqualTo(36UL * 4096)); // REF §1.2

    // REF §1.4 "Per table set": L1[0] -> L2Device, L1[1] -> L2Ram, the rest invalid.
    [TestCase(0)]
    [TestCase(5)]
    [TestCase(8)]
    public void L1Entries(int set)
    {
        Assert.That(Entry(set, 1, 0), Is.EqualTo(Bank(PtIndex(set, 0)) | 3));
        Assert.That(Entry(set, 1, 1), Is.EqualTo(Bank(PtIndex(set, 2)) | 3));
        Assert.That(Entry(set, 1, 2), Is.Zero);
        Assert.That(Entry(set, 1, 511), Is.Zero);
    }

    // REF §1.4: L2Device 64..72 device blocks (EL1 only); UART block 72 is nG (deviation 2); others invalid.
    [TestCase(2, 63, 0x0UL)]
    [TestCase(2, 64, 0x0800_0000UL | DeviceBlock)]
    [TestCase(2, 65, 0x0820_0000UL | DeviceBlock)]
    [TestCase(2, 71, 0x08E0_0000UL | DeviceBlock)]
    [TestCase(2, 72, 0x0900_0000UL | DeviceBlock | NG)]
    [TestCase(2, 73, 0x0UL)]
    [TestCase(8, 72, 0x0900_0000UL | DeviceBlock | NG)]
    public void L2DeviceEntries(int set, int index, ulong expected) => Assert.That(Entry(set, 0, index), Is.EqualTo(expected));

    // REF §1.4: L2Ram[0] -> L3, [1..63] 2 MiB RAM blocks, [64..] invalid. Deviation 12: the blocks carry PXN + UXN
    // (REF's 0x709 had none: EL0 could run the boot bundle at 0x4200_0000, issue 10 point 2).
    [TestCase(1, 1, 0x4020_0000UL | RamBlock)]
    [TestCase(1, 63, 0x47E0_0000UL | RamBlock)]
    [TestCase(1, 64, 0x0UL)]
    [TestCase(8, 2, 0x4040_0000UL | RamBlock)]
    public void L2RamEntries(int set, int index, ulong expected) => Assert.That(Entry(set, 2, index), Is.EqualTo(expected));

    [TestCase(4)]
    [TestCase(8)]
    public void L2RamPointsAtOwnL3(int set) => Assert.That(Entry(set, 2, 0), Is.EqualTo(Bank(PtIndex(set, 3)) | 3));

    // REF §1.4 L3 rules (first match wins) with the nG bit of deviation 2.
    // Deviation 12: kernel text EL1-only (UXN), kernel rodata EL1-only, both global; the EL0 code the kernel image
    // carries (.user_text) EL0-executable only in the tables of the tasks that run it, hence nG.
    [TestCase(0, "_start", 0UL, KernelText, TestName = "L3: text EL1 RX, UXN, global")]
    [TestCase(7, "kernel_main", 0UL, KernelText, TestName = "L3: kernel_main page EL1-only in the idle task's table")]
    [TestCase(0, "__rodata_start", 0UL, KernelRo, TestName = "L3: rodata EL1 read-only, XN")]
    [TestCase(0, "uart_driver_entry", 0UL, UserCode | NG, TestName = "L3: user text EL0-executable for the driver")]
    [TestCase(7, "idle_entry", 0UL, UserCode | NG, TestName = "L3: user text EL0-executable for the idle task")]
    [TestCase(2, "idle_entry", 0UL, KernelRo | NG, TestName = "L3: user text taken from a task that runs its ELF")]
    [TestCase(5, "idle_entry", 0UL, KernelRo | NG, TestName = "L3: user text EL1-only for a task that runs none")]
    [TestCase(8, "idle_entry", 0UL, KernelRo | NG, TestName = "L3: user text EL1-only in the kernel set")]
    [TestCase(0, "__data_start", 0UL, KernelData, TestName = "L3: data EL1-only")]
    [TestCase(3, "__page_tables_start", 0UL, KernelData, TestName = "L3: page tables EL1-only")]
    [TestCase(3, "__task_stacks_start", 0UL, KernelData, TestName = "L3: task stacks EL1-only")]
    [TestCase(0, "__user_stacks_start", 0UL, UserData | NG, TestName = "L3: own user stack EL0 RW, nG (task 0)")]
    [TestCase(5, "__user_stacks_start", 5 * 4096UL, UserData | NG, TestName = "L3: own user stack EL0 RW, nG (task 5)")]
    [TestCase(0, "__user_stacks_start", 4096UL, KernelData | NG, TestName = "L3: other task's stack EL1-only, nG")]
    [TestCase(8, "__user_stacks_start", 0UL, KernelData | NG, TestName = "L3: kernel set maps every user stack EL1-only")]
    [TestCase(1, "__grant_pages_start", 0UL, KernelData | NG, TestName = "L3: grant page EL1-only until granted, nG")]
    // Slot 3 (offset 0xC000): the default boot bundle loads slots 0-2 only (phase O). Deviation 6: a task's table maps
    // other slots EL1 read-only; the kernel set, which the loader writes through, keeps free slots writable and loaded
    // code read-only.
    [TestCase(2, "__elf_load_start", 0xC000UL, KernelRo | NG, TestName = "L3: ELF slot EL1 read-only in a task's table, nG")]
    [TestCase(2, "__elf_load_start", 0x17000UL, KernelRo | NG, TestName = "L3: last ELF slot page")]
    [TestCase(3, "__elf_load_start", 0UL, KernelRo | NG, TestName = "L3: hello's code EL1 read-only in sensor's table")]
    [TestCase(8, "__elf_load_start", 0xC000UL, KernelData | NG, TestName = "L3: free ELF slot EL1-writable in the kernel set")]
    [TestCase(8, "__elf_load_start", 0UL, KernelRo | NG, TestName = "L3: hello's code sealed read-only in the kernel set")]
    [TestCase(2, "__elf_load_start", 0UL, UserCode | NG, TestName = "L3: hello's code EL0-executable in its own table")]
    [TestCase(0, "__stack_start", 0UL, KernelData, TestName = "L3: boot stack EL1-only")]
    public void L3Entries(int set, string symbol, ulong offset, ulong attrs)
    {
        ulong pa = K.Addr(symbol) + offset & ~0xFFFUL;
        Assert.That(L3Of(set, pa), Is.EqualTo(pa | attrs));
    }

    [TestCase(0)]
    [TestCase(8)]
    public void RamBelowTextIsKernelData(int set) =>
        Assert.That(L3Of(set, 0x4000_0000), Is.EqualTo(0x4000_0000UL | KernelData)); // REF §1.4 L3 rule 7

    [TestCase("__stack_guard", 0UL, TestName = "L3: stack guard unmapped")]
    [TestCase("__kernel_end", 0UL, TestName = "L3: first page above the kernel unmapped")]
    [TestCase("__kernel_end", 0xE2000UL, TestName = "L3: last page of the first 2 MiB unmapped")]
    public void L3Unmapped(string symbol, ulong offset)
    {
        for (int set = 0; set <= 8; set++)
            Assert.That(L3Of(set, K.Addr(symbol) + offset), Is.Zero, $"set {set}");
    }

    /// <summary>
    /// Issue 10 point 2: in every task's tables the only memory EL0 may execute (UXN clear, at any level) is the task's
    /// own code: its loaded ELF segments inside its own slot, or, for a task started on code the kernel image carries,
    /// .user_text. Device blocks, RAM blocks, kernel text and everything else carry UXN.
    /// </summary>
    [Test]
    public void El0CanExecuteOnlyItsOwnCode()
    {
        ulong userText = K.Addr("__user_text_start"), userTextEnd = K.Addr("__user_text_end");
        ulong slots = K.Addr("__elf_load_start");
        for (int task = 0; task < 8; task++)
        {
            ulong entry = K.TcbU64(task, L.Tcb.EntryPoint);
            bool kernelCarried = entry >= userText && entry < userTextEnd;
            for (int i = 0; i < 512; i++)
            {
                ulong dev = Entry(task, 0, i), ram = Entry(task, 2, i);
                if ((dev & 3) == 1) Assert.That(dev & Uxn, Is.Not.Zero, $"task {task} L2 device block {i}");
                if ((ram & 3) == 1) Assert.That(ram & Uxn, Is.Not.Zero, $"task {task} L2 RAM block {i}");
                ulong e = Entry(task, 3, i);
                if ((e & 1) == 0 || (e & Uxn) != 0) continue;
                ulong pa = 0x4000_0000UL + (ulong)i * 4096;
                bool ownSlot = task >= 2 && task <= 6 && pa - (slots + (ulong)(task - 2) * 0x4000) < 0x4000;
                bool ownText = kernelCarried && pa >= userText && pa < userTextEnd;
                Assert.That(ownSlot || ownText, Is.True, $"task {task} may execute 0x{pa:X} ({e:X16})");
            }
        }
    }

    [Test]
    public void NoTextPageIsWritableAndNoWritablePageIsExecutable()
    {
        // REF §1.4 W^X: AP[2] (bit 7) = 1 read-only for every executable (UXN or PXN clear) page, in every set.
        for (int set = 0; set <= 8; set++)
            for (int i = 0; i < 512; i++)
            {
                ulong e = Entry(set, 3, i);
                if ((e & 1) == 0) continue;
                bool executable = (e >> 53 & 3) != 3;
                bool writable = (e >> 7 & 1) == 0;
                Assert.That(executable && writable, Is.False, $"set {set} page {i}: {e:X16}");
            }
    }

    // REF §5 internal errors of set_page_attr.
    [TestCase(8u, 0x400B_C000UL, 0xFFFF_3001UL)]
    [TestCase(0u, 0x4020_0000UL, 0xFFFF_3002UL)]
    [TestCase(0u, 0x3FFF_F000UL, 0xFFFF_3002UL)]
    [TestCase(0u, 0x401F_FFFFUL, 0x0UL)]
    public void SetPageAttrChecks(uint task, ulong vaddr, ulong expected) =>
        Assert.That(K.Call("mmu_set_page_attr", task, vaddr, UserData), Is.EqualTo(expected));

    [Test]
    public void SetPageAttrWritesPageAlignedNonGlobalEntryOfThatTaskOnly()
    {
        ulong pa = K.Addr("__grant_pages_start");
        Assert.That(K.Call("mmu_set_page_attr", 6, pa + 0x123, UserCode), Is.Zero);
        Assert.That(L3Of(6, pa), Is.EqualTo(pa | UserCode | NG));
        Assert.That(L3Of(5, pa), Is.EqualTo(pa | KernelData | NG));
    }

    [Test]
    public void DeviceMapGivesCallerTheUartBlock()
    {
        // REF §5 SYS_DEVICE_MAP: L2 index 72 = DEVICE_BLOCK_EL0 in the caller's L2Device (nG, deviation 2).
        Assert.That(K.Call("mmu_map_device_for_task", 0, 1), Is.Zero);
        Assert.That(Entry(1, 0, 72), Is.EqualTo(0x0900_0000UL | DeviceBlockEl0 | NG));
        Assert.That(Entry(0, 0, 72), Is.EqualTo(0x0900_0000UL | DeviceBlock | NG));
        Assert.That(K.Uart, Is.EqualTo("[AegisOS] DEVICE MAP: UART0 -> task 0000000000000001\n"));
    }

    [TestCase(1UL, 0u, 0xFFFF_2001UL)]
    [TestCase(0UL, 8u, 0xFFFF_2002UL)]
    public void DeviceMapErrors(ulong device, uint task, ulong expected)
    {
        Assert.That(K.Call("mmu_map_device_for_task", device, task), Is.EqualTo(expected));
        Assert.That(K.Uart, Is.Empty);
    }
}
