using System.Text;

namespace Aegis.Tests.Linux;

/// <summary>
/// Writes a cpio archive in the "newc" format (SVR4 portable ASCII, magic 070701), the format the Linux kernel
/// unpacks as an initramfs (Documentation/driver-api/early-userspace/buffer-format.rst): per entry a 110-byte header
/// of 13 eight-digit hex fields, the NUL-terminated name padded to 4 bytes, the data padded to 4 bytes; the archive
/// ends with the entry TRAILER!!!. Timestamps, owners and inode numbers are fixed, so the same files give the same bytes.
/// </summary>
public sealed class NewcArchive
{
    private const uint S_IFDIR = 0x4000, S_IFREG = 0x8000, S_IFLNK = 0xA000;
    private readonly MemoryStream _out = new();
    private uint _inode = 1;

    public NewcArchive Directory(string path) => Entry(path, S_IFDIR | 0x1ED /* 0755 */, []);
    public NewcArchive File(string path, byte[] data, bool executable = false) => Entry(path, S_IFREG | (executable ? 0x1EDu : 0x1A4u /* 0644 */), data);
    public NewcArchive File(string path, string text, bool executable = false) => File(path, Encoding.UTF8.GetBytes(text), executable);
    public NewcArchive Symlink(string path, string target) => Entry(path, S_IFLNK | 0x1FF /* 0777 */, Encoding.UTF8.GetBytes(target));

    public byte[] Finish()
    {
        Entry("TRAILER!!!", 0, []);
        return _out.ToArray();
    }

    private NewcArchive Entry(string name, uint mode, byte[] data)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        uint[] fields = [_inode++, mode, 0, 0, (mode & S_IFDIR) != 0 ? 2u : 1u, 0, (uint)data.Length, 0, 0, 0, 0, (uint)nameBytes.Length, 0];
        var header = new StringBuilder("070701");
        foreach (uint f in fields) header.Append(f.ToString("X8"));
        _out.Write(Encoding.ASCII.GetBytes(header.ToString()));
        _out.Write(nameBytes);
        Pad();
        _out.Write(data);
        Pad();
        return this;
    }

    private void Pad()
    {
        while (_out.Length % 4 != 0) _out.WriteByte(0);
    }
}
