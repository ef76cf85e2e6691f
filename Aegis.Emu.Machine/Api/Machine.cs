using Aegis.Emulator.Cpu;
using Aegis.Emulator.Devices;
using Aegis.Kernel.Image;

namespace Aegis.Emu;

/// <summary>
/// One emulated machine, the library's entry point (docs/API.md): a Cortex-A53 on QEMU's <c>virt</c> board. Create it
/// from <see cref="MachineOptions"/>, load an image, set registers, <see cref="Run"/> it to an address or a limit, read
/// registers and memory, observe it with hooks by kind and address range. Not thread-safe, except
/// <see cref="RequestStop"/>. The machine is deterministic: the same calls give the same run, instruction for
/// instruction and cycle for cycle.
/// <code>
///   var m = new Machine(new MachineOptions { Timing = "a53" });
///   m.LoadElf(File.ReadAllBytes("kernel.elf"));
///   var r = m.Run(until: m.Symbol("main"));
///   Console.WriteLine($"{r.Stop} after {r.Instructions} instructions, {r.Cycles} cycles; x0 = {m.ReadRegister("x0")}");
/// </code>
/// </summary>
public sealed partial class Machine
{
    public Machine(MachineOptions? options = null)
    {
        Options = options ?? new MachineOptions();
        Board = new VirtBoard(Options.ToBoard());
        // Out of reset at the entry EL, as a board with nothing loaded yet (an image's load resets again at its entry).
        Cpu.Reset(VirtBoard.RamBase);
    }

    public MachineOptions Options { get; }

    /// <summary>The board underneath, for what this API does not cover (devices, the timing model's statistics).</summary>
    public VirtBoard Board { get; }

    /// <summary>The CPU underneath (its registers as fields, its PMU, MMU and timing model).</summary>
    public Cpu Cpu => Board.Cpu;

    /// <summary>Instructions retired since reset.</summary>
    public ulong Instructions => Cpu.Retired;

    /// <summary>The clock: cycles since reset (1 GHz: one cycle is 1 ns of guest time).</summary>
    public ulong Cycles => Cpu.Cycles;

    /// <summary>Symbols of the last ELF loaded with <see cref="LoadElf"/> (empty for other images).</summary>
    public KernelSymbols Symbols { get; private set; } = KernelSymbols.None(0);

    /// <summary>
    /// Loads an ELF executable into RAM and resets the CPU at its entry, as QEMU's <c>-kernel</c>; returns the entry.
    /// Throws <see cref="ElfLoadException"/> for a malformed image or one that does not fit RAM.
    /// </summary>
    public ulong LoadElf(ReadOnlySpan<byte> elf)
    {
        var image = Board.LoadElf(elf);
        try { Symbols = KernelSymbols.Parse(elf); }
        catch (InvalidDataException) { Symbols = KernelSymbols.None(image.Entry); }
        return image.Entry;
    }

    /// <summary>
    /// Copies a raw binary into RAM at <paramref name="address"/> and resets the CPU there. Throws
    /// <see cref="ArgumentException"/> when the range is not all RAM.
    /// </summary>
    public void LoadRaw(ulong address, ReadOnlySpan<byte> image)
    {
        Board.LoadBlob(address, image);
        Cpu.Reset(address);
    }

    /// <summary>
    /// Places an AegisOS boot bundle (docs/BOOT-BUNDLE.md) at <see cref="BootBundle.Address"/>, as QEMU's
    /// <c>-device loader</c>; load the kernel with <see cref="LoadElf"/>. Throws <see cref="InvalidDataException"/>
    /// for a bundle larger than its region.
    /// </summary>
    public void LoadBundle(ReadOnlySpan<byte> bundle)
    {
        if (bundle.Length > BootBundle.MaxSize) throw new InvalidDataException($"boot bundle is {bundle.Length} bytes, at most {BootBundle.MaxSize}");
        Board.LoadBlob(BootBundle.Address, bundle);
    }

    /// <summary>Resets the CPU (registers, system registers, PSTATE at the entry EL) with PC at <paramref name="entry"/>; memory is kept.</summary>
    public void Reset(ulong entry) => Cpu.Reset(entry);

    /// <summary>The address of a symbol of the loaded ELF; throws <see cref="KeyNotFoundException"/> when it has none.</summary>
    public ulong Symbol(string name) => Symbols.Address(name);

    /// <summary>Where the guest's console (PL011 UART0 and semihosting) writes, one byte at a time.</summary>
    public Action<byte> ConsoleOutput
    {
        get => Board.ConsoleOutput;
        set => Board.ConsoleOutput = value;
    }

    /// <summary>Sends bytes to the guest's console input (the UART's receive FIFO, shared with semihosting reads).</summary>
    public void SendConsoleInput(ReadOnlySpan<byte> bytes) => Board.Uart.Receive(bytes);
}
