using System.Runtime.InteropServices;
using System.Text;

namespace Aegis.Emulator.Mmu.Snapshots;

/// <summary>
/// Writes component state, little-endian, in the order the components write it (docs/SNAPSHOTS.md). Each component
/// starts with <see cref="Section"/>, so that a reader out of step fails with the name of the component it expected.
/// Arrays are written with their length, which the reader checks against the array it restores into.
/// </summary>
public sealed class SnapshotWriter
{
    private readonly MemoryStream _stream = new();
    private readonly BinaryWriter _w;

    public SnapshotWriter() => _w = new BinaryWriter(_stream, Encoding.UTF8, leaveOpen: true);

    /// <summary>
    /// Writing a fingerprint to compare two machines, not a snapshot: values that only key host-side caches (the
    /// translation epoch, which decoded-page drops also move, and what is remembered against it) are written as 0,
    /// since two machines in the same state may differ in them (<see cref="WriteCacheKey"/>).
    /// </summary>
    public bool Canonical { get; init; }

    /// <summary>A value that keys a host-side cache: written as is, or as 0 in a <see cref="Canonical"/> fingerprint.</summary>
    public void WriteCacheKey(ulong v) => _w.Write(Canonical ? 0UL : v);

    public void Section(string name) { _w.Write((byte)0xA5); _w.Write(name); }

    public void Write(ulong v) => _w.Write(v);
    public void Write(long v) => _w.Write(v);
    public void Write(uint v) => _w.Write(v);
    public void Write(int v) => _w.Write(v);
    public void Write(ushort v) => _w.Write(v);
    public void Write(byte v) => _w.Write(v);
    public void Write(bool v) => _w.Write(v);
    public void Write(string v) => _w.Write(v);

    public void Write<T>(T[] values) where T : unmanaged => Write((ReadOnlySpan<T>)values);

    public void Write<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        _w.Write(values.Length);
        _w.Write(MemoryMarshal.AsBytes(values));
    }

    /// <summary>An array that may be absent (a replacement policy's stamps).</summary>
    public void WriteOptional<T>(T[]? values) where T : unmanaged
    {
        _w.Write(values is not null);
        if (values is not null) Write(values);
    }

    public byte[] ToArray()
    {
        _w.Flush();
        return _stream.ToArray();
    }
}
