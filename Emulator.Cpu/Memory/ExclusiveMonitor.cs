namespace Aegis.Emulator.Cpu;

/// <summary>
/// The local exclusive monitor (Arm ARM B2.9): LDXR marks an address, STXR succeeds only while it is marked.
/// The mark is the virtual address and size of the load-exclusive, as QEMU 7.2 keeps it (exclusive_addr);
/// a store-exclusive passes only for exactly that address and size (a different address or size in the
/// same granule may pass or fail by the architecture; failing is the permitted choice that QEMU also makes
/// for a different address). Ordinary stores do not clear the mark (IMPLEMENTATION DEFINED, Arm ARM B2.9.2).
/// </summary>
public sealed partial class ExclusiveMonitor
{
    public bool Open { get; private set; } = true;
    public ulong Address { get; private set; }
    public int Size { get; private set; }

    /// <summary>SetExclusiveMonitors: the Open Access state becomes Exclusive Access for this address and size.</summary>
    public void Mark(ulong address, int size) { Open = false; Address = address; Size = size; }

    /// <summary>IsExclusiveLocal: the monitor is in Exclusive Access state for exactly this address and size.</summary>
    public bool IsExclusive(ulong address, int size) => !Open && Address == address && Size == size;

    /// <summary>ClearExclusiveLocal: CLREX, exception return, a successful or failed store-exclusive.</summary>
    public void Clear() => Open = true;
}
