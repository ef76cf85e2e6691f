namespace Aegis.Emulator.Mmu;

/// <summary>Fault classes of a VMSAv8-64 stage-1 translation (Arm ARM D5.10, fault status codes).</summary>
public enum FaultKind : byte
{
    None,
    AddressSize,
    Translation,
    AccessFlag,
    Permission,
    Alignment,
    /// <summary>Synchronous external abort: the access (or the table walk, with S1ptw) hit nothing on the bus.</summary>
    SynchronousExternal,
}

/// <summary>A translation or access fault: kind, level and whether it happened on a table-walk access.</summary>
public readonly record struct MmuFault(FaultKind Kind, int Level, bool OnTableWalk = false)
{
    /// <summary>The 6-bit fault status code (DFSC/IFSC) as ESR_ELx reports it.</summary>
    public uint StatusCode => Kind switch
    {
        FaultKind.AddressSize => 0b000000u | (uint)Level,
        FaultKind.Translation => 0b000100u | (uint)Level,
        FaultKind.AccessFlag => 0b001000u | (uint)Level,
        FaultKind.Permission => 0b001100u | (uint)Level,
        FaultKind.Alignment => 0b100001u,
        FaultKind.SynchronousExternal => OnTableWalk ? 0b010100u | (uint)Level : 0b010000u,
        _ => 0,
    };
}
