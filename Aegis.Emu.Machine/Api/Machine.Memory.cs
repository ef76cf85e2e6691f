using Aegis.Emulator.Mmu;

namespace Aegis.Emu;

/// <summary>How <see cref="Machine"/> reads and writes guest memory.</summary>
public enum AddressSpace
{
    /// <summary>Physical addresses: RAM and the flash arrays, never a device's registers (no side effects).</summary>
    Physical,
    /// <summary>Virtual addresses through the current translation regime (TLB entries, then the tables), as a debugger
    /// sees them: no permission checks and no side effects (no TLB fill, no fault).</summary>
    Virtual,
    /// <summary>As <see cref="Virtual"/>, but only where an access by the current exception level would be permitted
    /// (a read needs read permission, a write write permission).</summary>
    VirtualChecked,
}

public sealed partial class Machine
{
    /// <summary>
    /// Reads <paramref name="destination"/>.Length bytes at <paramref name="address"/>; false (and nothing read) when any
    /// byte is not RAM or flash, or is not mapped (and permitted, for <see cref="AddressSpace.VirtualChecked"/>).
    /// </summary>
    public bool TryReadMemory(ulong address, Span<byte> destination, AddressSpace space = AddressSpace.Physical)
    {
        for (int done = 0; done < destination.Length;)
        {
            int chunk = Chunk(address, done, destination.Length);
            if (!TryPhysical(address + (ulong)done, space, AccessKind.Read, out ulong pa)
                || !Board.Bus.TryReadMemory(pa, destination.Slice(done, chunk))) return false;
            done += chunk;
        }
        return true;
    }

    /// <summary>
    /// Writes <paramref name="source"/> at <paramref name="address"/> into RAM (decoded code in the pages written is
    /// dropped, as for a guest store); false, with nothing written, when any byte is not RAM or not mapped (and
    /// permitted, for <see cref="AddressSpace.VirtualChecked"/>).
    /// </summary>
    public bool TryWriteMemory(ulong address, ReadOnlySpan<byte> source, AddressSpace space = AddressSpace.Physical)
    {
        // Translate every page first, so that a failure writes nothing.
        var pieces = new List<(ulong Pa, int Offset, int Length)>();
        for (int done = 0; done < source.Length;)
        {
            int chunk = Chunk(address, done, source.Length);
            if (!TryPhysical(address + (ulong)done, space, AccessKind.Write, out ulong pa) || Board.Bus.RamOffset(pa, chunk) < 0) return false;
            pieces.Add((pa, done, chunk));
            done += chunk;
        }
        foreach (var (pa, offset, length) in pieces) Board.Bus.Load(pa, source.Slice(offset, length));
        return true;
    }

    /// <summary>Reads memory, throwing <see cref="ArgumentException"/> where <see cref="TryReadMemory"/> would return false.</summary>
    public byte[] ReadMemory(ulong address, int length, AddressSpace space = AddressSpace.Physical)
    {
        var bytes = new byte[length];
        if (!TryReadMemory(address, bytes, space))
            throw new ArgumentException($"{space} 0x{address:X} (+0x{length:X}) is not readable memory");
        return bytes;
    }

    /// <summary>Writes memory, throwing <see cref="ArgumentException"/> where <see cref="TryWriteMemory"/> would return false.</summary>
    public void WriteMemory(ulong address, ReadOnlySpan<byte> source, AddressSpace space = AddressSpace.Physical)
    {
        if (!TryWriteMemory(address, source, space))
            throw new ArgumentException($"{space} 0x{address:X} (+0x{source.Length:X}) is not writable RAM");
    }

    public ulong ReadUInt64(ulong address, AddressSpace space = AddressSpace.Physical) => BitConverter.ToUInt64(ReadMemory(address, 8, space));

    public void WriteUInt64(ulong address, ulong value, AddressSpace space = AddressSpace.Physical) => WriteMemory(address, BitConverter.GetBytes(value), space);

    /// <summary>Bytes from <paramref name="done"/> to the end of the request or of the 4 KiB page, whichever is first.</summary>
    private static int Chunk(ulong address, int done, int length) =>
        (int)Math.Min((ulong)(length - done), 0x1000 - ((address + (ulong)done) & 0xFFF));

    private bool TryPhysical(ulong address, AddressSpace space, AccessKind kind, out ulong pa)
    {
        pa = address;
        return space switch
        {
            AddressSpace.Physical => true,
            AddressSpace.Virtual => Cpu.Mmu.TranslateForDebugger(address, Cpu.EL, out pa),
            _ => Cpu.Mmu.TranslateForDebugger(address, Cpu.EL, kind, out pa),
        };
    }
}
