using Aegis.Emulator.Devices.DeviceTree;

namespace Aegis.Emulator.Devices.Linux;

/// <summary>What to boot: the kernel file and, optionally, an initrd, a command line and a devicetree blob.</summary>
public sealed record LinuxBootOptions
{
    public required byte[] Kernel { get; init; }
    public byte[]? Initrd { get; init; }
    /// <summary>The kernel command line (/chosen/bootargs).</summary>
    public string BootArgs { get; init; } = "";
    /// <summary>A devicetree blob to use instead of the board's own (<see cref="VirtDeviceTree"/>); /chosen and /memory are still set in it.</summary>
    public byte[]? Dtb { get; init; }
}

/// <summary>Where everything went (physical addresses, ends exclusive) and the devicetree blob the guest got.</summary>
public sealed record LinuxBootLayout(KernelImage Kernel, ulong KernelStart, ulong KernelEnd, ulong Entry,
    ulong InitrdStart, ulong InitrdEnd, ulong DtbStart, byte[] Dtb)
{
    public ulong DtbEnd => DtbStart + (ulong)Dtb.Length;
}

/// <summary>
/// The Linux arm64 boot protocol (Documentation/arm64/booting.rst) as QEMU 7.2's -kernel/-initrd/-append/-dtb
/// (hw/arm/boot.c, arm_setup_direct_kernel_boot and arm_load_dtb) carries it out on `virt`:
/// <list type="bullet">
/// <item>Kernel: an Image at RAM base + text_offset, moved up by 2 MiB when text_offset is below 4 KiB (QEMU keeps
///   the bottom of RAM for its boot stub), so a current kernel (text_offset 0) lands at 0x4020_0000; a raw binary at
///   RAM base + 0x80000. Entered at its first byte.</item>
/// <item>Initrd: at RAM base + min(RAM/2, 128 MiB), or after the kernel file if that ends higher, 4 KiB aligned.</item>
/// <item>DTB: at the first 2 MiB boundary at or after the initrd's end (after where it would start without one).</item>
/// <item>CPU: x0 = the DTB's address, x1 = x2 = x3 = 0, MMU and caches off, DAIF masked, at EL1h (EL2h with
///   <see cref="VirtBoardOptions.El2"/>). QEMU gets there by running a six-instruction stub at the start of RAM;
///   this board sets the registers directly, so its count of instructions lacks the stub's.</item>
/// </list>
/// Anything that does not fit is a <see cref="BootLoadException"/>: an image or initrd past the end of RAM, an initrd
/// over the kernel's BSS (image_size), a DTB larger than the 2 MiB booting.rst allows or past the end of RAM.
/// </summary>
public static class LinuxBoot
{
    /// <summary>QEMU's BOOTLOADER_MAX_SIZE: an Image asking for less offset than this is moved up 2 MiB.</summary>
    private const ulong BootStubSize = 4 << 10;
    private const ulong TwoMiB = 2 << 20, PageSize = 4 << 10;
    /// <summary>booting.rst: "The device tree blob (dtb) must be placed on an 8-byte boundary and must not exceed 2 megabytes in size."</summary>
    public const int MaxDtbSize = 2 << 20;

    public static LinuxBootLayout Load(VirtBoard board, LinuxBootOptions options)
    {
        var kernel = KernelImage.Parse(options.Kernel);
        ulong ramBase = VirtBoard.RamBase, ramSize = board.Options.RamSize, ramEnd = ramBase + ramSize;
        ulong offset = kernel.TextOffset;
        if (kernel.IsArm64Image && offset < BootStubSize) offset += TwoMiB;
        ulong kernelStart = ramBase + offset;
        if (offset >= ramSize || kernel.MemorySize > ramSize - offset)
            throw new BootLoadException($"the kernel (0x{kernel.MemorySize:X} bytes at 0x{kernelStart:X}) does not fit in RAM 0x{ramBase:X}-0x{ramEnd - 1:X}: give more --ram-mib");
        ulong fileEnd = kernelStart + (ulong)kernel.Bytes.Length;
        ulong kernelEnd = kernelStart + kernel.MemorySize;

        ulong initrdStart = AlignUp(Math.Max(ramBase + Math.Min(ramSize / 2, 128UL << 20), fileEnd), PageSize);
        ulong initrdSize = (ulong)(options.Initrd?.Length ?? 0);
        if (initrdStart > ramEnd || initrdSize > ramEnd - initrdStart)
            throw new BootLoadException($"the initrd (0x{initrdSize:X} bytes at 0x{initrdStart:X}) is too big to fit into RAM after the kernel");
        if (initrdSize > 0 && initrdStart < kernelEnd)
            throw new BootLoadException($"the initrd at 0x{initrdStart:X} would overlap the kernel's memory 0x{kernelStart:X}-0x{kernelEnd - 1:X} (image_size)");
        ulong initrdEnd = initrdStart + initrdSize;

        var chosen = new ChosenOptions { BootArgs = options.BootArgs, Initrd = initrdSize > 0 ? (initrdStart, initrdEnd) : null };
        byte[] dtb;
        if (options.Dtb is { } given)
        {
            FdtNode tree;
            try { tree = FdtReader.Read(given); }
            catch (FdtFormatException e) { throw new BootLoadException(e.Message); }
            VirtDeviceTree.SetChosen(tree, board.Options, chosen);
            dtb = tree.Write();
        }
        else dtb = VirtDeviceTree.Build(board.Options, chosen);
        if (dtb.Length > MaxDtbSize) throw new BootLoadException($"the devicetree blob is {dtb.Length} bytes; booting.rst allows at most 2 MiB");
        ulong dtbStart = AlignUp(initrdEnd, TwoMiB);
        if (dtbStart >= ramEnd || (ulong)dtb.Length > ramEnd - dtbStart)
            throw new BootLoadException($"not enough space for the devicetree blob after the kernel and initrd (at 0x{dtbStart:X}): give more --ram-mib");
        if (dtbStart < kernelEnd)
            throw new BootLoadException($"the devicetree blob at 0x{dtbStart:X} would overlap the kernel's memory 0x{kernelStart:X}-0x{kernelEnd - 1:X}");

        board.Bus.Load(kernelStart, kernel.Bytes);
        if (options.Initrd is { Length: > 0 } initrd) board.Bus.Load(initrdStart, initrd);
        board.Bus.Load(dtbStart, dtb);
        board.Semihosting.ImageEnd = kernelEnd;
        board.Cpu.Reset(kernelStart);
        board.Cpu.X[0] = dtbStart;
        return new LinuxBootLayout(kernel, kernelStart, kernelEnd, kernelStart, initrdStart, initrdEnd, dtbStart, dtb);
    }

    private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) & ~(alignment - 1);
}
