namespace Aegis.Emulator.Mmu;

/// <summary>
/// The array of an <see cref="IRomDevice"/>, held in the bus's memory beside RAM. The device changes it only
/// through <see cref="Write"/> and <see cref="Fill"/>, so that instructions decoded from it are dropped as a RAM
/// write drops them.
/// </summary>
public sealed class RomStorage
{
    private readonly PhysicalBus _bus;

    /// <summary>Where the array starts in the bus's code space (RAM offsets come first, then the ROM arrays).</summary>
    public long Offset { get; }
    public int Size { get; }

    internal RomStorage(PhysicalBus bus, long offset, int size)
    {
        _bus = bus;
        Offset = offset;
        Size = size;
    }

    /// <summary>The array, read-only: every change goes through <see cref="Write"/> or <see cref="Fill"/>.</summary>
    public ReadOnlySpan<byte> Bytes => _bus.CodeSpace(Offset, Size);

    public void Write(int offset, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_bus.CodeSpace(Offset + offset, bytes.Length));
        _bus.CodeSpaceWritten(Offset + offset, bytes.Length);
    }

    public void Fill(int offset, int length, byte value)
    {
        _bus.CodeSpace(Offset + offset, length).Fill(value);
        _bus.CodeSpaceWritten(Offset + offset, length);
    }

    /// <summary>The device entered or left array mode: the CPU must translate its fetch PC again.</summary>
    public void ArrayModeChanged() => _bus.FetchInvalidated?.Invoke();
}
