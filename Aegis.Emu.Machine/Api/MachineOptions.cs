using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;

namespace Aegis.Emu;

/// <summary>What <see cref="Machine"/> builds: QEMU 7.2's <c>-M virt -cpu cortex-a53</c> with these parameters.</summary>
public sealed record MachineOptions
{
    /// <summary>RAM at 0x4000_0000; a multiple of 4 KiB, at most 2 GiB.</summary>
    public ulong RamSize { get; init; } = 128UL << 20;

    /// <summary>The exception level an image starts at: 1, or 2 (as <c>-M virt,virtualization=on</c>).</summary>
    public int EntryEl { get; init; } = 1;

    /// <summary>The timing model that owns the clock: "simple" (one cycle per instruction) or "a53" (the Cortex-A53 model).</summary>
    public string Timing { get; init; } = TimingModels.Simple;

    internal VirtBoardOptions ToBoard()
    {
        if (EntryEl is not (1 or 2)) throw new ArgumentException($"EntryEl {EntryEl}: the machine starts at EL1 or EL2");
        if (!TimingModels.Names.Contains(Timing)) throw new ArgumentException($"timing model \"{Timing}\": expected {string.Join(" or ", TimingModels.Names)}");
        return new VirtBoardOptions { RamSize = RamSize, El2 = EntryEl == 2, Timing = Timing };
    }
}
