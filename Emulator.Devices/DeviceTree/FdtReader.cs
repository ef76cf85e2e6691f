using System.Buffers.Binary;
using System.Text;

namespace Aegis.Emulator.Devices.DeviceTree;

/// <summary>A blob that is not a well-formed flattened devicetree; the message is one line meant for the user.</summary>
public sealed class FdtFormatException(string message) : Exception(message);

/// <summary>
/// Reads a flattened devicetree blob (Devicetree Specification v0.4, chapter 5; versions 16 and 17) into an
/// <see cref="FdtNode"/> tree, checking the header (magic, total size within the file, blocks inside the blob,
/// version) and every token, so that a bad --dtb is refused with a reason instead of being handed to the guest.
/// </summary>
public static class FdtReader
{
    private const uint FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_NOP = 4, FDT_END = 9;

    public static FdtNode Read(byte[] blob)
    {
        if (blob.Length < FdtWriter.HeaderSize) throw new FdtFormatException($"not a devicetree blob: {blob.Length} bytes, shorter than its 40-byte header");
        uint U(int offset) => BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(offset));
        if (U(0) != FdtWriter.Magic) throw new FdtFormatException($"not a devicetree blob: magic 0x{U(0):X8}, expected 0xD00DFEED");
        uint total = U(4), structOff = U(8), stringsOff = U(12), version = U(20), lastComp = U(24), stringsSize = U(32), structSize = U(36);
        if (total > (uint)blob.Length) throw new FdtFormatException($"truncated devicetree blob: totalsize {total} but the file has {blob.Length} bytes");
        if (version < 16 || lastComp > FdtWriter.Version)
            throw new FdtFormatException($"devicetree blob version {version} (last compatible {lastComp}) is not supported: need 16 or 17");
        if ((ulong)structOff + structSize > total || (ulong)stringsOff + stringsSize > total || structOff % 4 != 0)
            throw new FdtFormatException("devicetree blob: structure or strings block outside the blob");
        var structure = new ArraySegment<byte>(blob, (int)structOff, (int)structSize);
        var strings = new ArraySegment<byte>(blob, (int)stringsOff, (int)stringsSize);

        int pos = 0;
        uint Next()
        {
            if (pos + 4 > structure.Count) throw new FdtFormatException("devicetree blob: structure block ends early");
            uint v = BinaryPrimitives.ReadUInt32BigEndian(structure.AsSpan(pos));
            pos += 4;
            return v;
        }
        static string CString(ArraySegment<byte> block, int at, string what)
        {
            int end = at < block.Count ? block.AsSpan(at).IndexOf((byte)0) : -1;
            if (end < 0) throw new FdtFormatException($"devicetree blob: unterminated {what}");
            return Encoding.ASCII.GetString(block.AsSpan(at, end));
        }

        var stack = new Stack<FdtNode>();
        FdtNode? root = null;
        while (true)
        {
            uint token = Next();
            switch (token)
            {
                case FDT_BEGIN_NODE:
                {
                    string name = CString(structure, pos, "node name");
                    pos = (pos + name.Length + 1 + 3) & ~3;
                    var node = new FdtNode(name);
                    if (stack.Count > 0) stack.Peek().Add(node);
                    else if (root is null) root = node;
                    else throw new FdtFormatException("devicetree blob: more than one root node");
                    stack.Push(node);
                    break;
                }
                case FDT_PROP:
                {
                    if (stack.Count == 0) throw new FdtFormatException("devicetree blob: property outside any node");
                    int len = (int)Next();
                    uint nameOff = Next();
                    if (len < 0 || len > structure.Count - pos) throw new FdtFormatException("devicetree blob: property runs past the structure block");
                    string name = CString(strings, (int)Math.Min(nameOff, int.MaxValue), "property name");
                    stack.Peek().Properties.Add(new(name, structure.AsSpan(pos, len).ToArray()));
                    pos = (pos + len + 3) & ~3;
                    break;
                }
                case FDT_END_NODE:
                    if (stack.Count == 0) throw new FdtFormatException("devicetree blob: FDT_END_NODE without a node");
                    stack.Pop();
                    break;
                case FDT_NOP: break;
                case FDT_END:
                    if (root is null || stack.Count != 0) throw new FdtFormatException("devicetree blob: FDT_END inside a node or before the root");
                    return root;
                default: throw new FdtFormatException($"devicetree blob: unknown token 0x{token:X} at structure offset {pos - 4}");
            }
        }
    }
}
