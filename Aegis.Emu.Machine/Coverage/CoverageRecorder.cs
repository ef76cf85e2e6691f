using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;

namespace Aegis.Emu.Coverage;

/// <summary>
/// `--coverage`: counts, per virtual address, how often an instruction retired there (completed, or took a
/// synchronous exception) and, for a conditional branch, how often it was taken. A hook like the tracer's: nothing is
/// attached, and nothing costs, when coverage is off. Addresses are virtual: AegisOS maps its kernel and every ELF
/// slot at the same virtual addresses in every address space, so an address names one instruction of one image.
/// </summary>
public sealed class CoverageRecorder : CpuHook
{
    private const int PageWords = 1024;

    /// <summary>One 4 KiB page of counters; <see cref="Taken"/> only once a branch there was taken.</summary>
    private sealed class Page
    {
        public readonly ulong[] Hits = new ulong[PageWords];
        public ulong[]? Taken;
    }

    private readonly Dictionary<ulong, Page> _pages = [];
    private ulong _lastVpn = ulong.MaxValue;
    private Page? _last;

    public override void OnRetire(Cpu cpu, ulong pc, uint encoding)
    {
        ulong vpn = pc >> 12;
        if (vpn != _lastVpn)
        {
            if (!_pages.TryGetValue(vpn, out _last)) _pages[vpn] = _last = new Page();
            _lastVpn = vpn;
        }
        int i = (int)(pc >> 2) & (PageWords - 1);
        _last!.Hits[i]++;
        if (ConditionalBranch.Is(encoding) && ConditionalBranch.Taken(cpu, encoding))
            (_last.Taken ??= new ulong[PageWords])[i]++;
    }

    /// <summary>How often the instruction at <paramref name="va"/> retired.</summary>
    public ulong Hits(ulong va) => _pages.TryGetValue(va >> 12, out var p) ? p.Hits[(va >> 2) & (PageWords - 1)] : 0;

    /// <summary>How often the conditional branch at <paramref name="va"/> was taken.</summary>
    public ulong Taken(ulong va) => _pages.TryGetValue(va >> 12, out var p) && p.Taken is { } t ? t[(va >> 2) & (PageWords - 1)] : 0;

    /// <summary>Every address that retired at least once, in order (for addresses no image describes).</summary>
    public IEnumerable<ulong> Executed()
    {
        foreach (var (vpn, page) in _pages.OrderBy(p => p.Key))
            for (int i = 0; i < PageWords; i++)
                if (page.Hits[i] != 0) yield return vpn << 12 | (ulong)i << 2;
    }
}
