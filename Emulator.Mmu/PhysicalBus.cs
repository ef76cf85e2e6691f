using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aegis.Emulator.Mmu;

/// <summary>
/// The physical address space: one contiguous RAM array (the fast path) and MMIO regions
/// dispatched to devices. An access that hits nothing is an external abort for the guest.
/// <para>The arrays of ROM devices (<see cref="IRomDevice"/>: CFI flash) live in the same native block after RAM,
/// the "code space": offsets [0, RamSize) are RAM, the ROM arrays follow. Instruction fetch and the decoded-page
/// cache work on code-space offsets (<see cref="FetchOffset"/>), so code runs from flash as fast as from RAM;
/// data accesses to a ROM device go through its MMIO interface, which knows its command state.</para>
/// <para>RAM is native memory from calloc: a large calloc is fresh anonymous memory, zero without being written and
/// committed page by page as the guest touches it, so a 128 MiB board costs only the pages it uses (the test
/// campaigns create thousands). The finalizer frees it; the GC is told of its size so that it runs often enough.</para>
/// </summary>
public sealed unsafe partial class PhysicalBus
{
    public const int PageShift = 12;

    private readonly byte* _ram;
    private readonly List<MmioRegion> _mmio = new();
    private readonly List<(ulong Base, ulong Size, RomStorage Storage, IRomDevice Device)> _roms = new();
    private long _romUsed;

    /// <summary>
    /// Flags per code-space page (RAM, then ROM arrays): <see cref="PageCode"/> while decoded instructions exist for the
    /// page, <see cref="PageTracked"/> while the page is unchanged since the last snapshot (PhysicalBus.Snapshot.cs).
    /// A write to a page with any flag set takes <see cref="PageWritten"/>, so the RAM fast path pays one test for both.
    /// </summary>
    private readonly byte[] _pageFlags;
    private const byte PageCode = 1, PageTracked = 2;

    public ulong RamBase { get; }
    public ulong RamSize { get; }

    /// <summary>RAM followed by the room for ROM arrays (<see cref="MapRom"/>): the range of code-space offsets.</summary>
    public ulong CodeSpaceSize { get; }

    /// <summary>Called with the code-space page index when a page holding decoded code is written. The CPU's wiring
    /// (one owner); observers use its CpuHook.OnCodePageWrite.</summary>
    internal Action<ulong>? CodePageWritten { get; set; }

    /// <summary>Called when a ROM device enters or leaves array mode: what a fetch PC reaches may have changed (the CPU's wiring).</summary>
    internal Action? FetchInvalidated { get; set; }

    /// <summary>The CPU's PC, for guest-error reports (the CPU's wiring).</summary>
    internal Func<ulong>? ProgramCounter { get; set; }

    /// <summary>
    /// Receives every device access that no register answers (<see cref="MmioStatus.Unimplemented"/>); null (the
    /// default) reports nothing and costs nothing but the test of the status of an MMIO access.
    /// </summary>
    public IGuestErrorLog? GuestErrors { get; set; }

    /// <param name="romCapacity">Bytes reserved after RAM for the arrays of ROM devices mapped with <see cref="MapRom"/>
    /// (untouched pages of the native block cost nothing).</param>
    public PhysicalBus(ulong ramBase, ulong ramSize, ulong romCapacity = 0)
    {
        if ((ramBase & 0xFFF) != 0 || (ramSize & 0xFFF) != 0 || ramSize == 0 || (romCapacity & 0xFFF) != 0)
            throw new ArgumentException("RAM base and size, and the ROM capacity, must be multiples of 4 KiB (RAM non-zero)");
        RamBase = ramBase;
        RamSize = ramSize;
        checked { _ = (int)ramSize; } // the Ram span's length is an int
        CodeSpaceSize = ramSize + romCapacity;
        _pageFlags = new byte[CodeSpaceSize >> PageShift];
        _written = new byte[_pageFlags.Length];
        _pageFlags.AsSpan().Fill(PageTracked); // every page's first write is recorded (it may no longer be zero)
        _ram = (byte*)NativeMemory.AllocZeroed((nuint)CodeSpaceSize);
        // The GC hears of RAM only: ROM arrays are untouched (uncommitted) pages unless an image is loaded into them.
        GC.AddMemoryPressure((long)ramSize);
    }

    ~PhysicalBus()
    {
        NativeMemory.Free(_ram);
        GC.RemoveMemoryPressure((long)RamSize);
    }

    /// <summary>The RAM bytes, for checkers and debuggers to read. Writes through this span bypass code-page and snapshot
    /// dirty-page tracking: write with <see cref="Load"/> or <see cref="Fill"/>.</summary>
    public Span<byte> Ram => new(_ram, (int)RamSize);

    /// <summary>A mapped device, its name in guest-error reports and the access sizes it implements (read once, at <see cref="Map"/>).</summary>
    private sealed record MmioRegion(ulong Base, ulong Size, IMmioDevice Device, string Name, int MinSize, int MaxSize);

