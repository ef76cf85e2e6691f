using Aegis.Emulator.Cpu;
using Aegis.Emulator.Mmu;

namespace Aegis.Emulator.Devices;

/// <summary>Board parameters; the defaults are QEMU 7.2's -M virt with -cpu cortex-a53.</summary>
public sealed record VirtBoardOptions
{
    public ulong RamSize { get; init; } = 128UL << 20;
    /// <summary>Enter at EL2, as QEMU's -M virt,virtualization=on (PSCI then goes through SMC).</summary>
    public bool El2 { get; init; }
}

/// <summary>
/// The QEMU `virt` machine: memory map, devices and the ELF loader of -kernel.
/// </summary>
public sealed class VirtBoard
{
    public const ulong GicDistributorBase = 0x0800_0000;
    public const ulong GicCpuInterfaceBase = 0x0801_0000;
    public const ulong Uart0Base = 0x0900_0000;
    public const ulong RamBase = 0x4000_0000;

    public PhysicalBus Bus { get; }
    public Cpu.Cpu Cpu { get; }
    public Pl011 Uart { get; } = new();
    public VirtBoardOptions Options { get; }

    public VirtBoard(VirtBoardOptions? options = null)
    {
        Options = options ?? new VirtBoardOptions();
        Bus = new PhysicalBus(RamBase, Options.RamSize);
        Bus.Map(Uart0Base, 0x1000, Uart);
        Cpu = new Cpu.Cpu(Bus, Options.El2);
    }

    /// <summary>Loads an ELF image into RAM and resets the CPU at its entry, as QEMU's -kernel does.</summary>
    public ElfImage LoadElf(ReadOnlySpan<byte> file)
    {
        var image = ElfImage.Parse(file);
        foreach (var s in image.Segments)
        {
            if (s.PhysicalAddress < RamBase || s.MemorySize > Bus.RamSize || s.PhysicalAddress - RamBase > Bus.RamSize - s.MemorySize)
                throw new ElfLoadException($"segment at 0x{s.PhysicalAddress:X} (size 0x{s.MemorySize:X}) falls outside RAM 0x{RamBase:X}-0x{RamBase + Bus.RamSize - 1:X}");
        }
        foreach (var s in image.Segments)
        {
            Bus.Load(s.PhysicalAddress, s.FileBytes);
            Bus.Load(s.PhysicalAddress + (ulong)s.FileBytes.Length, new byte[s.MemorySize - (ulong)s.FileBytes.Length]);
        }
        Cpu.Reset(image.Entry);
        return image;
    }
}
