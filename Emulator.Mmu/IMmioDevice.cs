namespace Aegis.Emulator.Mmu;

/// <summary>A memory-mapped device region. Offsets are relative to the region base.</summary>
public interface IMmioDevice
{
    /// <summary>Reads <paramref name="size"/> bytes (1, 2, 4 or 8). False = external abort (SLVERR / decode error).</summary>
    bool Read(ulong offset, int size, out ulong value);

    /// <summary>Writes the low <paramref name="size"/> bytes of <paramref name="value"/>. False = external abort.</summary>
    bool Write(ulong offset, int size, ulong value);
}
