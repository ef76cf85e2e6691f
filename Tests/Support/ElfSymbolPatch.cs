using System.Buffers.Binary;
using System.Text;

namespace Aegis.Tests.Support;

/// <summary>Where a symbol's st_value lies in an ELF64 file, so that a test can move the symbol (a malformed image).</summary>
public static class ElfSymbolPatch
{
    public static int ValueOffset(byte[] elf, string name)
    {
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        for (int s = 0; s < shnum; s++)
        {
            var sh = elf.AsSpan((int)shoff + s * shentsize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != 2) continue; // SHT_SYMTAB
            int off = (int)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]);
            int size = (int)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x20..]);
            var strSh = elf.AsSpan((int)shoff + (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]) * shentsize);
            int strOff = (int)BinaryPrimitives.ReadUInt64LittleEndian(strSh[0x18..]);
            for (int e = off; e < off + size; e += 24)
            {
                int start = strOff + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(e));
                int end = Array.IndexOf(elf, (byte)0, start);
                if (Encoding.ASCII.GetString(elf, start, end - start) == name) return e + 8;
            }
        }
        throw new KeyNotFoundException($"symbol {name} not in the image's .symtab");
    }
}
