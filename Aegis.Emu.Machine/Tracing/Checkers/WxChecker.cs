using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Hooks;
using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Kernel.Image;

namespace Aegis.Emu.Tracing.Checkers;

/// <summary>
/// W^X: no instruction may be fetched from a physical page that some valid translation currently makes writable
/// at any EL, whether that is the fetch's own mapping or another virtual alias of the same page.
/// <para>
/// "Valid translations" are what the translation tables reachable from the roots hold: TTBR1_EL1, the latest
/// TTBR0_EL1 written for each ASID (AegisOS: one table per task), and TTBR0_EL2, each only while its regime's
/// MMU is on (SCTLR.M) and its walks enabled (TCR.EPDx = 0). The tables are walked (4 KiB granule, Arm ARM
/// D5.2) into a list of writable output ranges (AP[2] = 0 and no APTable[1] on the way); the list is rebuilt
/// when a table page is written or a root, TCR or SCTLR changes.
/// </para>
/// </summary>
public sealed class WxChecker : Checker
{
    private readonly record struct Writable(ulong Pa, ulong Size, ulong Va, string Root, ulong DescriptorAddress, ulong Descriptor, int Level);

    private readonly Dictionary<ulong, ulong> _ttbr0ByAsid = [];
    private readonly HashSet<ulong> _tablePages = [];
    private readonly List<Writable> _writable = [];
    private readonly Dictionary<ulong, int> _pageCache = [];
    private bool _dirty = true;
    private ulong _lastPage = ulong.MaxValue;
    private bool _lastWritable;

    public override string Name => "wx";

    public WxChecker(Cpu cpu, KernelSymbols? symbols, TaskResolver tasks) : base(cpu, symbols, tasks) { }

    public override void OnSystemRegisterWrite(Cpu cpu, SystemRegister register, ulong value)
    {
        switch (register.Name)
        {
            case "TTBR0_EL1":
                _ttbr0ByAsid[value >> 48] = value;
                _dirty = true;
                break;
            case "TTBR1_EL1" or "TCR_EL1" or "SCTLR_EL1" or "TTBR0_EL2" or "TCR_EL2" or "SCTLR_EL2" or "HCR_EL2":
                _dirty = true;
                break;
        }
    }

    public override void OnMemoryAccess(Cpu cpu, in MemoryAccess a)
    {
        if (a.IsWrite && !_dirty && _tablePages.Contains(a.Pa >> 12)) _dirty = true;
    }

    public override void OnFetch(Cpu cpu, ulong pc, ulong pa, uint encoding)
    {
        NoteFetch(pc, encoding);
        var r = cpu.MmuRegs;
        if (((cpu.EL == 2 ? r.SCTLR_EL2 : r.SCTLR_EL1) & 1) == 0) return; // MMU off: no permissions to check
        if (_dirty) Rebuild();
        ulong page = pa >> 12;
        if (page == _lastPage && !_lastWritable) return; // the common case: same page as the previous fetch, clean
        if (!_pageCache.TryGetValue(page, out int index))
        {
            index = _writable.FindIndex(w => pa - w.Pa < w.Size);
            _pageCache[page] = index;
        }
        _lastPage = page;
        _lastWritable = index >= 0;
        if (index < 0) return;
        // Name every writable mapping of the page (up to four), the first one found in full.
        var all = _writable.Where(w => pa - w.Pa < w.Size).Take(4).Select(w =>
            $"VA 0x{(w.Va + (pa - w.Pa)) & ~0xFFFUL:x} in {w.Root} (level {w.Level} descriptor at PA 0x{w.DescriptorAddress:x} = 0x{w.Descriptor:x16})");
        Report($"fetch from PA 0x{pa:x} (page 0x{pa & ~0xFFFUL:x}, current TTBR0_EL1 ASID {cpu.MmuRegs.TTBR0_EL1 >> 48}), " +
            $"which is writable through {string.Join("; ", all)}");
    }

    private void Rebuild()
    {
        _dirty = false;
        _writable.Clear();
        _tablePages.Clear();
        _pageCache.Clear();
        _lastPage = ulong.MaxValue;
        var r = Cpu.MmuRegs;
        if ((r.SCTLR_EL1 & 1) != 0)
        {
            ulong tcr = r.TCR_EL1;
            if ((tcr & (1UL << 23)) == 0) WalkRoot(r.TTBR1_EL1, (int)((tcr >> 16) & 63), upper: true, "TTBR1_EL1");
            if ((tcr & (1UL << 7)) == 0)
            {
                _ttbr0ByAsid[r.TTBR0_EL1 >> 48] = r.TTBR0_EL1;
                foreach (var (asid, ttbr) in _ttbr0ByAsid)
                    WalkRoot(ttbr, (int)(tcr & 63), upper: false, $"TTBR0_EL1 ASID {asid}");
            }
        }
        if ((r.SCTLR_EL2 & 1) != 0) WalkRoot(r.TTBR0_EL2, (int)(r.TCR_EL2 & 63), upper: false, "TTBR0_EL2");
    }

    private void WalkRoot(ulong ttbr, int txsz, bool upper, string name) =>
        TranslationTables.Walk(Cpu, ttbr, txsz, upper, _tablePages, m =>
        {
            if (m.Writable) _writable.Add(new Writable(m.Pa, m.Size, m.Va, name, m.DescriptorAddress, m.Descriptor, m.Level));
        });
}
