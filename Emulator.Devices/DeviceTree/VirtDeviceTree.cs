namespace Aegis.Emulator.Devices.DeviceTree;

/// <summary>What the board's devicetree says beyond the board itself: the kernel command line and the initrd.</summary>
public sealed record ChosenOptions
{
    /// <summary>/chosen/bootargs (the kernel command line, --append); omitted when empty, as QEMU does.</summary>
    public string BootArgs { get; init; } = "";
    /// <summary>The initrd's physical start and end (exclusive), or null without one.</summary>
    public (ulong Start, ulong End)? Initrd { get; init; }
    /// <summary>
    /// Seeds /chosen/kaslr-seed and /chosen/rng-seed. QEMU fills them from the host's random source; this board
    /// derives them from this fixed number so that a Linux boot is deterministic (and its KASLR offset too).
    /// </summary>
    public ulong Seed { get; init; } = 0x4165_6769_7345_6D75; // "AegisEmu"
}

/// <summary>
/// The devicetree of the board, modelled on QEMU 7.2's generated one (`-M virt,dumpdtb=virt.dtb -cpu cortex-a53`,
/// hw/arm/virt.c and hw/arm/boot.c) but listing only what <see cref="VirtBoard"/> models:
/// <code>
///   /                 compatible = model = "linux,dummy-virt", #address-cells = #size-cells = 2, interrupt-parent = GIC
///   /psci             arm,psci-1.0 (0.2, psci), method "hvc" (or "smc" when the guest enters at EL2, as <see cref="Psci"/>)
///   /memory@40000000  RAM base and size
///   /flash@0          cfi-flash, bank-width 4: the two 64 MiB banks at 0x0 and 0x0400_0000
///   /pl011@9000000    arm,pl011 + arm,primecell, SPI 1 level-high, clocks uartclk and apb_pclk = /apb-pclk
///   /pmu              arm,armv8-pmuv3, PPI 7 (INTID 23) level-high
///   /intc@8000000     arm,cortex-a15-gic (GICv2): distributor 4 KiB, CPU interface 8 KiB, the sizes the board maps
///   /cpus/cpu@0       arm,cortex-a53, reg 0, enable-method "psci"
///   /timer            arm,armv8-timer: PPIs 13, 14, 11, 10 (INTIDs 29 secure, 30 non-secure physical, 27 virtual, 26 hyp)
///   /apb-pclk         the 24 MHz fixed clock of the PL011
///   /chosen           stdout-path, bootargs, linux,initrd-start/end, kaslr-seed, rng-seed
/// </code>
/// QEMU's RTC, GPIO (and gpio-keys), fw_cfg, virtio-mmio, PCIe, platform bus and GICv2m frame are left out:
/// the board does not model them, and a node for a device that does not answer would only make the guest fault.
/// The phandles are QEMU's (0x8000 clock, 0x8001 CPU, 0x8002 GIC).
/// </summary>
public static class VirtDeviceTree
{
    public const uint ClockPhandle = 0x8000, CpuPhandle = 0x8001, GicPhandle = 0x8002;
    public const string StdoutPath = "/pl011@9000000";
    private const uint GicSpi = 0, GicPpi = 1;
    private const uint LevelHigh = 4;
    /// <summary>GICv2 PPI flags: the CPU mask (one CPU: bit 8) and level-high (QEMU's 0x104).</summary>
    private const uint PpiFlags = (1 << 8) | LevelHigh;
    private const uint Pl011ClockHz = 24_000_000;

    public static byte[] Build(VirtBoardOptions board, ChosenOptions chosen) => BuildTree(board, chosen).Write();