    /// <param name="name">The device's name in guest-error reports (default: its type's name).</param>
    public void Map(ulong baseAddress, ulong size, IMmioDevice device, string? name = null)
    {
        foreach (var r in _mmio)
            if (baseAddress < r.Base + r.Size && r.Base < baseAddress + size)
                throw new ArgumentException($"MMIO region 0x{baseAddress:X} overlaps 0x{r.Base:X}");
        var sizes = device.AccessSizes;
        _mmio.Add(new MmioRegion(baseAddress, size, device, name ?? device.GetType().Name, sizes.Min, sizes.Max));
    }

    /// <summary>
    /// Maps a ROM device at <paramref name="baseAddress"/>: its MMIO interface for data accesses and an array of
    /// <paramref name="size"/> bytes in the code space, given to it through <see cref="IRomDevice.Attach"/>.
    /// </summary>
    public void MapRom(ulong baseAddress, ulong size, IRomDevice device, string? name = null)
    {
        if ((baseAddress & 0xFFF) != 0 || (size & 0xFFF) != 0 || size == 0 || size > int.MaxValue)
            throw new ArgumentException("a ROM region must be a non-empty multiple of 4 KiB, page-aligned, below 2 GiB");
        if ((ulong)_romUsed + size > CodeSpaceSize - RamSize)
            throw new ArgumentException($"ROM region 0x{baseAddress:X} (0x{size:X} bytes) exceeds the bus's ROM capacity");
        Map(baseAddress, size, device, name);
        var storage = new RomStorage(this, (long)RamSize + _romUsed, (int)size);
        _romUsed += (long)size;
        _roms.Add((baseAddress, size, storage, device));
        device.Attach(storage);
    }

    /// <summary>
    /// The code-space offset of the 4 KiB page at <paramref name="paPage"/> for instruction fetch: RAM, or the array
    /// of a ROM device in array mode; -1 for anything else (the CPU takes an external abort).
    /// </summary>
    public long FetchOffset(ulong paPage)
    {
        long off = RamOffset(paPage, 4096);
        if (off >= 0) return off;
        foreach (var r in _roms)
            if (paPage - r.Base < r.Size)
                return r.Device.ArrayMode ? r.Storage.Offset + (long)(paPage - r.Base) : -1;
        return -1;
    }

    /// <summary>The physical address of a code-space offset (<see cref="FetchOffset"/>'s inverse): RAM, or a ROM device's array.</summary>
    public ulong CodeSpaceAddress(long offset)
    {
        if ((ulong)offset < RamSize) return RamBase + (ulong)offset;
        foreach (var r in _roms)
            if ((ulong)(offset - r.Storage.Offset) < (ulong)r.Storage.Size) return r.Base + (ulong)(offset - r.Storage.Offset);
        throw new ArgumentOutOfRangeException(nameof(offset), $"code-space offset 0x{offset:X} is neither RAM nor a mapped ROM array");
    }

    /// <summary>
    /// Copies memory without touching any device: from RAM, or from a ROM device's array while it is in array mode
    /// (what a fetch would see). False when the range is anything else or is not within one of them. For firmware
    /// services that read guest memory as a debugger would (semihosting parameter blocks and strings).
    /// </summary>
    public bool TryReadMemory(ulong pa, Span<byte> destination)
    {
        if (destination.Length == 0) return true;
        long off = RamOffset(pa, destination.Length);
        if (off < 0)
        {
            foreach (var r in _roms)
                if (pa - r.Base < r.Size && pa - r.Base + (ulong)destination.Length <= r.Size && r.Device.ArrayMode)
                    off = r.Storage.Offset + (long)(pa - r.Base);
            if (off < 0) return false;
        }
        CodeSpace(off, destination.Length).CopyTo(destination);
        return true;
    }

    internal Span<byte> CodeSpace(long offset, int length)
    {
        if (offset < 0 || length < 0 || (ulong)offset + (ulong)length > CodeSpaceSize) OutsideRam(offset, length);
        return new Span<byte>(_ram + offset, length);
    }

    internal void CodeSpaceWritten(long offset, int length)
    {
        if (length > 0) PageWritten(offset, length);
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

    /// <summary>The host address of RAM at <paramref name="offset"/>, <paramref name="size"/> bytes of it checked inside
    /// RAM: translated code reads and writes through it (RAM never moves while the bus lives).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte* RamPointer(long offset, int size) => _ram + CheckedOffset(offset, size);

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
        // A write that lands in a page (or straddles into one) holding decoded code drops it; the first write to a
        // page since the last snapshot records it as dirty.
        if ((_pageFlags[offset >> PageShift] | _pageFlags[(offset + size - 1) >> PageShift]) != 0)
            PageWritten(offset, size);
    }

