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
    /// The ELF images of a boot bundle that the kernel would load (<see cref="BootBundle.Read"/>). Best effort: a
    /// bundle the kernel rejects, or an entry whose ELF has no readable symbol table, gives no names.
    /// </summary>
    public static IReadOnlyList<UserImage> FromBundle(byte[]? bundle)
    {
        var list = new List<UserImage>();
        if (bundle is null) return list;
        foreach (var e in BootBundle.Read(bundle))
        {
            try { list.Add(new UserImage(e.Name, e.Slot, e.Task, e.Image)); }
            catch (Exception ex) when (ex is InvalidDataException or ArgumentOutOfRangeException) { } // not an ELF with a symbol table
        }
        return list;
    }
}
