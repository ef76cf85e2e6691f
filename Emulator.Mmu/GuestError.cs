namespace Aegis.Emulator.Mmu;

/// <summary>
/// A guest access that a device does not implement (QEMU's `-d guest_errors`): what the guest got is unchanged (the
/// device's answer, as QEMU's), this only tells it. <see cref="Pc"/> is the CPU's PC when the access was made: the
/// load or store for a guest access, wherever the CPU stands for a host access (a debugger reading memory).
/// </summary>
public readonly record struct GuestError(string Device, ulong Address, ulong Offset, int Size, bool IsWrite, ulong Pc)
{
    public override string ToString() =>
        $"{Device}: {(IsWrite ? "write" : "read")} of {Size} byte{(Size == 1 ? "" : "s")} at unimplemented offset 0x{Offset:X} (0x{Address:X}), PC 0x{Pc:X}";
}

/// <summary>
/// Where the bus reports guest errors (<see cref="PhysicalBus.GuestErrors"/>; none by default, and then nothing is
/// made). Called on the emulation thread, in guest order, so a report sequence is as deterministic as the run.
/// </summary>
public interface IGuestErrorLog
{
    void Report(in GuestError error);
}
