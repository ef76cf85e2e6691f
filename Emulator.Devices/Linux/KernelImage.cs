using System.Buffers.Binary;
using System.IO.Compression;

namespace Aegis.Emulator.Devices.Linux;

/// <summary>A kernel or blob that cannot be loaded; the message is one line meant for the user.</summary>
public sealed class BootLoadException(string message) : Exception(message);

/// <summary>
/// A kernel given as --kernel, as QEMU 7.2's hw/arm/boot.c (load_aarch64_image) takes it: gzip-compressed or not;
/// an arm64 Linux `Image` when the 64-byte header (Documentation/arm64/booting.rst) carries the magic "ARM\x64" at 0x38,
/// otherwise a raw binary, loaded and entered at <see cref="RawLoadOffset"/> from the start of RAM.
/// <code>
///   0x00 code0, code1    0x08 text_offset (LE64)   0x10 image_size (LE64)   0x18 flags (LE64)
///   0x20 res2, res3, res4                            0x38 magic 0x644D5241    0x3C res5 (PE header offset)
/// </code>
/// flags: bit 0 big-endian kernel (refused: the board's data accesses are little-endian), bits 1-2 page size,
/// bit 3 physical placement. An image_size of 0 marks a kernel older than 3.17 whose text_offset is 0x80000.
/// </summary>
public sealed class KernelImage
{
    public const uint Arm64Magic = 0x644D_5241; // "ARM\x64"
    public const int HeaderSize = 64;
    /// <summary>QEMU's KERNEL64_LOAD_ADDR: where a raw binary (or an Image before 3.17) goes from the start of RAM.</summary>
    public const ulong RawLoadOffset = 0x8_0000;
    /// <summary>QEMU's LOAD_IMAGE_MAX_GUNZIP_BYTES: the most a gzip-compressed kernel may expand to.</summary>
    public const long MaxUncompressedBytes = 64L << 20;

    /// <summary>The bytes to load (decompressed when the file was gzip).</summary>
    public byte[] Bytes { get; }
    /// <summary>True for an arm64 Linux Image (header with the magic), false for a raw binary.</summary>
    public bool IsArm64Image { get; }
    public bool WasGzip { get; }
    /// <summary>The header's text_offset (0x80000 when image_size is 0), or <see cref="RawLoadOffset"/> for a raw binary.</summary>
    public ulong TextOffset { get; }
    /// <summary>The memory the kernel occupies from its load address, BSS included: image_size, at least the file's length.</summary>
    public ulong MemorySize { get; }
    public ulong Flags { get; }

    private KernelImage(byte[] bytes, bool isImage, bool gzip, ulong textOffset, ulong memorySize, ulong flags)
    {
        Bytes = bytes; IsArm64Image = isImage; WasGzip = gzip; TextOffset = textOffset; MemorySize = memorySize; Flags = flags;
    }

    public static bool IsGzip(ReadOnlySpan<byte> file) => file.Length >= 2 && file[0] == 0x1F && file[1] == 0x8B;

    public static KernelImage Parse(byte[] file)
    {
        if (file.Length == 0) throw new BootLoadException("the kernel file is empty");
        bool gzip = IsGzip(file);
        byte[] bytes = gzip ? Gunzip(file) : file;
        if (bytes.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(0x38)) != Arm64Magic)
            return new KernelImage(bytes, false, gzip, RawLoadOffset, (ulong)bytes.Length, 0);
        ulong textOffset = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0x08));
        ulong imageSize = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0x10));
        ulong flags = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0x18));
        if (imageSize == 0) textOffset = RawLoadOffset;
        if ((flags & 1) != 0) throw new BootLoadException("the kernel Image is big-endian (header flags bit 0); the board runs little-endian kernels");
        if (textOffset >= 1UL << 32) throw new BootLoadException($"the kernel Image header's text_offset 0x{textOffset:X} is not plausible");
        return new KernelImage(bytes, true, gzip, textOffset, Math.Max(imageSize, (ulong)bytes.Length), flags);
    }

    private static byte[] Gunzip(byte[] file)
    {
        try
        {
            using var gz = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[1 << 16];
            int n;
            while ((n = gz.Read(buffer)) > 0)
            {
                if (output.Length + n > MaxUncompressedBytes)
                    throw new BootLoadException($"the gzip-compressed kernel expands past {MaxUncompressedBytes >> 20} MiB");
                output.Write(buffer, 0, n);
            }
            if (output.Length == 0) throw new BootLoadException("the kernel looks gzip-compressed but decompresses to nothing");
            return output.ToArray();
        }
        catch (InvalidDataException e) { throw new BootLoadException($"the kernel looks gzip-compressed but does not decompress: {e.Message}"); }
    }
}
