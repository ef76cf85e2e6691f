namespace Aegis.Emulator.Mmu;

/// <summary>
/// A device with a memory array that the CPU can execute in place: QEMU's ROM device
/// (memory_region_init_rom_device), such as CFI flash. Its array lives in bus memory (<see cref="RomStorage"/>),
/// so that instruction fetch uses the same decoded-page cache as RAM; data accesses still go through
/// <see cref="IMmioDevice.Read"/> and <see cref="IMmioDevice.Write"/>, which see the device's command state.
/// </summary>
public interface IRomDevice : IMmioDevice
{
    /// <summary>
    /// True while reads return the array (QEMU's "romd" mode, memory_region_rom_device_set_romd). Only then may
    /// the CPU fetch from the device; the device calls <see cref="RomStorage.ArrayModeChanged"/> when it changes.
    /// </summary>
    bool ArrayMode { get; }

    /// <summary>Given once by <see cref="PhysicalBus.MapRom"/>: the device's array in bus memory.</summary>
    void Attach(RomStorage storage);
}
