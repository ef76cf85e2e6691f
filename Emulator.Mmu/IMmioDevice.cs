namespace Aegis.Emulator.Mmu;

/// <summary>
/// A memory-mapped device region. Offsets are relative to the region base.
/// <para>The device implements only the access sizes of its <see cref="AccessSizes"/> (QEMU's
/// MemoryRegionOps.impl); <see cref="PhysicalBus"/> fits every guest access (1, 2, 4 or 8 bytes) to them, as QEMU's
/// access_with_adjusted_size does: a wider access becomes several of <see cref="MmioAccessSizes.Max"/> bytes, lower
/// address first (little-endian), a narrower one is made <see cref="MmioAccessSizes.Min"/> bytes wide at the same
/// offset. The bus keeps the low bytes of what a read returns (the device may return the whole register for a narrow
/// access) and gives a write only the bytes written.</para>
/// </summary>
public interface IMmioDevice
{
    /// <summary>The access sizes the device implements; asked once, when the bus maps the device.</summary>
    MmioAccessSizes AccessSizes { get; }

    /// <summary>Reads <paramref name="size"/> bytes (within <see cref="AccessSizes"/>).</summary>
    MmioStatus Read(ulong offset, int size, out ulong value);

    /// <summary>Writes the low <paramref name="size"/> bytes of <paramref name="value"/> (the rest is zero).</summary>
    MmioStatus Write(ulong offset, int size, ulong value);
}

/// <summary>The smallest and largest access a device implements, in bytes (1, 2, 4 or 8; QEMU's impl.min/max_access_size).</summary>
public readonly record struct MmioAccessSizes
{
    public int Min { get; }
    public int Max { get; }

    public MmioAccessSizes(int min, int max)
    {
        if (min is not (1 or 2 or 4 or 8) || max is not (1 or 2 or 4 or 8) || min > max)
            throw new ArgumentException($"access sizes {min}..{max}: each must be 1, 2, 4 or 8, the smaller first");
        Min = min;
        Max = max;
    }

    /// <summary>Bytes, halfwords and words, an 8-byte access being two words: QEMU's default (impl sizes left 0).</summary>
    public static MmioAccessSizes UpToWord { get; } = new(1, 4);
}

/// <summary>How a device answered one access (QEMU's MemTxResult, with its LOG_GUEST_ERROR as a status of its own).</summary>
public enum MmioStatus : byte
{
    Ok,
    /// <summary>
    /// No register answers this access: done as the device does it (as QEMU: a read gets zero or whatever the model
    /// returns, a write is ignored), and reported to <see cref="PhysicalBus.GuestErrors"/> (QEMU's "Bad offset" guest error).
    /// </summary>
    Unimplemented,
    /// <summary>External abort for the guest (SLVERR / decode error).</summary>
    Abort,
}