    public static FdtNode BuildTree(VirtBoardOptions board, ChosenOptions chosen)
    {
        var root = new FdtNode("")
            .Cells("interrupt-parent", GicPhandle)
            .Set("model", "linux,dummy-virt")
            .Cells("#size-cells", 2)
            .Cells("#address-cells", 2)
            .Set("compatible", "linux,dummy-virt");

        root.Add(new FdtNode("psci"))
            .Cells("migrate", Psci.MIGRATE64)
            .Cells("cpu_on", Psci.CPU_ON64)
            .Cells("cpu_off", Psci.CPU_OFF)
            .Cells("cpu_suspend", Psci.CPU_SUSPEND64)
            .Set("method", board.El2 ? "smc" : "hvc")
            .Set("compatible", "arm,psci-1.0", "arm,psci-0.2", "arm,psci");

        root.Add(new FdtNode($"memory@{VirtBoard.RamBase:x}"))
            .Cells64("reg", VirtBoard.RamBase, board.RamSize)
            .Set("device_type", "memory");

        // The two CFI flash banks as one node, as QEMU's virt_flash_fdt (a 4-byte bank of two x16 devices each).
        root.Add(new FdtNode($"flash@{VirtBoard.Flash0Base:x}"))
            .Cells("bank-width", 4)
            .Cells64("reg", VirtBoard.Flash0Base, VirtBoard.FlashBankSize, VirtBoard.Flash1Base, VirtBoard.FlashBankSize)
            .Set("compatible", "cfi-flash");

        root.Add(new FdtNode($"pl011@{VirtBoard.Uart0Base:x}"))
            .Set("clock-names", "uartclk", "apb_pclk")
            .Cells("clocks", ClockPhandle, ClockPhandle)
            .Cells("interrupts", GicSpi, VirtBoard.Uart0Intid - 32, LevelHigh)
            .Cells64("reg", VirtBoard.Uart0Base, 0x1000)
            .Set("compatible", "arm,pl011", "arm,primecell");

        root.Add(new FdtNode("pmu"))
            .Cells("interrupts", GicPpi, 7, PpiFlags)
            .Set("compatible", "arm,armv8-pmuv3");

        root.Add(new FdtNode($"intc@{VirtBoard.GicDistributorBase:x}"))
            .Cells("phandle", GicPhandle)
            .Cells64("reg", VirtBoard.GicDistributorBase, GicV2.DistributorSize, VirtBoard.GicCpuInterfaceBase, GicV2.CpuInterfaceSize)
            .Set("compatible", "arm,cortex-a15-gic")
            .Flag("interrupt-controller")
            .Cells("#interrupt-cells", 3)
            .Cells("#address-cells", 0); // no child nodes (QEMU's GICv2m frame is not modelled); dtc wants it on an interrupt provider


        var cpus = root.Add(new FdtNode("cpus"))
            .Cells("#size-cells", 0)
            .Cells("#address-cells", 1);
        cpus.Add(new FdtNode("cpu@0"))
            .Cells("phandle", CpuPhandle)
            .Cells("reg", 0)
            .Set("enable-method", "psci")
            .Set("compatible", "arm,cortex-a53")
            .Set("device_type", "cpu");

        // Order as QEMU: secure physical (PPI 13), non-secure physical (14), virtual (11), hypervisor (10).
        root.Add(new FdtNode("timer"))
            .Cells("interrupts", GicPpi, 13, PpiFlags, GicPpi, 14, PpiFlags, GicPpi, 11, PpiFlags, GicPpi, 10, PpiFlags)
            .Flag("always-on")
            .Set("compatible", "arm,armv8-timer", "arm,armv7-timer");

        root.Add(new FdtNode("apb-pclk"))
            .Cells("phandle", ClockPhandle)
            .Set("clock-output-names", "clk24mhz")
            .Cells("clock-frequency", Pl011ClockHz)
            .Cells("#clock-cells", 0)
            .Set("compatible", "fixed-clock");

        var node = root.Add(new FdtNode("chosen")).Set("stdout-path", StdoutPath);
        var random = new SplitMix64(chosen.Seed);
        node.Cells("rng-seed", Enumerable.Range(0, 8).Select(_ => (uint)random.Next()).ToArray());
        node.Cells64("kaslr-seed", random.Next());
        SetChosen(root, board, chosen);
        return root;
    }

    /// <summary>
    /// What QEMU's arm_load_dtb writes into any devicetree, its own or a user's -dtb: /memory's reg, and in /chosen
    /// the bootargs (when not empty) and linux,initrd-start/end (when there is an initrd).
    /// </summary>
    public static void SetChosen(FdtNode root, VirtBoardOptions board, ChosenOptions chosen)
    {
        var memory = root.Child("memory") ?? root.Add(new FdtNode("memory")).Set("device_type", "memory");
        memory.Cells64("reg", VirtBoard.RamBase, board.RamSize);
        var node = root.Child("chosen") ?? root.Add(new FdtNode("chosen"));
        if (chosen.BootArgs.Length > 0) node.Set("bootargs", chosen.BootArgs);
        if (chosen.Initrd is { } initrd)
        {
            // One 32-bit cell each, as QEMU 7.2 writes them (qemu_fdt_setprop_cell); RAM ends below 4 GiB.
            node.Cells("linux,initrd-start", checked((uint)initrd.Start));
            node.Cells("linux,initrd-end", checked((uint)initrd.End));
        }
    }

    /// <summary>SplitMix64 (Steele, Lea, Flood 2014): a tiny, well-mixed generator for the fixed seeds.</summary>
    private struct SplitMix64(ulong state)
    {
        public ulong Next()
        {
            ulong z = state += 0x9E37_79B9_7F4A_7C15;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
            return z ^ (z >> 31);
        }
    }
}
