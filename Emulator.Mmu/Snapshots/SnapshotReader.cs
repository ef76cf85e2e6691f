using System.Runtime.InteropServices;
using System.Text;

namespace Aegis.Emulator.Mmu.Snapshots;

/// <summary>Reads what <see cref="SnapshotWriter"/> wrote, in the same order; anything out of step is a <see cref="SnapshotException"/>.</summary>
public sealed class SnapshotReader
{
    private readonly BinaryReader _r;

    public SnapshotReader(byte[] data) => _r = new BinaryReader(new MemoryStream(data, writable: false), Encoding.UTF8);

    public void Section(string name)
    {
        string? found = null;
        try { if (_r.ReadByte() == 0xA5) found = _r.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or IOException) { }
        if (found != name) throw new SnapshotException($"machine state out of step: expected the '{name}' section, found {(found is null ? "something else" : $"'{found}'")}");
    }

    public bool AtEnd => _r.BaseStream.Position == _r.BaseStream.Length;

    public ulong ReadUInt64() => Guard(_r.ReadUInt64);
    public long ReadInt64() => Guard(_r.ReadInt64);
    public uint ReadUInt32() => Guard(_r.ReadUInt32);
    public int ReadInt32() => Guard(_r.ReadInt32);
    public ushort ReadUInt16() => Guard(_r.ReadUInt16);
    public byte ReadByte() => Guard(_r.ReadByte);
    public bool ReadBoolean() => Guard(_r.ReadBoolean);
    public string ReadString() => Guard(_r.ReadString);

    /// <summary>Reads an array written by <see cref="SnapshotWriter.Write{T}(T[])"/> into <paramref name="into"/>, which must have its length.</summary>
    public void Read<T>(Span<T> into) where T : unmanaged
    {
        int n = ReadInt32();
        if (n != into.Length) throw new SnapshotException($"machine state: an array of {n} {typeof(T).Name} where this machine has {into.Length}");
        var bytes = MemoryMarshal.AsBytes(into);
        if (_r.Read(bytes) != bytes.Length) throw Truncated();
    }

    /// <summary>Reads an array of any length (written by <see cref="SnapshotWriter.Write{T}(T[])"/>).</summary>
    public T[] ReadArray<T>() where T : unmanaged
    {
        int n = ReadInt32();
        if (n < 0 || (long)n * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() > _r.BaseStream.Length - _r.BaseStream.Position) throw Truncated();
        var a = new T[n];
        if (_r.Read(MemoryMarshal.AsBytes(a.AsSpan())) != n * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()) throw Truncated();
        return a;
    }

    public void ReadOptional<T>(T[]? into) where T : unmanaged
    {
        bool present = ReadBoolean();
        if (present != (into is not null)) throw new SnapshotException("machine state: an optional array is present in one of the snapshot and this machine only");
        if (into is not null) Read<T>(into);
    }

    private static SnapshotException Truncated() => new("machine state ends early");

    private static T Guard<T>(Func<T> read)
    {
        try { return read(); }
        catch (EndOfStreamException) { throw Truncated(); }
    }
}
