using Aegis.Emulator.Cpu;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Devices;

/// <summary>Board parameters; the defaults are QEMU 7.2's -M virt with -cpu cortex-a53.</summary>
public sealed record VirtBoardOptions
{
    public ulong RamSize { get; init; } = 128UL << 20;
    /// <summary>Enter at EL2, as QEMU's -M virt,virtualization=on (PSCI then goes through SMC).</summary>
    public bool El2 { get; init; }

    /// <summary>The timing model by name (<see cref="TimingModels"/>: "a53" or "simple"); it owns the clock.</summary>
    public string Timing { get; init; } = DefaultTiming;

    /// <summary>The Cortex-A53 model's caches, latencies and predictor (Raspberry Pi 3 defaults), when <see cref="Timing"/> is "a53".</summary>
    public Cpu.Timing.A53.A53Config A53 { get; init; } = new();

    /// <summary>
    /// The model of a board whose options name none: "simple" for the library, so that embedders and tests get one
    /// cycle per instruction unless they ask (the command line asks for "a53"). The test suite sets it from
    /// AEGIS_TEST_TIMING to run its differential tests under either model.
    /// </summary>
    public static string DefaultTiming { get; set; } = TimingModels.Simple;

    /// <summary>How the CPU executes (`--engine`): the interpreter or the block translator; both give the same run.</summary>
    public ExecutionEngine Engine { get; init; } = DefaultEngine;

    /// <summary>The engine of a board whose options name none: the translator, the faster (issue 14); the test suite sets it
    /// from AEGIS_TEST_ENGINE.</summary>
    public static ExecutionEngine DefaultEngine { get; set; } = ExecutionEngine.Translator;

    /// <summary>How many times a block start runs in the interpreter before the translator compiles it
    /// (<see cref="Cpu.HotBlock"/>).</summary>
    public int HotBlock { get; init; } = DefaultHotBlock;

    /// <summary>The threshold of a board whose options name none.</summary>
    public static int DefaultHotBlock { get; set; } = Emulator.Cpu.Cpu.DefaultHotBlock;
}

/// <summary>
/// The QEMU `virt` machine (7.2) with one Cortex-A53: memory map, devices, firmware, the ELF loader of -kernel and the Linux boot protocol.
/// <code>
///   0x0000_0000  CFI flash bank 0 (64 MiB): firmware (-bios), executes in place   0x0400_0000  CFI flash bank 1 (64 MiB)
///   0x0800_0000  GICv2 distributor (4 KiB)        0x0801_0000  GICv2 CPU interface (8 KiB)
///   0x0900_0000  PL011 UART0 (4 KiB), SPI 1 = INTID 33
///   0x4000_0000  RAM (128 MiB by default)
/// </code>
/// Nothing else answers: every other physical address is an external abort for the guest (QEMU's virt
/// also has an RTC, GPIO, fw_cfg, virtio-mmio transports and PCIe, which are not modelled).
/// The generic timer's outputs drive PPIs 30/27/26/29 and the PMU's overflow interrupt PPI 23; PSCI uses HVC when the guest enters at EL1 and SMC
/// when it enters at EL2; semihosting (`HLT #0xF000`) is always on, prints where the UART prints and reads the UART's
/// input stream (<see cref="Pl011.TryTakeInput"/>).
/// <para>
/// Unlike QEMU, no device tree blob is written to the start of RAM for an ELF kernel: RAM holds only the
/// image (QEMU places its generated DTB at 0x4000_0000 when the image leaves room there). A Linux kernel
/// (<see cref="LoadLinux"/>) gets the board's devicetree (<see cref="DeviceTree.VirtDeviceTree"/>) as QEMU places it,
/// and so does firmware (<see cref="LoadBios"/>: at 0x4000_0000, where U-Boot's qemu_arm64 reads it).
/// </para>
/// </summary>
public sealed partial class VirtBoard
{
    public const ulong GicDistributorBase = 0x0800_0000;
    public const ulong GicCpuInterfaceBase = 0x0801_0000;
    public const ulong Uart0Base = 0x0900_0000;
    public const ulong RamBase = 0x4000_0000;
    public const int Uart0Intid = 33;
    /// <summary>QEMU virt's two pflash_cfi01 banks (VIRT_FLASH): 64 MiB each, 256 KiB sectors (VIRT_FLASH_SECTOR_SIZE).</summary>
    public const ulong Flash0Base = 0x0000_0000, Flash1Base = 0x0400_0000, FlashBankSize = 64UL << 20, FlashSectorLength = 256UL << 10;

