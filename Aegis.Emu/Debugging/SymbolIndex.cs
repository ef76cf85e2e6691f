using Aegis.Kernel.Image;

namespace Aegis.Emu.Debugging;

/// <summary>Names addresses with one ELF's symbols: "symbol" or "symbol+0xoff".</summary>
public sealed class SymbolIndex(KernelSymbols symbols)
{
    public KernelSymbols Symbols { get; } = symbols;

    // STT_FILE entries (value 0, size 0: "uart.c") name no address; ELF mapping symbols ($x, $d) name no code.
    private readonly KernelSymbol[] _sorted = [.. symbols.All.Where(s => !s.Name.StartsWith('$') && s.Name.Length > 0 && (s.Address != 0 || s.Size != 0))
        .OrderBy(s => s.Address).ThenByDescending(s => s.Size)];

    /// <summary>A sized symbol containing the address, else the nearest label below within 64 KiB; null when none.</summary>
    public string? Describe(ulong address)
    {
        int lo = 0, hi = _sorted.Length - 1, best = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (_sorted[mid].Address <= address) { best = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (best < 0) return null;
        for (int i = best; i >= 0 && i > best - 64; i--)
        {
            var s = _sorted[i];
            if (s.Size != 0 && address - s.Address < s.Size)
                return address == s.Address ? s.Name : $"{s.Name}+0x{address - s.Address:x}";
        }
        var near = _sorted[best];
        if (address - near.Address >= 0x10000) return null; // too far from an unsized label to mean anything
        return address == near.Address ? near.Name : $"{near.Name}+0x{address - near.Address:x}";
    }
}
