using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu;

/// <summary>
/// Recent fetch windows, per EL: a PC that leaves the window's page (a call into another page, an exception entry or
/// return) finds that page's window here instead of translating the PC again, while the context epoch and the TLB's
/// generation are unchanged. The translation would then give the same: the TLB still holds the entry it gave (a hit
/// changes no TLB state; only a fill moves its round-robin), and everything else it depends on (translation registers,
/// TLB maintenance, code writes, ROM mode changes, hooks) moves <see cref="ContextEpoch"/>. A kernel's system call
/// crosses a dozen code pages.
/// </summary>
public sealed partial class Cpu
{
    private const int FetchWindowsPerEl = 16;

    private struct FetchWindow
    {
        public ulong VaPage, Epoch, TlbGeneration, PaPage;
        public long CodeBase;
        public DecodedInst[]? Insts;
        public byte MemAttr;
    }

    private readonly FetchWindow[] _fetchWindows = new FetchWindow[3 * FetchWindowsPerEl];

    private ref FetchWindow FetchWindowOf(ulong pc) => ref _fetchWindows[EL * FetchWindowsPerEl + (int)((pc >> 12) & (FetchWindowsPerEl - 1))];

    /// <summary>Makes the recent window of <paramref name="pc"/>'s page the fetch window, if it still holds.</summary>
    private bool TryRecentFetchWindow(ulong pc)
    {
        ref var w = ref FetchWindowOf(pc);
        if (w.Insts is null || w.VaPage != (pc & ~0xFFFUL) || w.Epoch != ContextEpoch || w.TlbGeneration != Mmu.Tlb.Generation)
            return false;
        SetFetchWindow(w.Insts, w.CodeBase, w.VaPage, w.PaPage, w.MemAttr);
        return true;
    }

    /// <summary>The fetch window is now the page of a translated PC; it is remembered as that page's recent window.</summary>
    private void SetFetchWindow(DecodedInst[] insts, long codeBase, ulong vaPage, ulong paPage, byte memAttr)
    {
        _fetchInsts = insts;
        _fetchCodeBase = codeBase;
        _fetchVaPage = vaPage;
        _fetchPaPage = paPage;
        _fetchMemAttr = memAttr;
        _fetchEpoch = TranslationEpoch;
        _fetchHooked = HooksBuilt && (_fetchHooks != null || _retireHooks != null) && CodeHooksCover(vaPage);
        FetchWindowOf(vaPage) = new FetchWindow
        {
            VaPage = vaPage, Epoch = ContextEpoch, TlbGeneration = Mmu.Tlb.Generation, PaPage = paPage, CodeBase = codeBase,
            Insts = insts, MemAttr = memAttr,
        };
    }

    /// <summary>A restore: the epochs may repeat another history's.</summary>
    private void ForgetFetchWindows() => Array.Clear(_fetchWindows);
}