    public PhysicalBus Bus { get; }
    public Cpu.Cpu Cpu { get; }
    public GicV2 Gic { get; } = new();
    public Pl011 Uart { get; } = new();
    /// <summary>Flash bank 0 (firmware) and bank 1; QEMU virt's "width" 4, "device-width" 2, IDs 0x89/0x18.</summary>
    public CfiFlash Flash0 { get; } = new(FlashBankSize, FlashSectorLength);
    public CfiFlash Flash1 { get; } = new(FlashBankSize, FlashSectorLength);
    public Psci Psci { get; }
    public Semihosting Semihosting { get; } = new();
    public VirtFirmware Firmware { get; }
    public VirtBoardOptions Options { get; }

    public VirtBoard(VirtBoardOptions? options = null)
    {
        Options = options ?? new VirtBoardOptions();
        Bus = new PhysicalBus(RamBase, Options.RamSize, romCapacity: 2 * FlashBankSize);
        // Named as QEMU names their memory regions, for guest-error reports.
        Bus.Map(GicDistributorBase, GicV2.DistributorSize, Gic.Distributor, "gic_dist");
        Bus.Map(GicCpuInterfaceBase, GicV2.CpuInterfaceSize, Gic.CpuInterface, "gic_cpu");
        Bus.Map(Uart0Base, 0x1000, Uart, "pl011");
        Bus.MapRom(Flash0Base, FlashBankSize, Flash0, "virt.flash0");
        Bus.MapRom(Flash1Base, FlashBankSize, Flash1, "virt.flash1");
        Cpu = new Cpu.Cpu(Bus, Options.El2);
        Cpu.Timing = TimingModels.Create(Options.Timing, Options.A53);
        Cpu.Engine = Options.Engine;
        Cpu.HotBlock = Options.HotBlock;

        var cpu = Cpu;
        var gic = Gic;
        gic.OutputsChanged = (irq, fiq) => { cpu.IrqLine = irq; cpu.FiqLine = fiq; };
        cpu.TimerOutput = gic.SetPpi;
        cpu.PmuOutput = gic.SetPpi; // PMU overflow: PPI 7 = INTID 23, level-sensitive (QEMU virt VIRTUAL_PMU_IRQ)
        Uart.Interrupt = level => gic.SetSpi(Uart0Intid, level);

        Psci = new Psci(Options.El2 ? PsciConduit.Smc : PsciConduit.Hvc);
        Semihosting.RamBase = RamBase;
        Semihosting.RamSize = Options.RamSize;
        Semihosting.ImageEnd = RamBase;
        Firmware = new VirtFirmware(Psci, Semihosting);
        Cpu.Firmware = Firmware;
        // Semihosting prints wherever the UART prints, unless given a sink of its own, and reads the UART's input stream.
        var uart = Uart;
        Semihosting.Output = b => uart.Transmit(b);
        Semihosting.Input = () => uart.TryTakeInput(out byte b) ? b : -1;
    }

    /// <summary>
    /// Where the devices report the accesses no register answers (QEMU's `-d guest_errors`; <see cref="PhysicalBus.GuestErrors"/>).
    /// None by default. What the guest reads and writes is the same either way.
    /// </summary>
    public IGuestErrorLog? GuestErrors
    {
        get => Bus.GuestErrors;
        set => Bus.GuestErrors = value;
    }

