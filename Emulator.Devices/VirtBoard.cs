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
}

/// <summary>
/// The QEMU `virt` machine (7.2) with one Cortex-A53: memory map, devices, firmware, the ELF loader of -kernel and the Linux boot protocol.
/// <code>
///   0x0800_0000  GICv2 distributor (4 KiB)        0x0801_0000  GICv2 CPU interface (8 KiB)
///   0x0900_0000  PL011 UART0 (4 KiB), SPI 1 = INTID 33
///   0x4000_0000  RAM (128 MiB by default)
/// </code>
/// Nothing else answers: every other physical address is an external abort for the guest (QEMU's virt
/// also has an RTC, GPIO, fw_cfg, virtio-mmio transports, flash and PCIe, which are not modelled).
/// The generic timer's outputs drive PPIs 30/27/26/29 and the PMU's overflow interrupt PPI 23; PSCI uses HVC when the guest enters at EL1 and SMC
/// when it enters at EL2; semihosting (`HLT #0xF000`) is always on and prints where the UART prints.
/// <para>
/// Unlike QEMU, no device tree blob is written to the start of RAM for an ELF kernel: RAM holds only the
/// image (QEMU places its generated DTB at 0x4000_0000 when the image leaves room there). A Linux kernel
/// (<see cref="LoadLinux"/>) gets the board's devicetree (<see cref="DeviceTree.VirtDeviceTree"/>) as QEMU places it.
/// </para>
/// </summary>
public sealed class VirtBoard
{
    public const ulong GicDistributorBase = 0x0800_0000;
    public const ulong GicCpuInterfaceBase = 0x0801_0000;
    public const ulong Uart0Base = 0x0900_0000;
    public const ulong RamBase = 0x4000_0000;
    public const int Uart0Intid = 33;

    public PhysicalBus Bus { get; }
    public Cpu.Cpu Cpu { get; }
    public GicV2 Gic { get; } = new();
    public Pl011 Uart { get; } = new();
    public Psci Psci { get; }
    public Semihosting Semihosting { get; } = new();
    public VirtFirmware Firmware { get; }
    public VirtBoardOptions Options { get; }

    public VirtBoard(VirtBoardOptions? options = null)
    {
        Options = options ?? new VirtBoardOptions();
        Bus = new PhysicalBus(RamBase, Options.RamSize);
        Bus.Map(GicDistributorBase, GicV2.DistributorSize, Gic.Distributor);
        Bus.Map(GicCpuInterfaceBase, GicV2.CpuInterfaceSize, Gic.CpuInterface);
        Bus.Map(Uart0Base, 0x1000, Uart);
        Cpu = new Cpu.Cpu(Bus, Options.El2);
        Cpu.Timing = TimingModels.Create(Options.Timing, Options.A53);

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
        // Semihosting prints wherever the UART prints, unless given a sink of its own.
        var uart = Uart;
        Semihosting.Output = b => uart.Transmit(b);
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
}
