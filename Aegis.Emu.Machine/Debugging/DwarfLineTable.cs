using System.Buffers.Binary;
using LibObjectFile.Dwarf;

namespace Aegis.Emu.Debugging;

/// <summary>One row of the line-number matrix: an address and the source position it starts.</summary>
public readonly record struct LineRow(ulong Address, string File, int Line, bool EndSequence);

/// <summary>
/// The address-to-line map of an ELF's .debug_line (DWARF 2-4 line-number programs, DWARF 4 spec section 6.2), decoded by
/// LibObjectFile (see <see cref="Parse"/>).
/// File paths are as the compiler recorded them, joined to their include directory; with
/// -fdebug-compilation-dir=. they are relative to the build directory (Kernel.Image/ or samples/).
/// A malformed unit is skipped (the other units' rows stay): the debugger must not fail on bad input.
/// </summary>
public sealed class DwarfLineTable
{
    private readonly LineRow[] _rows;

    public IReadOnlyList<LineRow> Rows => _rows;

    private DwarfLineTable(List<LineRow> rows)
    {
        // Sequence ends sort before rows starting at the same address (the next sequence's first row).
        _rows = [.. rows.Select((r, i) => (r, i)).OrderBy(p => p.r.Address).ThenBy(p => p.r.EndSequence ? 0 : 1).ThenBy(p => p.i).Select(p => p.r)];
    }

    public static DwarfLineTable Empty { get; } = new([]);

    /// <summary>The table of an ELF file; empty when it has no .debug_line.</summary>
    public static DwarfLineTable FromElf(byte[] elf)
    {
        var section = ElfSections.Find(elf, ".debug_line");
        return section is null ? Empty : Parse(section);
    }

    /// <summary>The row in effect at <paramref name="address"/>, or null when no sequence covers it.</summary>
    public LineRow? Lookup(ulong address)
    {
        int lo = 0, hi = _rows.Length - 1, best = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (_rows[mid].Address <= address) { best = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (best < 0 || _rows[best].EndSequence) return null;
        return _rows[best];
    }

    /// <summary>The lowest address whose row starts <paramref name="file"/>:<paramref name="line"/> (file matched by suffix).</summary>
    public ulong? AddressOf(string file, int line)
    {
        foreach (var r in _rows)
            if (!r.EndSequence && r.Line == line && (r.File == file || r.File.EndsWith("/" + file, StringComparison.Ordinal)))
                return r.Address;
        return null;
    }

    /// <summary>
    /// The rows of every DWARF 2-4 unit of a .debug_line section, decoded by LibObjectFile (<see cref="DwarfFile"/>).
    /// The section is given to it one unit at a time: LibObjectFile 2.3.1 refuses a whole section that holds a DWARF 5
    /// unit ("Version .debug_line 5 not supported"; clang-14's default, though our images are built with -gdwarf-4) and
    /// keeps nothing of a section with one malformed unit, where a debugger should still use the units it can read.
    /// So a DWARF 5 unit or a malformed one is skipped, and a unit length that overruns the section ends the reading.
    /// It never throws: the library's exceptions on malformed input are caught here.
    /// </summary>
    public static DwarfLineTable Parse(byte[] data)
    {
        var rows = new List<LineRow>();
        int pos = 0;
        while (data.Length - pos >= 6)
        {
            // unit_length (4 bytes, or 0xFFFFFFFF and 8 bytes in the 64-bit format), then the version (2 bytes).
            ulong length = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos));
            int header = 4;
            if (length == 0xFFFF_FFFF)
            {
                if (data.Length - pos < 14) break;
                length = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(pos + 4));
                header = 12;
            }
            if (length < 2 || length > (ulong)(data.Length - pos - header)) break;
            int size = header + (int)length;
            int version = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(pos + header));
            if (version is >= 2 and <= 4) ReadUnit(new MemoryStream(data, pos, size, writable: false), rows);
            pos += size;
        }
        return new DwarfLineTable(rows);
    }

    /// <summary>One unit's rows, each sequence ending with its end_sequence row; nothing when LibObjectFile cannot read it.</summary>
    private static void ReadUnit(MemoryStream unit, List<LineRow> rows)
    {
        DwarfFile dwarf;
        try { dwarf = DwarfFile.Read(new DwarfReaderContext { IsLittleEndian = true, AddressSize = DwarfAddressSize.Bit64, DebugLineStream = unit }); }
        catch (Exception e) when (e is not OutOfMemoryException) { return; }
        foreach (var table in dwarf.LineSection.LineTables)
            foreach (var sequence in table.LineSequences)
            {
                var lines = sequence.Lines;
                for (int i = 0; i < lines.Count; i++)
                    rows.Add(new LineRow(lines[i].Address, PathOf(lines[i].File), (int)lines[i].Line, EndSequence: i == lines.Count - 1));
            }
    }

    /// <summary>The file as the compiler recorded it, joined to its include directory (none, or ".", leaves it alone).</summary>
    private static string PathOf(DwarfFileName? file)
    {
        if (file is null) return "?";
        string dir = file.Directory ?? "";
        return file.Name.StartsWith('/') || dir.Length == 0 || dir == "." ? file.Name : dir.TrimEnd('/') + "/" + file.Name;
    }
}
