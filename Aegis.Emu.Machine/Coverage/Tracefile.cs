using System.Globalization;

namespace Aegis.Emu.Coverage;

/// <summary>
/// An lcov tracefile (geninfo(1) "TRACEFILE FORMAT"): per source file the execution count of every instrumented line
/// (DA), of every function (FN, FNDA) and of both directions of every conditional branch (BRDA line,block,branch,taken;
/// taken is "-" when the branch never executed). Aegis.Emu writes branch 0 as "taken" and 1 as "not taken", block n
/// for the n-th conditional branch instruction of the line. Merging adds counts, as `lcov -a` does.
/// </summary>
public sealed class Tracefile
{
    public sealed class SourceFile(string path)
    {
        public string Path { get; } = path;
        public SortedDictionary<int, ulong> Lines { get; } = [];
        /// <summary>Name: (first line, calls).</summary>
        public SortedDictionary<string, (int Line, ulong Count)> Functions { get; } = new(StringComparer.Ordinal);
        /// <summary>(line, block, branch): count, null when the branch instruction never executed ("-").</summary>
        public SortedDictionary<(int Line, int Block, int Branch), ulong?> Branches { get; } = [];

        public int LinesHit => Lines.Count(l => l.Value != 0);
        public int FunctionsHit => Functions.Count(f => f.Value.Count != 0);
        public int BranchesHit => Branches.Count(b => b.Value is > 0);

        public void AddLine(int line, ulong count) => Lines[line] = Lines.GetValueOrDefault(line) + count;

        public void AddFunction(string name, int line, ulong count) =>
            Functions[name] = Functions.TryGetValue(name, out var f) ? (f.Line != 0 ? f.Line : line, f.Count + count) : (line, count);

        public void AddBranch(int line, int block, int branch, ulong? count)
        {
            var key = (line, block, branch);
            Branches[key] = Branches.TryGetValue(key, out var old) && old is { } o ? o + (count ?? 0) : count;
        }
    }

    public SortedDictionary<string, SourceFile> Files { get; } = new(StringComparer.Ordinal);

    public SourceFile File(string path)
    {
        if (!Files.TryGetValue(path, out var f)) Files[path] = f = new SourceFile(path);
        return f;
    }

    /// <summary>Adds every count of <paramref name="other"/> into this one.</summary>
    public void Merge(Tracefile other)
    {
        foreach (var src in other.Files.Values)
        {
            var dst = File(src.Path);
            foreach (var (line, n) in src.Lines) dst.AddLine(line, n);
            foreach (var (name, (line, n)) in src.Functions) dst.AddFunction(name, line, n);
            foreach (var ((line, block, branch), n) in src.Branches) dst.AddBranch(line, block, branch, n);
        }
    }

    /// <summary>Only the files whose path <paramref name="keep"/> accepts.</summary>
    public Tracefile Where(Func<string, bool> keep)
    {
        var t = new Tracefile();
        foreach (var (path, f) in Files)
            if (keep(path)) t.Files[path] = f;
        return t;
    }

    public int LinesFound => Files.Values.Sum(f => f.Lines.Count);
    public int LinesHit => Files.Values.Sum(f => f.LinesHit);
    public int FunctionsFound => Files.Values.Sum(f => f.Functions.Count);
    public int FunctionsHit => Files.Values.Sum(f => f.FunctionsHit);
    public int BranchesFound => Files.Values.Sum(f => f.Branches.Count);
    public int BranchesHit => Files.Values.Sum(f => f.BranchesHit);

    public void Write(TextWriter w, string testName = "")
    {
        foreach (var f in Files.Values)
        {
            w.WriteLine($"TN:{testName}");
            w.WriteLine($"SF:{f.Path}");
            foreach (var (name, (line, _)) in f.Functions.OrderBy(p => p.Value.Line).ThenBy(p => p.Key, StringComparer.Ordinal))
                w.WriteLine(Inv($"FN:{line},{name}"));
            foreach (var (name, (_, count)) in f.Functions.OrderBy(p => p.Value.Line).ThenBy(p => p.Key, StringComparer.Ordinal))
                w.WriteLine(Inv($"FNDA:{count},{name}"));
            w.WriteLine(Inv($"FNF:{f.Functions.Count}"));
            w.WriteLine(Inv($"FNH:{f.FunctionsHit}"));
            foreach (var ((line, block, branch), count) in f.Branches)
                w.WriteLine(Inv($"BRDA:{line},{block},{branch},{(count is { } c ? c.ToString(CultureInfo.InvariantCulture) : "-")}"));
            w.WriteLine(Inv($"BRF:{f.Branches.Count}"));
            w.WriteLine(Inv($"BRH:{f.BranchesHit}"));
            foreach (var (line, count) in f.Lines)
                w.WriteLine(Inv($"DA:{line},{count}"));
            w.WriteLine(Inv($"LF:{f.Lines.Count}"));
            w.WriteLine(Inv($"LH:{f.LinesHit}"));
            w.WriteLine("end_of_record");
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a tracefile (ours or another tool's). Summary records (LF, LH, FNF, FNH, BRF, BRH) are recomputed, test
    /// names are ignored, unknown records are skipped as lcov skips them.
    /// </summary>
    /// <exception cref="InvalidDataException">A malformed record: the message names its line.</exception>
    public static Tracefile Parse(TextReader r, string name = "tracefile")
    {
        var t = new Tracefile();
        SourceFile? file = null;
        var functionLines = new Dictionary<string, int>(StringComparer.Ordinal);
        int n = 0;
        for (string? line; (line = r.ReadLine()) is not null;)
        {
            n++;
            line = line.Trim();
            if (line.Length == 0) continue;
            try
            {
                if (line.StartsWith("SF:", StringComparison.Ordinal)) { file = t.File(line[3..]); functionLines.Clear(); continue; }
                if (line == "end_of_record") { file = null; continue; }
                if (file is null) continue; // TN and anything outside a record
                int colon = line.IndexOf(':');
                if (colon < 0) continue;
                string[] f = line[(colon + 1)..].Split(',');
                switch (line[..colon])
                {
                    case "DA": file.AddLine(Int(f[0]), Count(f[1])); break;
                    case "FN": functionLines[f[1]] = Int(f[0]); file.AddFunction(f[1], Int(f[0]), 0); break;
                    case "FNDA": file.AddFunction(f[1], functionLines.GetValueOrDefault(f[1]), Count(f[0])); break;
                    case "BRDA": file.AddBranch(Int(f[0]), Int(f[1]), Int(f[2]), f[3] == "-" ? null : Count(f[3])); break;
                }
            }
            catch (Exception e) when (e is FormatException or OverflowException or IndexOutOfRangeException)
            {
                throw new InvalidDataException($"{name}:{n}: malformed record '{(line.Length > 60 ? line[..60] + "..." : line)}'");
            }
        }
        return t;
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>A count; lcov writes negative counts of broken gcov data as they are, and reads them as 0.</summary>
    private static ulong Count(string s)
    {
        if (!s.StartsWith('-')) return ulong.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
        _ = long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture); // still a number
        return 0;
    }
}
