using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aegis.Emulator.Mmu;

/// <summary>
/// The physical address space: one contiguous RAM array (the fast path) and MMIO regions
/// dispatched to devices. An access that hits nothing is an external abort for the guest.
/// <para>RAM is native memory from calloc: a large calloc is fresh anonymous memory, zero without being written and
/// committed page by page as the guest touches it, so a 128 MiB board costs only the pages it uses (the test
/// campaigns create thousands). The finalizer frees it; the GC is told of its size so that it runs often enough.</para>
/// </summary>
public sealed unsafe class PhysicalBus
{
    public const int PageShift = 12;

    private readonly byte* _ram;
    private readonly List<(ulong Base, ulong Size, IMmioDevice Device)> _mmio = new();

    /// <summary>One flag per RAM page: set while decoded instructions exist for the page.</summary>
    private readonly byte[] _codePages;

    public ulong RamBase { get; }
    public ulong RamSize { get; }

    /// <summary>Called with the RAM page index when a page holding decoded code is written.</summary>
    public Action<ulong>? CodePageWritten { get; set; }

    public PhysicalBus(ulong ramBase, ulong ramSize)
    {
        if ((ramBase & 0xFFF) != 0 || (ramSize & 0xFFF) != 0 || ramSize == 0)
            throw new ArgumentException("RAM base and size must be non-zero multiples of 4 KiB");
        RamBase = ramBase;
        RamSize = ramSize;
        _codePages = new byte[ramSize >> PageShift];
        _ram = (byte*)NativeMemory.AllocZeroed((nuint)checked((int)ramSize)); // the Ram span's length is an int
        GC.AddMemoryPressure((long)ramSize);
    }

    ~PhysicalBus()
    {
        NativeMemory.Free(_ram);
        GC.RemoveMemoryPressure((long)RamSize);
    }

    /// <summary>The RAM bytes, for loaders, checkers and the decoder. Writes through this span bypass code-page tracking.</summary>
    public Span<byte> Ram => new(_ram, (int)RamSize);

    public void Map(ulong baseAddress, ulong size, IMmioDevice device)
    {
        foreach (var r in _mmio)
            if (baseAddress < r.Base + r.Size && r.Base < baseAddress + size)
                throw new ArgumentException($"MMIO region 0x{baseAddress:X} overlaps 0x{r.Base:X}");
        _mmio.Add((baseAddress, size, device));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsRam(ulong pa, int size) => pa - RamBase <= RamSize - (ulong)size;

    /// <summary>Offset of <paramref name="pa"/> in RAM, or -1 when the range is not entirely RAM.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long RamOffset(ulong pa, int size) => IsRam(pa, size) ? (long)(pa - RamBase) : -1;

    /// <summary>The memory-safety check an array would make: the whole access inside RAM (callers get offsets from <see cref="RamOffset"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long CheckedOffset(long offset, int size)
    {
        if ((ulong)offset > RamSize - (ulong)size) OutsideRam(offset, size);
        return offset;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void OutsideRam(long offset, int size) =>
        throw new ArgumentOutOfRangeException(nameof(offset), $"RAM offset 0x{offset:X} (+{size})");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadRam(long offset, int size)
    {
        ref byte p = ref _ram[CheckedOffset(offset, size)];
        return size switch
        {
            1 => p,
            2 => Unsafe.ReadUnaligned<ushort>(ref p),
            4 => Unsafe.ReadUnaligned<uint>(ref p),
            _ => Unsafe.ReadUnaligned<ulong>(ref p),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteRam(long offset, int size, ulong value)
    {
        ref byte p = ref _ram[CheckedOffset(offset, size)];
        switch (size)
        {
            case 1: p = (byte)value; break;
            case 2: Unsafe.WriteUnaligned(ref p, (ushort)value); break;
            case 4: Unsafe.WriteUnaligned(ref p, (uint)value); break;
            default: Unsafe.WriteUnaligned(ref p, value); break;
        }
        // A write that lands in a page (or straddles into one) holding decoded code drops it.
        if ((_codePages[offset >> PageShift] | _codePages[(offset + size - 1) >> PageShift]) != 0)
            NotifyCodeWrite(offset, size);
    }

    private void NotifyCodeWrite(long offset, int size)
    {
        for (long page = offset >> PageShift; page <= (offset + size - 1) >> PageShift; page++)
        {
            if (_codePages[page] == 0) continue;
            _codePages[page] = 0;
            CodePageWritten?.Invoke((ulong)page);
        }
    }

    /// <summary>Marks a RAM page as holding decoded instructions, so that a write to it is reported.</summary>
    public void MarkCodePage(ulong ramPage) => _codePages[ramPage] = 1;

    /// <summary>A physical read of any kind (RAM or MMIO). False = external abort.</summary>
    public bool Read(ulong pa, int size, out ulong value)
    {
        long off = RamOffset(pa, size);
        if (off >= 0) { value = ReadRam(off, size); return true; }
        foreach (var r in _mmio)
            if (pa - r.Base < r.Size && pa - r.Base + (ulong)size <= r.Size)
                return r.Device.Read(pa - r.Base, size, out value);
        value = 0;
        return false;
    }

    /// <summary>A physical write of any kind (RAM or MMIO). False = external abort.</summary>
    public bool Write(ulong pa, int size, ulong value)
    {
        long off = RamOffset(pa, size);
        if (off >= 0) { WriteRam(off, size, value); return true; }
        foreach (var r in _mmio)
            if (pa - r.Base < r.Size && pa - r.Base + (ulong)size <= r.Size)
                return r.Device.Write(pa - r.Base, size, value);
        return false;
    }

    /// <summary>Copies bytes into RAM (loaders). Returns false when the range is not entirely RAM.</summary>
    public bool Load(ulong pa, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return IsRam(pa, 1) || pa == RamBase + RamSize;
        if (!IsRam(pa, bytes.Length)) return false;
        long off = (long)(pa - RamBase);
        bytes.CopyTo(Ram[(int)off..]);
        NotifyCodeWrite(off, bytes.Length);
        return true;
    }

    /// <summary>Little-endian 32-bit instruction word at a RAM offset.</summary>
    public uint FetchWord(long offset) => BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(_ram + CheckedOffset(offset, 4), 4));
}
