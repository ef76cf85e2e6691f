using System.Buffers.Binary;
using System.Text;
using Aegis.Kernel.Image;
using Aegis.Kernel.Image.Abi;

namespace Aegis.Emu.Debugging;

/// <summary>
/// A user ELF of the boot bundle as the debugger sees it: its ELF slot's address range (the same virtual addresses
/// in every task's address space), its .symtab and its .debug_line. Names are qualified with the bundle entry's
/// name: "hello:_start".
/// </summary>
public sealed class UserImage(string name, int slot, int task, byte[] elf)
{
    public string Name { get; } = name;
    public int Slot { get; } = slot;
    public int Task { get; } = task;
    public ulong Base { get; } = MemoryMap.ElfSlotBase(slot);
    public ulong End => Base + MemoryMap.ElfSlotSize;
    public KernelSymbols Symbols { get; } = KernelSymbols.Parse(elf);
    public DwarfLineTable Lines { get; } = DwarfLineTable.FromElf(elf);

    public bool Contains(ulong address) => address >= Base && address < End;

    /// <summary>
    /// The ELF images of a boot bundle (docs/BOOT-BUNDLE.md) that the kernel would accept at header level: magic,
    /// version, size and checksum, then per entry a slot 0-5 with task = slot + 2 and an image inside the bundle and
    /// its slot. Best effort: a bundle the kernel rejects, or an entry whose ELF has no readable symbol table, gives
    /// no names (the kernel loads nothing from a bad header, so there is nothing to name).
    /// </summary>
    public static IReadOnlyList<UserImage> FromBundle(byte[]? bundle)
    {
        var list = new List<UserImage>();
        if (bundle is null || bundle.Length < BootBundle.HeaderSize) return list;
        var b = bundle.AsSpan();
        uint total = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(b) != BootBundle.Magic || BinaryPrimitives.ReadUInt16LittleEndian(b[4..]) != BootBundle.Version
            || total > (uint)bundle.Length || total > BootBundle.MaxSize || count > BootBundle.MaxEntries
            || BootBundle.HeaderSize + count * BootBundle.EntrySize > total
            || BootBundle.Fnv1a(b[BootBundle.HeaderSize..(int)total]) != BinaryPrimitives.ReadUInt32LittleEndian(b[12..]))
            return list;
        for (int i = 0; i < count; i++)
        {
            var row = b.Slice(BootBundle.HeaderSize + i * BootBundle.EntrySize, BootBundle.EntrySize);
            int slot = row[0], task = row[1];
            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(row[4..]), size = BinaryPrimitives.ReadUInt32LittleEndian(row[8..]);
            if (slot >= BootBundle.MaxEntries || task != BootBundle.TaskForSlot(slot) || size > MemoryMap.ElfSlotSize
                || offset > total || size > total - offset || list.Any(u => u.Slot == slot))
                continue;
            var nameBytes = row.Slice(16, BootBundle.NameSize);
            int len = nameBytes.IndexOf((byte)0);
            string name = Encoding.ASCII.GetString(nameBytes[..(len < 0 ? BootBundle.NameSize : len)]);
            try { list.Add(new UserImage(name.Length > 0 ? name : $"slot{slot}", slot, task, b.Slice((int)offset, (int)size).ToArray())); }
            catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException) { } // not an ELF with a symbol table
        }
        return list;
    }
}
