namespace Aegis.Emulator.Cpu;

/// <summary>The local exclusive monitor (Arm ARM B2.9): LDXR marks an address, STXR succeeds only while it is marked.</summary>
public sealed class ExclusiveMonitor
{
    public bool Open { get; private set; } = true;
    public ulong Address { get; private set; }
    public int Size { get; private set; }

    public void Mark(ulong address, int size) { Open = false; Address = address; Size = size; }

    /// <summary>ClearExclusiveLocal: CLREX, exception return, a successful or failed store-exclusive.</summary>
    public void Clear() => Open = true;
}
