namespace Aegis.Emu.Coverage;

/// <summary>
/// The object-code coverage of one image: for each of its instruction words how often it retired and, for a conditional
/// branch, how often it was taken, summed over every recorder added. Its projection on the source is
/// <see cref="AddTo"/> (an lcov tracefile); what the source cannot show is <see cref="NeverExecuted"/> and
/// <see cref="OneWayBranches"/>, by address.
/// </summary>
public sealed class ImageCoverage(CodeImage image)
{
    public CodeImage Image { get; } = image;
    private readonly ulong[] _hits = new ulong[image.Words.Count];
    private readonly ulong[] _taken = new ulong[image.Words.Count];

    /// <summary>A run of consecutive never-executed code words [Start, End).</summary>
    public readonly record struct Gap(ulong Start, ulong End, string Where, string Lines)
    {
        public int Instructions => (int)((End - Start) / 4);
    }

    /// <summary>A conditional branch seen going one way only.</summary>
    public readonly record struct OneWay(ulong Address, string Where, string Line, bool TakenOnly);

    public void Add(CoverageRecorder r)
    {
        for (int i = 0; i < _hits.Length; i++)
        {
            ulong a = Image.Words[i].Address;
            _hits[i] += r.Hits(a);
            _taken[i] += r.Taken(a);
        }
    }

    public int WordsExecuted => _hits.Count(h => h != 0);
    public int BranchesFound => Image.Words.Count(w => ConditionalBranch.Is(w.Raw));
    /// <summary>Conditional branches seen both taken and not taken.</summary>
    public int BranchesBothWays => Enumerable.Range(0, _hits.Length).Count(i => ConditionalBranch.Is(Image.Words[i].Raw) && _taken[i] != 0 && _taken[i] != _hits[i]);

    /// <summary>
    /// Adds this image's counts to <paramref name="t"/>: a line's count is the highest of its instructions' (a line
    /// with any executed instruction is executed), a function's is its entry instruction's, and each conditional
    /// branch gives two BRDA records. Words the line table does not cover, or gives line 0, have no line.
    /// </summary>
    public void AddTo(Tracefile t)
    {
        var blocks = new Dictionary<(string, int), int>();
        var lineMax = new Dictionary<(string File, int Line), ulong>();
        for (int i = 0; i < _hits.Length; i++)
        {
            var w = Image.Words[i];
            if (w.Line is not { Line: > 0 } row) continue;
            var key = (row.File, row.Line);
            lineMax[key] = Math.Max(lineMax.GetValueOrDefault(key), _hits[i]);
            if (!ConditionalBranch.Is(w.Raw)) continue;
            int block = blocks.GetValueOrDefault(key);
            blocks[key] = block + 1;
            var file = t.File(Image.SourcePath(row.File));
            file.AddBranch(row.Line, block, 0, _hits[i] == 0 ? null : _taken[i]);
            file.AddBranch(row.Line, block, 1, _hits[i] == 0 ? null : _hits[i] - _taken[i]);
        }
        foreach (var ((path, line), count) in lineMax)
            t.File(Image.SourcePath(path)).AddLine(line, count);
        foreach (var f in Image.Functions)
        {
            int i = IndexOf(f.Address);
            if (i < 0 || Image.Words[i].Line is not { Line: > 0 } row) continue;
            t.File(Image.SourcePath(row.File)).AddFunction(f.Name, row.Line, _hits[i]);
        }
    }

    /// <summary>
    /// Adds to <paramref name="owners"/> the function whose code holds each source line (the first found; for a line
    /// inlined into several functions, the lowest address's): object code names the functions of inlined lines, which
    /// a tracefile's FN records cannot.
    /// </summary>
    public void AddLineOwners(Dictionary<(string Path, int Line), string> owners)
    {
        foreach (var w in Image.Words)
            if (w.Line is { Line: > 0 } row && Image.FunctionAt(w.Address) is { } f)
                owners.TryAdd((Image.SourcePath(row.File), row.Line), f.Name);
    }

    /// <summary>
    /// The never-executed runs of code words, in address order. A run that is only alignment padding (NOP or the
    /// zero word between functions and vector slots) is left out: no instruction of the program is there.
    /// </summary>
    public IEnumerable<Gap> NeverExecuted()
    {
        for (int i = 0; i < _hits.Length;)
        {
            if (_hits[i] != 0) { i++; continue; }
            int start = i;
            while (i < _hits.Length && _hits[i] == 0 && (i == start || Image.Words[i].Address == Image.Words[i - 1].Address + 4)) i++;
            bool padding = true;
            for (int k = start; k < i && padding; k++) padding = Image.Words[k].Raw is 0xD503201F or 0;
            if (padding) continue;
            var first = Image.Words[start];
            yield return new Gap(first.Address, Image.Words[i - 1].Address + 4, Describe(first.Address), LineRange(start, i));
        }
    }

    /// <summary>The conditional branches that executed but went one way only, in address order.</summary>
    public IEnumerable<OneWay> OneWayBranches()
    {
        for (int i = 0; i < _hits.Length; i++)
        {
            var w = Image.Words[i];
            if (!ConditionalBranch.Is(w.Raw) || _hits[i] == 0 || (_taken[i] != 0 && _taken[i] != _hits[i])) continue;
            yield return new OneWay(w.Address, Describe(w.Address), LineRange(i, i + 1), _taken[i] != 0);
        }
    }

    private string Describe(ulong address) =>
        Image.FunctionAt(address) is { } f ? (address == f.Address ? f.Name : $"{f.Name}+0x{address - f.Address:x}") : $"0x{address:x}";

    /// <summary>"src/ipc.c:120-122" for the words [from, to), "" when none has a line.</summary>
    private string LineRange(int from, int to)
    {
        var rows = Enumerable.Range(from, to - from).Select(k => Image.Words[k].Line).OfType<Debugging.LineRow>().Where(r => r.Line > 0).ToList();
        if (rows.Count == 0) return "";
        string file = rows[0].File;
        int lo = rows.Where(r => r.File == file).Min(r => r.Line), hi = rows.Where(r => r.File == file).Max(r => r.Line);
        return lo == hi ? $"{file}:{lo}" : $"{file}:{lo}-{hi}";
    }

    private int IndexOf(ulong address)
    {
        int lo = 0, hi = Image.Words.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            ulong a = Image.Words[mid].Address;
            if (a == address) return mid;
            if (a < address) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }
}
