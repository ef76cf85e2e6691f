using Aegis.Emulator.Mmu.Snapshots;

namespace Aegis.Emulator.Mmu;

/// <summary>
/// The contents of the bus's code space (RAM, then the ROM devices' arrays) at one moment, page by page: a page never
/// written, or all zeros, is absent. Pages are immutable once taken, so successive images share the pages that did not
/// change between them (copy-on-write at page granularity).
/// </summary>
public sealed class MemoryImage
{
    internal readonly byte[]?[] Pages;

    public ulong RamSize { get; }
    public ulong CodeSpaceSize { get; }

    internal MemoryImage(byte[]?[] pages, ulong ramSize, ulong codeSpaceSize)
    {
        Pages = pages;
        RamSize = ramSize;
        CodeSpaceSize = codeSpaceSize;
    }

    /// <summary>An image of <paramref name="codeSpaceSize"/> bytes with the given non-zero pages (a snapshot file's).</summary>
    public static MemoryImage FromPages(ulong ramSize, ulong codeSpaceSize, IEnumerable<(int Page, byte[] Bytes)> pages)
    {
        var table = new byte[]?[codeSpaceSize >> PhysicalBus.PageShift];
        foreach (var (page, bytes) in pages)
        {
            if ((uint)page >= (uint)table.Length) throw new SnapshotException($"memory page {page} is outside the code space ({table.Length} pages)");
            if (bytes.Length != 1 << PhysicalBus.PageShift) throw new SnapshotException($"memory page {page} is {bytes.Length} bytes");
            table[page] = bytes;
        }
        return new MemoryImage(table, ramSize, codeSpaceSize);
    }

    /// <summary>The pages that are not all zeros, by code-space page index.</summary>
    public IEnumerable<(int Page, byte[] Bytes)> StoredPages()
    {
        for (int i = 0; i < Pages.Length; i++)
            if (Pages[i] is { } p) yield return (i, p);
    }

    public int StoredPageCount => Pages.Count(p => p is not null);
}

/// <summary>
/// Dirty-page tracking for snapshots. Every page starts tracked (<see cref="PageTracked"/>); the first write to a tracked
/// page, by the CPU's RAM fast path, a slow-path access, a loader or a ROM device, clears the flag and records the page
/// as dirty (<see cref="PageDirtied"/>): the fast path's one test of the page flags covers it, so it costs the hot path
/// nothing. Taking an image copies only the dirty pages (the others are shared with the previous image); restoring the
/// image taken or restored last copies back only the pages dirtied since.
/// </summary>
public sealed partial class PhysicalBus
{
    /// <summary>Per page: 1 once it has ever been written (a page never written is zero).</summary>
    private readonly byte[] _written;
    /// <summary>Pages written since <see cref="_baseline"/> (each once: its tracked flag is clear until the next image).</summary>
    private readonly List<int> _dirty = new();
    /// <summary>The image the code space equals, except for <see cref="_dirty"/>; null before the first.</summary>
    private MemoryImage? _baseline;

    private void PageDirtied(int page)
    {
        _written[page] = 1;
        _dirty.Add(page);
    }

    /// <summary>Pages written since the last image was taken or restored.</summary>
    public int DirtyPageCount => _dirty.Count;

    /// <summary>The code space now. Costs a copy of each page written since the last image (none for an idle machine).</summary>
    public MemoryImage TakeImage()
    {
        var pages = new byte[]?[_pageFlags.Length];
        var basePages = _baseline?.Pages;
        for (int p = 0; p < pages.Length; p++)
        {
            if (_written[p] == 0) continue;
            if (basePages is not null && (_pageFlags[p] & PageTracked) != 0) { pages[p] = basePages[p]; continue; }
            var bytes = CodeSpace((long)p << PageShift, 1 << PageShift);
            if (bytes.IndexOfAnyExcept((byte)0) >= 0) pages[p] = bytes.ToArray();
        }
        var image = new MemoryImage(pages, RamSize, CodeSpaceSize);
        Rebaseline(image);
        return image;
    }

    /// <summary>
    /// Makes the code space equal <paramref name="image"/>. For the image taken or restored last, copies back only the
    /// pages written since; for another, every page where the two differ (each page ever written or stored in it).
    /// Decoded instructions of a copied page are dropped as by any write.
    /// </summary>
    public void RestoreImage(MemoryImage image)
    {
        if (image.RamSize != RamSize || image.CodeSpaceSize != CodeSpaceSize)
            throw new SnapshotException($"the memory image is of {image.RamSize >> 20} MiB of RAM ({image.CodeSpaceSize} bytes of code space), this bus has {RamSize >> 20} MiB ({CodeSpaceSize})");
        if (ReferenceEquals(image, _baseline))
        {
            foreach (int p in _dirty) CopyPage(p, image.Pages[p]);
        }
        else
        {
            var basePages = _baseline?.Pages;
            for (int p = 0; p < _pageFlags.Length; p++)
            {
                var want = image.Pages[p];
                if (want is null && _written[p] == 0) continue;
                // Unchanged since the baseline, which holds this very page: already equal.
                if (basePages is not null && (_pageFlags[p] & PageTracked) != 0 && ReferenceEquals(basePages[p], want)) continue;
                CopyPage(p, want);
                if (want is not null) _written[p] = 1;
            }
            for (int p = 0; p < _pageFlags.Length; p++) _pageFlags[p] |= PageTracked;
        }
        Rebaseline(image);
    }

    private void CopyPage(int page, byte[]? bytes)
    {
        var dst = CodeSpace((long)page << PageShift, 1 << PageShift);
        if (bytes is null) dst.Clear(); else bytes.CopyTo(dst);
        byte f = _pageFlags[page];
        _pageFlags[page] = (byte)(f & ~PageCode);
        if ((f & PageCode) != 0) CodePageWritten?.Invoke((ulong)page);
    }

    private void Rebaseline(MemoryImage image)
    {
        foreach (int p in _dirty) _pageFlags[p] |= PageTracked;
        _dirty.Clear();
        _baseline = image;
    }
}
