using LibObjectFile.Elf;

namespace Aegis.Kernel.Image;

/// <summary>A symbol of the kernel ELF (.symtab): name, address, size, its st_info type (STT_FUNC = 2) and section index.</summary>
public readonly record struct KernelSymbol(string Name, ulong Address, ulong Size, int Type = 0, int Section = 0)
{
    public const int SttFunc = 2;
    public bool IsFunction => Type == SttFunc;
}

/// <summary>The symbol table of an ELF64 little-endian image (the committed bin/aegis.elf, read by <see cref="ElfView"/>)
/// so tools can name addresses (tracers) and find kernel functions and data (tests).</summary>
public sealed class KernelSymbols
{
    private readonly Dictionary<string, KernelSymbol> _byName = new(StringComparer.Ordinal);
    private readonly KernelSymbol[] _sorted;
    /// <summary>What can name an address: not STT_FILE entries (value 0, size 0: "uart.c") nor ELF mapping symbols
    /// ($x, $d); by address, the largest first.</summary>
    private readonly KernelSymbol[] _labels;

    public ulong Entry { get; }
    public IReadOnlyCollection<KernelSymbol> All => _sorted;

    private KernelSymbols(ulong entry, List<KernelSymbol> symbols)
    {
        Entry = entry;
        foreach (var s in symbols)
            _byName.TryAdd(s.Name, s);
        _sorted = [.. symbols.OrderBy(s => s.Address).ThenBy(s => s.Name, StringComparer.Ordinal)];
        _labels = [.. _sorted.Where(s => !s.Name.StartsWith('$') && (s.Address != 0 || s.Size != 0)).OrderBy(s => s.Address).ThenByDescending(s => s.Size)];
    }

    /// <summary>The committed image, found by walking up from <paramref name="startDirectory"/>
    /// (default: the app base) to a directory holding Kernel.Image/bin/aegis.elf, or next to the assembly.</summary>
    public static string FindImage(string? startDirectory = null)
    {
        string local = Path.Combine(AppContext.BaseDirectory, "aegis.elf");
        for (var dir = new DirectoryInfo(startDirectory ?? AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "Kernel.Image", "bin", "aegis.elf");
            if (File.Exists(candidate))
                return candidate;
        }
        if (File.Exists(local))
            return local;
        throw new FileNotFoundException("Kernel.Image/bin/aegis.elf not found (run Kernel.Image/build.sh)");
    }

    public static KernelSymbols Load(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>No symbols: an image that is not an ELF (a Linux Image or raw binary booted with `run --kernel`).</summary>
    public static KernelSymbols None(ulong entry) => new(entry, []);

    /// <summary>The .symtab of an ELF64 little-endian image (<see cref="ElfView"/>); <see cref="InvalidDataException"/> for
    /// anything else or a malformed file. Unnamed symbols are left out.</summary>
    public static KernelSymbols Parse(ReadOnlySpan<byte> f)
    {
        var elf = ElfView.Read(f.ToArray());
        var symbols = new List<KernelSymbol>();
        foreach (var table in elf.Sections.OfType<ElfSymbolTable>())
        {
            if (table.Type != ElfSectionType.SymbolTable) continue; // .symtab, not .dynsym
            foreach (var sym in table.Entries)
            {
                if (string.IsNullOrEmpty(sym.Name.Value)) continue;
                var link = sym.SectionLink;
                int section = link.Section is { } s ? s.SectionIndex : (int)link.SpecialIndex;
                symbols.Add(new KernelSymbol(sym.Name.Value, sym.Value, sym.Size, (int)sym.Type, section));
            }
        }
        return new KernelSymbols(elf.EntryPointAddress, symbols);
    }

    public bool TryGet(string name, out KernelSymbol symbol) => _byName.TryGetValue(name, out symbol);

    public ulong Address(string name) =>
        _byName.TryGetValue(name, out var s) ? s.Address : throw new KeyNotFoundException($"kernel symbol {name} not found");

    /// <summary>"name" or "name+0xoff": a sized symbol containing the address, else the nearest label below within
    /// 64 KiB (farther, an unsized label means nothing); null when none.</summary>
    public string? Describe(ulong address)
    {
        int lo = 0, hi = _labels.Length - 1, best = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (_labels[mid].Address <= address) { best = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (best < 0)
            return null;
        for (int i = best; i >= 0 && i > best - 64; i--)
        {
            var s = _labels[i];
            if (s.Size != 0 && address - s.Address < s.Size)
                return address == s.Address ? s.Name : $"{s.Name}+0x{address - s.Address:x}";
        }
        var near = _labels[best];
        if (address - near.Address >= 0x10000)
            return null;
        return address == near.Address ? near.Name : $"{near.Name}+0x{address - near.Address:x}";
    }
}
