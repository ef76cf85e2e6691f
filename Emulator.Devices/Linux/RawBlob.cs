namespace Aegis.Emulator.Devices.Linux;

/// <summary>
/// A file placed byte for byte at a physical address before the run (`run --load FILE@ADDR`, as QEMU's
/// `-device loader,file=FILE,addr=ADDR`): a test's .flat image, a ramdisk, a table the guest expects.
/// </summary>
public sealed record RawBlob(string Name, ulong Address, byte[] Bytes)
{
    public ulong End => Address + (ulong)Bytes.Length;

    /// <summary>
    /// Loads the blobs into RAM after checking that each lies inside RAM and overlaps neither another blob nor
    /// what is already <paramref name="occupied"/> (the kernel, initrd and DTB, or an ELF's segments), as QEMU
    /// refuses overlapping ROM regions.
    /// </summary>
    public static void LoadAll(VirtBoard board, IReadOnlyList<RawBlob> blobs, IEnumerable<(ulong Start, ulong End, string What)> occupied)
    {
        ulong ramBase = VirtBoard.RamBase, ramEnd = ramBase + board.Options.RamSize;
        var taken = occupied.Where(r => r.End > r.Start).ToList();
        foreach (var b in blobs)
        {
            if (b.Address < ramBase || b.Address > ramEnd || (ulong)b.Bytes.Length > ramEnd - b.Address)
                throw new BootLoadException($"{b.Name} (0x{b.Bytes.Length:X} bytes at 0x{b.Address:X}) falls outside RAM 0x{ramBase:X}-0x{ramEnd - 1:X}");
            foreach (var (start, end, what) in taken)
                if (b.Address < end && start < b.End)
                    throw new BootLoadException($"{b.Name} at 0x{b.Address:X}-0x{b.End - 1:X} overlaps {what} at 0x{start:X}-0x{end - 1:X}");
            if (b.Bytes.Length > 0) taken.Add((b.Address, b.End, b.Name));
        }
        foreach (var b in blobs) board.Bus.Load(b.Address, b.Bytes);
    }
}
