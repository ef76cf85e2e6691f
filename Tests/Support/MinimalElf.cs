using System.Buffers.Binary;

namespace Aegis.Tests.Support;

/// <summary>
/// Writes the smallest static AArch64 Linux executable that qemu-aarch64 (and our ELF loader) accept:
/// an ELF64 header, one program header, and one PT_LOAD R+X segment holding <c>image</c> at <c>vaddr</c>
/// (System V gABI, ELF-64 object file format; e_machine EM_AARCH64 = 183). No sections are needed to run.
/// </summary>
public static class MinimalElf
{
    private const int EhdrSize = 64, PhdrSize = 56, SegmentOffset = 0x1000;

    public static byte[] Executable(ulong vaddr, ulong entry, ReadOnlySpan<byte> image) => Executable(vaddr, entry, image, 0, []);

    /// <summary>As above, plus a second PT_LOAD segment, R+W, holding <paramref name="data"/> at <paramref name="dataVaddr"/> (page aligned).</summary>
    public static byte[] Executable(ulong vaddr, ulong entry, ReadOnlySpan<byte> image, ulong dataVaddr, ReadOnlySpan<byte> data)
    {
        int phnum = data.Length > 0 ? 2 : 1;
        int dataOffset = (SegmentOffset + image.Length + 0xFFF) & ~0xFFF;
        var f = new byte[data.Length > 0 ? dataOffset + data.Length : SegmentOffset + image.Length];
        var s = f.AsSpan();
        // e_ident: magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, ELFOSABI_SYSV.
        s[0] = 0x7F; s[1] = (byte)'E'; s[2] = (byte)'L'; s[3] = (byte)'F';
        s[4] = 2; s[5] = 1; s[6] = 1; s[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(s[16..], 2);          // e_type = ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(s[18..], 183);        // e_machine = EM_AARCH64
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], 1);          // e_version
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], entry);      // e_entry
        BinaryPrimitives.WriteUInt64LittleEndian(s[32..], EhdrSize);   // e_phoff
        BinaryPrimitives.WriteUInt64LittleEndian(s[40..], 0);          // e_shoff: no sections
        BinaryPrimitives.WriteUInt32LittleEndian(s[48..], 0);          // e_flags
        BinaryPrimitives.WriteUInt16LittleEndian(s[52..], EhdrSize);   // e_ehsize
        BinaryPrimitives.WriteUInt16LittleEndian(s[54..], PhdrSize);   // e_phentsize
        BinaryPrimitives.WriteUInt16LittleEndian(s[56..], (ushort)phnum); // e_phnum
        BinaryPrimitives.WriteUInt16LittleEndian(s[58..], 64);         // e_shentsize
        BinaryPrimitives.WriteUInt16LittleEndian(s[60..], 0);          // e_shnum
        BinaryPrimitives.WriteUInt16LittleEndian(s[62..], 0);          // e_shstrndx

        var ph = s[EhdrSize..];
        BinaryPrimitives.WriteUInt32LittleEndian(ph[0..], 1);                   // p_type = PT_LOAD
        BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], 5);                   // p_flags = PF_R | PF_X
        BinaryPrimitives.WriteUInt64LittleEndian(ph[8..], SegmentOffset);       // p_offset
        BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], vaddr);              // p_vaddr
        BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], vaddr);              // p_paddr (our loader places by it)
        BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], (ulong)image.Length); // p_filesz
        BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], (ulong)image.Length); // p_memsz
        BinaryPrimitives.WriteUInt64LittleEndian(ph[48..], 0x1000);             // p_align
        image.CopyTo(s[SegmentOffset..]);
        if (data.Length > 0)
        {
            var dh = s[(EhdrSize + PhdrSize)..];
            BinaryPrimitives.WriteUInt32LittleEndian(dh[0..], 1);                    // PT_LOAD
            BinaryPrimitives.WriteUInt32LittleEndian(dh[4..], 6);                    // PF_R | PF_W
            BinaryPrimitives.WriteUInt64LittleEndian(dh[8..], (ulong)dataOffset);
            BinaryPrimitives.WriteUInt64LittleEndian(dh[16..], dataVaddr);
            BinaryPrimitives.WriteUInt64LittleEndian(dh[24..], dataVaddr);
            BinaryPrimitives.WriteUInt64LittleEndian(dh[32..], (ulong)data.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(dh[40..], (ulong)data.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(dh[48..], 0x1000);
            data.CopyTo(s[dataOffset..]);
        }
        return f;
    }
}
