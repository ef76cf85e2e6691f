using System.Globalization;

namespace Aegis.Emu.Coverage;

/// <summary>
/// The plain-text coverage summary: totals, then per source file its figures and, by function, the lines never
/// executed, the functions never entered and the branches seen one way only; with object code at hand (a run, not a
/// merge of tracefiles), per image the never-executed address ranges and the one-way branches by address.
/// </summary>
public static class CoverageSummary
{
    public static string Headline(Tracefile t) =>
        $"lines {Ratio(t.LinesHit, t.LinesFound)}, functions {Ratio(t.FunctionsHit, t.FunctionsFound)}, branches {Ratio(t.BranchesHit, t.BranchesFound)}";

    public static string Ratio(int hit, int found) =>
        string.Create(CultureInfo.InvariantCulture, $"{hit}/{found} ({(found == 0 ? 100.0 : 100.0 * hit / found):F2}%)");

    public static void Write(TextWriter w, Tracefile t, IReadOnlyList<ImageCoverage>? images = null)
    {
        var owners = new Dictionary<(string Path, int Line), string>();
        foreach (var image in images ?? []) image.AddLineOwners(owners);
        w.WriteLine("# aegis-emu coverage: branch 0 of a BRDA record is 'taken', branch 1 'not taken'");
        w.WriteLine($"total: {Headline(t)}");
        foreach (var f in t.Files.Values)
        {
            w.WriteLine();
            w.WriteLine($"{f.Path}: lines {Ratio(f.LinesHit, f.Lines.Count)}, functions {Ratio(f.FunctionsHit, f.Functions.Count)}, branches {Ratio(f.BranchesHit, f.Branches.Count)}");
            var starts = f.Functions.Select(p => (p.Value.Line, Name: p.Key)).OrderBy(p => p.Line).ToList();
            string FunctionOf(int line)
            {
                if (owners.TryGetValue((f.Path, line), out var owner)) return owner;
                string name = "(file scope)";
                foreach (var s in starts) if (s.Line <= line) name = s.Name; else break;
                return name;
            }
            foreach (var (name, (line, count)) in f.Functions.Where(p => p.Value.Count == 0).OrderBy(p => p.Value.Line))
                w.WriteLine($"  {name}: never called (line {line})");
            foreach (var group in f.Lines.Where(l => l.Value == 0).GroupBy(l => FunctionOf(l.Key)))
                w.WriteLine($"  {group.Key}: never executed: lines {Ranges(group.Select(l => l.Key), f.Lines.Keys)}");
            var oneWay = f.Branches.GroupBy(b => (b.Key.Line, b.Key.Block))
                .Where(g => g.All(b => b.Value is not null) && g.Count(b => b.Value != 0) == 1)
                .Select(g => (g.Key.Line, g.Key.Block, Taken: g.Single(b => b.Value != 0).Key.Branch == 0));
            foreach (var group in oneWay.GroupBy(b => FunctionOf(b.Line)))
                w.WriteLine($"  {group.Key}: one-way branches: {string.Join(", ", group.Select(b => $"line {b.Line}{(b.Block > 0 ? $"#{b.Block}" : "")} ({(b.Taken ? "taken only" : "not taken only")})"))}");
        }
        foreach (var image in images ?? [])
        {
            w.WriteLine();
            w.WriteLine($"object code of {image.Image.Name}: instructions {Ratio(image.WordsExecuted, image.Image.Words.Count)}, " +
                $"conditional branches taken both ways {Ratio(image.BranchesBothWays, image.BranchesFound)}");
            foreach (var g in image.NeverExecuted())
                w.WriteLine($"  never executed 0x{g.Start:x}-0x{g.End - 1:x} {g.Where} ({g.Instructions} instructions) {g.Lines}".TrimEnd());
            foreach (var b in image.OneWayBranches())
                w.WriteLine($"  one-way branch 0x{b.Address:x} {b.Where} ({(b.TakenOnly ? "taken only" : "not taken only")}) {b.Line}".TrimEnd());
        }
    }

    /// <summary>"12-14, 20": consecutive instrumented lines of <paramref name="lines"/> joined into ranges.</summary>
    private static string Ranges(IEnumerable<int> lines, IEnumerable<int> instrumented)
    {
        var all = instrumented.ToList();
        var set = lines.ToHashSet();
        var parts = new List<string>();
        for (int i = 0; i < all.Count; i++)
        {
            if (!set.Contains(all[i])) continue;
            int j = i;
            while (j + 1 < all.Count && set.Contains(all[j + 1])) j++;
            parts.Add(i == j ? $"{all[i]}" : $"{all[i]}-{all[j]}");
            i = j;
        }
        return string.Join(", ", parts);
    }
}
