using System.Buffers.Binary;
using System.Text;

namespace Aegis.Emulator.Devices.DeviceTree;

/// <summary>
/// One devicetree node in memory: its name (with unit address, "" for the root), its properties in order and its
/// children. <see cref="VirtDeviceTree"/> builds one, <see cref="FdtReader"/> reads one back from a blob, and
/// <see cref="Write"/> flattens it; a user's --dtb is read, given /chosen and /memory as QEMU does, and rewritten.
/// </summary>
public sealed class FdtNode(string name)
{
    public string Name { get; } = name;
    public List<KeyValuePair<string, byte[]>> Properties { get; } = [];
    public List<FdtNode> Children { get; } = [];

    public FdtNode Add(FdtNode child) { Children.Add(child); return child; }

    /// <summary>Sets a property, replacing a property of that name or appending it.</summary>
    public FdtNode Set(string property, byte[] value)
    {
        int i = Properties.FindIndex(p => p.Key == property);
        if (i >= 0) Properties[i] = new(property, value);
        else Properties.Add(new(property, value));
        return this;
    }

    /// <summary>An empty property: a boolean such as interrupt-controller.</summary>
    public FdtNode Flag(string property) => Set(property, Array.Empty<byte>());
    public FdtNode Set(string property, params string[] strings) => Set(property, Strings(strings));
    public FdtNode Cells(string property, params uint[] cells) => Set(property, CellBytes(cells));
    /// <summary>64-bit values as two cells each (#address-cells = #size-cells = 2).</summary>
    public FdtNode Cells64(string property, params ulong[] values) =>
        Cells(property, values.SelectMany(v => new[] { (uint)(v >> 32), (uint)v }).ToArray());

    public byte[]? Get(string property) => Properties.FirstOrDefault(p => p.Key == property).Value;

    /// <summary>The child named exactly so, or, for a name without '@', the first whose name before '@' matches (as libfdt).</summary>
    public FdtNode? Child(string name) =>
        Children.FirstOrDefault(c => c.Name == name) ??
        (name.Contains('@') ? null : Children.FirstOrDefault(c => c.Name.Split('@')[0] == name));

    /// <summary>The node at an absolute path such as "/cpus/cpu@0", or null.</summary>
    public FdtNode? Find(string path)
    {
        FdtNode? node = this;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node.Child(part);
            if (node is null) return null;
        }
        return node;
    }

    /// <summary>This node and its subtree as a blob.</summary>
    public byte[] Write(uint bootCpuId = 0)
    {
        var w = new FdtWriter();
        WriteTo(w);
        return w.Finish(bootCpuId);
    }

    private void WriteTo(FdtWriter w)
    {
        w.BeginNode(Name);
        foreach (var p in Properties) w.Property(p.Key, p.Value);
        foreach (var c in Children) c.WriteTo(w);
        w.EndNode();
    }

    public static byte[] Strings(params string[] strings) => Encoding.ASCII.GetBytes(string.Concat(strings.Select(s => s + "\0")));

    public static byte[] CellBytes(params uint[] cells)
    {
        var value = new byte[cells.Length * 4];
        for (int i = 0; i < cells.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(value.AsSpan(i * 4), cells[i]);
        return value;
    }
}