    /// <summary>The slow path of a write to pages with flags: decoded code is dropped, a tracked page becomes dirty.</summary>
    private void PageWritten(long offset, int size)
    {
        for (long page = offset >> PageShift; page <= (offset + size - 1) >> PageShift; page++)
        {
            byte f = _pageFlags[page];
            if (f == 0) continue;
            _pageFlags[page] = 0;
            if ((f & PageTracked) != 0) PageDirtied((int)page);
            if ((f & PageCode) != 0) CodePageWritten?.Invoke((ulong)page);
        }
    }

    /// <summary>Marks a code-space page (RAM or ROM array) as holding decoded instructions, so that a write to it is reported.</summary>
    public void MarkCodePage(ulong page) => _pageFlags[page] |= PageCode;

    /// <summary>Whether a write to the RAM page holding <paramref name="offset"/> would be recorded (dirty tracking) or
    /// drop decoded code: a write elsewhere changes nothing but the bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool WriteTracked(long offset) => _pageFlags[offset >> PageShift] != 0;

    /// <summary>A physical read of any kind (RAM or MMIO). False = external abort.</summary>
    public bool Read(ulong pa, int size, out ulong value)
    {
        long off = RamOffset(pa, size);
        if (off >= 0) { value = ReadRam(off, size); return true; }
        foreach (var r in _mmio)
            if (pa - r.Base < r.Size && pa - r.Base + (ulong)size <= r.Size)
                return DeviceRead(r, pa - r.Base, size, out value);
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
                return DeviceWrite(r, pa - r.Base, size, value);
        return false;
    }

    private static ulong SizeMask(int size) => size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1;

    /// <summary>
    /// A read fitted to the device's access sizes, as QEMU's access_with_adjusted_size: accesses of
    /// clamp(size, min, max) bytes at offset, offset + n, ... (little-endian: the lower address is the low bytes),
    /// each answer cut to its n bytes; the result cut to <paramref name="size"/> (a widened read's extra bytes are
    /// dropped). Every part is made even when one aborts; the access aborts if any did. A part no register answers
    /// is reported to <see cref="GuestErrors"/>.
    /// </summary>
    private bool DeviceRead(MmioRegion r, ulong offset, int size, out ulong value)
    {
        int n = Math.Clamp(size, r.MinSize, r.MaxSize);
        bool ok = true;
        value = 0;
        for (int i = 0; i < size; i += n)
        {
            var status = r.Device.Read(offset + (ulong)i, n, out ulong part);
            if (status != MmioStatus.Ok) ok &= Unanswered(status, r, offset + (ulong)i, n, write: false);
            value |= (part & SizeMask(n)) << (8 * i);
        }
        value &= SizeMask(size);
        return ok;
    }

    /// <summary>A write fitted to the device's access sizes (see <see cref="DeviceRead"/>); each part gets only its bytes.</summary>
    private bool DeviceWrite(MmioRegion r, ulong offset, int size, ulong value)
    {
        int n = Math.Clamp(size, r.MinSize, r.MaxSize);
        value &= SizeMask(size);
        bool ok = true;
        for (int i = 0; i < size; i += n)
        {
            var status = r.Device.Write(offset + (ulong)i, n, (value >> (8 * i)) & SizeMask(n));
            if (status != MmioStatus.Ok) ok &= Unanswered(status, r, offset + (ulong)i, n, write: true);
        }
        return ok;
    }

    /// <summary>A part that is not <see cref="MmioStatus.Ok"/>: false for an abort; an unimplemented offset is reported.</summary>
    private bool Unanswered(MmioStatus status, MmioRegion r, ulong offset, int size, bool write)
    {
        if (status == MmioStatus.Abort) return false;
        GuestErrors?.Report(new GuestError(r.Name, r.Base + offset, offset, size, write, ProgramCounter?.Invoke() ?? 0));
        return true;
    }

    /// <summary>Copies bytes into RAM (loaders). Returns false when the range is not entirely RAM.</summary>
    public bool Load(ulong pa, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return IsRam(pa, 1) || pa == RamBase + RamSize;
        if (!IsRam(pa, bytes.Length)) return false;
        long off = (long)(pa - RamBase);
        bytes.CopyTo(Ram[(int)off..]);
        PageWritten(off, bytes.Length);
        return true;
    }

    /// <summary>Fills RAM with a byte (tracked as <see cref="Load"/>). Returns false when the range is not entirely RAM.</summary>
    public bool Fill(ulong pa, int length, byte value)
    {
        if (length == 0) return true;
        if (length < 0 || !IsRam(pa, length)) return false;
        long off = (long)(pa - RamBase);
        Ram.Slice((int)off, length).Fill(value);
        PageWritten(off, length);
        return true;
    }

    /// <summary>Little-endian 32-bit instruction word at a code-space offset (<see cref="FetchOffset"/>).</summary>
    public uint FetchWord(long offset) => BinaryPrimitives.ReadUInt32LittleEndian(CodeSpace(offset, 4));
}
