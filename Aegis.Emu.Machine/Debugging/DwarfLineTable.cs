using System.Text;

namespace Aegis.Emu.Debugging;

/// <summary>One row of the line-number matrix: an address and the source position it starts.</summary>
public readonly record struct LineRow(ulong Address, string File, int Line, bool EndSequence);

/// <summary>
/// The address-to-line map of an ELF's .debug_line (DWARF 2-4 line-number programs, DWARF 4 spec section 6.2).
/// File paths are as the compiler recorded them, joined to their include directory; with
/// -fdebug-compilation-dir=. they are relative to the build directory (Kernel.Image/ or samples/).
/// A malformed unit ends the reading (the rows read so far stay): the debugger must not fail on bad input.
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

    public static DwarfLineTable Parse(byte[] data)
    {
        var rows = new List<LineRow>();
        int pos = 0;
        try
        {
            while (pos + 4 <= data.Length)
                pos = ParseUnit(data, pos, rows);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidDataException or OverflowException)
        {
            // Keep what was read.
        }
        return new DwarfLineTable(rows);
    }

    /// <summary>Runs one unit's line program; returns the offset of the next unit.</summary>
    private static int ParseUnit(byte[] d, int pos, List<LineRow> rows)
    {
        var r = new Reader(d, pos);
        ulong unitLength = r.U32();
        bool dwarf64 = unitLength == 0xFFFF_FFFF;
        if (dwarf64) unitLength = r.U64();
        if (unitLength > (ulong)(d.Length - r.Pos)) throw new InvalidDataException("line unit overruns .debug_line");
        int end = r.Pos + (int)unitLength;
        int version = r.U16();
        if (version < 2 || version > 4) return end; // DWARF 5 tables are not read
        ulong headerLength = dwarf64 ? r.U64() : r.U32();
        int programStart = checked(r.Pos + (int)headerLength);
        int minInstLength = r.U8();
        if (version >= 4) r.U8(); // maximum_operations_per_instruction (1 on AArch64)
        bool defaultIsStmt = r.U8() != 0;
        int lineBase = (sbyte)r.U8();
        int lineRange = r.U8();
        int opcodeBase = r.U8();
        if (lineRange == 0) throw new InvalidDataException("line_range 0");
        var opLengths = new int[opcodeBase];
        for (int i = 1; i < opcodeBase; i++) opLengths[i] = r.U8();
        var dirs = new List<string> { "." };
        for (string s; (s = r.CString()).Length > 0;) dirs.Add(s);
        var files = new List<string> { "" };
        for (string s; (s = r.CString()).Length > 0;)
        {
            ulong dir = r.Uleb(); r.Uleb(); r.Uleb();
            files.Add(Join(dirs, dir, s));
        }
        r.Pos = programStart;

        ulong address = 0; int file = 1, line = 1;
        void Emit(bool endSeq) => rows.Add(new LineRow(address, file < files.Count ? files[file] : "?", line, endSeq));
        void Reset() { address = 0; file = 1; line = 1; }
        _ = defaultIsStmt;
        while (r.Pos < end)
        {
            int op = r.U8();
            if (op >= opcodeBase)
            {
                int adj = op - opcodeBase;
                address += (ulong)(adj / lineRange * minInstLength);
                line += lineBase + adj % lineRange;
                Emit(false);
                continue;
            }
            switch (op)
            {
                case 0:
                    {
                        int len = checked((int)r.Uleb());
                        int next = r.Pos + len;
                        int sub = len > 0 ? r.U8() : 0;
                        if (sub == 1) { Emit(true); Reset(); }
                        else if (sub == 2) address = r.U64();
                        else if (sub == 3)
                        {
                            string name = r.CString();
                            ulong dir = r.Uleb();
                            files.Add(Join(dirs, dir, name));
                        }
                        r.Pos = next;
                        break;
                    }
                case 1: Emit(false); break;
                case 2: address += r.Uleb() * (ulong)minInstLength; break;
                case 3: line += (int)r.Sleb(); break;
                case 4: file = (int)r.Uleb(); break;
                case 5: r.Uleb(); break;
                case 6: case 7: case 10: case 11: break;
                case 8: address += (ulong)((255 - opcodeBase) / lineRange * minInstLength); break;
                case 9: address += (ulong)r.U16(); break;
                default:
                    for (int i = 0; i < opLengths[op]; i++) r.Uleb();
                    break;
            }
        }
        return end;
    }

    private static string Join(List<string> dirs, ulong dir, string name)
    {
        if (name.StartsWith('/') || dir == 0 || dir >= (ulong)dirs.Count) return name;
        string d = dirs[(int)dir];
        return d == "." ? name : d.TrimEnd('/') + "/" + name;
    }

    private sealed class Reader(byte[] d, int pos)
    {
        public int Pos = pos;
        public int U8() => d[Pos++];
        public int U16() { int v = d[Pos] | d[Pos + 1] << 8; Pos += 2; return v; }
        public uint U32() { uint v = BitConverter.ToUInt32(d, Pos); Pos += 4; return v; }
        public ulong U64() { ulong v = BitConverter.ToUInt64(d, Pos); Pos += 8; return v; }
        public string CString()
        {
            int end = Array.IndexOf(d, (byte)0, Pos);
            if (end < 0) throw new InvalidDataException("unterminated string");
            string s = Encoding.UTF8.GetString(d, Pos, end - Pos);
            Pos = end + 1;
            return s;
        }
        public ulong Uleb()
        {
            ulong v = 0; int shift = 0;
            while (true)
            {
                byte b = d[Pos++];
                if (shift < 64) v |= (ulong)(b & 0x7F) << shift;
                shift += 7;
                if ((b & 0x80) == 0) return v;
            }
        }
        public long Sleb()
        {
            long v = 0; int shift = 0; byte b;
            do
            {
                b = d[Pos++];
                if (shift < 64) v |= (long)(b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if (shift < 64 && (b & 0x40) != 0) v |= -1L << shift;
            return v;
        }
    }
}
