namespace Aegis.Emulator.Mmu.Snapshots;

/// <summary>
/// A machine snapshot cannot be taken or restored: a file that is not a snapshot, of another format version, truncated
/// or corrupt (checksum), made on a board with other options (RAM size, EL2, timing model and its configuration), or
/// machine state the snapshot cannot describe. The machine is left as it was. The message says which, for a person.
/// </summary>
public sealed class SnapshotException : Exception
{
    public SnapshotException(string message) : base(message) { }
    public SnapshotException(string message, Exception inner) : base(message, inner) { }
}