    /// <summary>Where the guest's console goes: the UART's transmitter, and with it semihosting output.</summary>
    public Action<byte> ConsoleOutput
    {
        get => Uart.Transmit;
        set
        {
            Uart.Transmit = value;
            var uart = Uart;
            Semihosting.Output = b => uart.Transmit(b);
        }
    }

    /// <summary>Where <see cref="LoadLinux"/> put the kernel, initrd and DTB; null for a board that booted no Linux.</summary>
    public Linux.LinuxBootLayout? LinuxLayout { get; private set; }

    /// <summary>Loads a Linux kernel (and initrd, devicetree) and resets the CPU by the arm64 boot protocol (<see cref="Linux.LinuxBoot"/>).</summary>
    public Linux.LinuxBootLayout LoadLinux(Linux.LinuxBootOptions options) => LinuxLayout = Linux.LinuxBoot.Load(this, options);

    /// <summary>Loads an ELF image into RAM and resets the CPU at its entry, as QEMU's -kernel does.</summary>
    public ElfImage LoadElf(ReadOnlySpan<byte> file)
    {
        var image = ElfImage.Parse(file);
        ulong ramEnd = RamBase + Bus.RamSize;
        foreach (var s in image.Segments)
        {
            if (s.PhysicalAddress < RamBase || s.MemorySize > Bus.RamSize || s.PhysicalAddress - RamBase > Bus.RamSize - s.MemorySize)
                throw new ElfLoadException($"segment {s.Index} at 0x{s.PhysicalAddress:X} (size 0x{s.MemorySize:X}) falls outside RAM 0x{RamBase:X}-0x{ramEnd - 1:X}");
        }
        foreach (var s in image.Segments)
        {
            Bus.Load(s.PhysicalAddress, s.FileBytes);
            Bus.Load(s.PhysicalAddress + (ulong)s.FileBytes.Length, new byte[s.MemorySize - (ulong)s.FileBytes.Length]);
        }
        Semihosting.ImageEnd = image.End;
        Cpu.Reset(image.Entry);
        return image;
    }

    /// <summary>
    /// Loads firmware at the start of flash bank 0 and resets the CPU at 0x0, as QEMU's -bios (the rest of the bank
    /// reads as zeros, as QEMU's), and places a devicetree at the start of RAM as QEMU does for firmware: the given
    /// blob, or the board's own (<see cref="DeviceTree.VirtDeviceTree"/>). Returns where the blob ends. Throws
    /// <see cref="ArgumentException"/> for an image larger than the bank or a blob larger than RAM.
    /// </summary>
    public ulong LoadBios(ReadOnlySpan<byte> image, byte[]? dtb = null)
    {
        if ((ulong)image.Length > FlashBankSize)
            throw new ArgumentException($"the firmware image ({image.Length} bytes) does not fit flash bank 0 ({FlashBankSize} bytes)");
        dtb ??= DeviceTree.VirtDeviceTree.Build(Options, new DeviceTree.ChosenOptions());
        LoadBlob(RamBase, dtb);
        Flash0.LoadImage(image);
        Cpu.Reset(Flash0Base);
        return RamBase + (ulong)dtb.Length;
    }

    /// <summary>
    /// Copies bytes into RAM at a physical address, for what QEMU places beside the image (the device tree blob at
    /// 0x4000_0000 that firmware reads). Throws <see cref="ArgumentException"/> when the range is not all RAM.
    /// </summary>
    public void LoadBlob(ulong address, ReadOnlySpan<byte> bytes)
    {
        if (!Bus.Load(address, bytes))
            throw new ArgumentException($"0x{address:X} (+0x{bytes.Length:X}) is not inside RAM 0x{RamBase:X}-0x{RamBase + Bus.RamSize - 1:X}");
    }
}
