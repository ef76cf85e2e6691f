using System.Buffers.Binary;
using System.Text;

namespace Aegis.Emulator.Devices.DeviceTree;

/// <summary>
/// Writes a flattened devicetree blob, format version 17 (Devicetree Specification v0.4, chapter 5), as dtc and
/// libfdt do: the 40-byte big-endian header, an empty memory reservation block, the structure block (FDT_BEGIN_NODE,
/// FDT_PROP, FDT_END_NODE, FDT_END tokens, each item padded to 4 bytes) and the strings block, where every property
/// name is stored once. Nodes are written in order: <see cref="BeginNode"/>, its properties, its children,
/// <see cref="EndNode"/>; the root node is named "". <see cref="FdtNode.Write"/> drives it from a tree.
/// </summary>
public sealed class FdtWriter
{
    public const uint Magic = 0xD00D_FEED;
    public const uint Version = 17, LastCompatibleVersion = 16;
    public const int HeaderSize = 40;
    private const uint FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_END = 9;

    private readonly MemoryStream _structure = new();
    private readonly MemoryStream _strings = new();
    private readonly Dictionary<string, int> _stringOffsets = new(StringComparer.Ordinal);
    private int _depth;
    private bool _finished;

    public void BeginNode(string name)
    {
        if (_finished) throw new InvalidOperationException("the blob is already finished");
        Token(FDT_BEGIN_NODE);
        _structure.Write(Encoding.ASCII.GetBytes(name + "\0"));
        Pad();
        _depth++;
    }

    public void EndNode()
    {
        if (_depth == 0) throw new InvalidOperationException("EndNode without BeginNode");
        Token(FDT_END_NODE);
        _depth--;
    }

    /// <summary>A property with a raw value (already big-endian where it holds numbers).</summary>
    public void Property(string name, ReadOnlySpan<byte> value)
    {
        if (_depth == 0) throw new InvalidOperationException($"property {name} outside any node");
        Token(FDT_PROP);
        Token((uint)value.Length);
        Token((uint)StringOffset(name));
        _structure.Write(value);
        Pad();
    }

    /// <summary>Closes the tree and returns the blob.</summary>
    public byte[] Finish(uint bootCpuId = 0)
    {
        if (_depth != 0) throw new InvalidOperationException($"{_depth} node(s) still open");
        if (!_finished) { Token(FDT_END); _finished = true; }
        const int reserveMapOffset = HeaderSize;   // 8-byte aligned: 40
        const int reserveMapSize = 16;             // only the terminating (0, 0) entry
        int structOffset = reserveMapOffset + reserveMapSize;
        int structSize = (int)_structure.Length;
        int stringsOffset = structOffset + structSize;
        int stringsSize = (int)_strings.Length;
        int total = stringsOffset + stringsSize;
        var blob = new byte[total];
        var h = blob.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(h[0..], Magic);
        BinaryPrimitives.WriteUInt32BigEndian(h[4..], (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(h[8..], (uint)structOffset);
        BinaryPrimitives.WriteUInt32BigEndian(h[12..], (uint)stringsOffset);
        BinaryPrimitives.WriteUInt32BigEndian(h[16..], reserveMapOffset);
        BinaryPrimitives.WriteUInt32BigEndian(h[20..], Version);
        BinaryPrimitives.WriteUInt32BigEndian(h[24..], LastCompatibleVersion);
        BinaryPrimitives.WriteUInt32BigEndian(h[28..], bootCpuId);
        BinaryPrimitives.WriteUInt32BigEndian(h[32..], (uint)stringsSize);
        BinaryPrimitives.WriteUInt32BigEndian(h[36..], (uint)structSize);
        _structure.ToArray().CopyTo(blob, structOffset);
        _strings.ToArray().CopyTo(blob, stringsOffset);
        return blob;
    }

    private int StringOffset(string name)
    {
        if (_stringOffsets.TryGetValue(name, out int offset)) return offset;
        offset = (int)_strings.Length;
        _strings.Write(Encoding.ASCII.GetBytes(name + "\0"));
        _stringOffsets[name] = offset;
        return offset;
    }

    private void Token(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        _structure.Write(b);
    }

    private void Pad()
    {
        while (_structure.Length % 4 != 0) _structure.WriteByte(0);
    }
}
