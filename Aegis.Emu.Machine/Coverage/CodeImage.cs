using System.Buffers.Binary;
using Aegis.Emu.Debugging;
using Aegis.Kernel.Image;

namespace Aegis.Emu.Coverage;

/// <summary>One instruction of an image's code: its address, its encoding and the source line the line table gives it.</summary>
public readonly record struct CodeWord(ulong Address, uint Raw, LineRow? Line);

/// <summary>
/// The code of an ELF as coverage sees it: every instruction word of its executable sections (the AArch64 ELF ABI's
/// mapping symbols "$x" / "$d" tell code from literal data inside them; a section without any is all code), its
/// functions (STT_FUNC symbols with a size) and its DWARF line table. The ELF must be linked at the addresses it runs
/// at, as bare-metal images, AegisOS and its boot-bundle ELFs are.
/// </summary>
public sealed class CodeImage
{
    public string Name { get; }
    /// <summary>Every code word, by address.</summary>
    public IReadOnlyList<CodeWord> Words { get; }
    /// <summary>STT_FUNC symbols with a size, by address (aliases dropped: the first name at an address wins).</summary>
    public IReadOnlyList<KernelSymbol> Functions { get; }
    /// <summary>Directories a relative line-table path is looked up under (the ELF's directory and its parent).</summary>
    public IReadOnlyList<string> SourceRoots { get; }

    public CodeImage(string name, byte[] elf, IReadOnlyList<string>? sourceRoots = null)
    {
        Name = name;
        SourceRoots = sourceRoots ?? [];
        var symbols = KernelSymbols.Parse(elf);
        var lines = DwarfLineTable.FromElf(elf);
        var words = new List<CodeWord>();
        foreach (var section in ElfSections.Executable(elf))
        {
            var marks = symbols.All.Where(s => s.Section == section.Index && IsMappingSymbol(s.Name))
                .OrderBy(s => s.Address).ToList();
            bool code = marks.Count == 0 || marks[0].Address > section.Address; // before any mark: the section's own kind
            int next = 0;
            for (int off = 0; off + 4 <= section.Bytes.Length; off += 4)
            {
                ulong address = section.Address + (ulong)off;
                while (next < marks.Count && marks[next].Address <= address) code = marks[next++].Name[1] == 'x';
                if (code)
                    words.Add(new CodeWord(address, BinaryPrimitives.ReadUInt32LittleEndian(section.Bytes.AsSpan(off)), lines.Lookup(address)));
            }
        }
        Words = [.. words.OrderBy(w => w.Address)];
        Functions = [.. symbols.All.Where(s => s.IsFunction && s.Size != 0).GroupBy(s => s.Address).Select(g => g.First())];
    }

    /// <summary>The image of an ELF file on disk, its sources looked up next to it (Kernel.Image/bin/x.elf: Kernel.Image/).</summary>
    public static CodeImage FromFile(string path) => new(Path.GetFileName(path), File.ReadAllBytes(path), RootsOf(path));

    /// <summary>
    /// A file's directory and its ancestors, nearest first: a line table's relative paths are relative to the build
    /// directory, which holds bin/ (Kernel.Image/bin/aegis.elf) or bin/scenarios/ (Kernel.Image/bin/scenarios/ipc.elf).
    /// </summary>
    public static IReadOnlyList<string> RootsOf(string file)
    {
        var roots = new List<string>();
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(file)); dir is not null; dir = Path.GetDirectoryName(dir))
            roots.Add(dir);
        return roots;
    }

    /// <summary>The path a tracefile names a line-table file by: found under a source root, else as the table gives it.</summary>
    public string SourcePath(string file)
    {
        if (Path.IsPathRooted(file)) return file;
        foreach (var root in SourceRoots)
        {
            string p = Path.Combine(root, file);
            if (File.Exists(p)) return Path.GetFullPath(p);
        }
        return file;
    }

    /// <summary>The function containing <paramref name="address"/>, or null.</summary>
    public KernelSymbol? FunctionAt(ulong address)
    {
        int lo = 0, hi = Functions.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            var f = Functions[mid];
            if (address < f.Address) hi = mid - 1;
            else if (address - f.Address >= f.Size) lo = mid + 1;
            else return f;
        }
        return null;
    }

    private static bool IsMappingSymbol(string name) =>
        name.Length >= 2 && name[0] == '$' && (name[1] == 'x' || name[1] == 'd') && (name.Length == 2 || name[2] == '.');
}
