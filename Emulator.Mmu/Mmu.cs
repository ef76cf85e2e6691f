using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Mmu;

/// <summary>
/// Stage-1 address translation (VMSAv8-64) for the EL1&amp;0 and EL2 regimes, in front of the physical bus, with a
/// TLB that behaves like the hardware's: filled by successful walks, used on every translation while the entry is
/// there (even if the table in memory has changed since), emptied only by TLBI or replacement.
/// TCR fields, TTBRs and SCTLR.M are read at each translation (a register write never flushes the TLB, D5.10.2);
/// MAIR and SCTLR.WXN are applied at use time, which the architecture also permits.
/// </summary>
public sealed partial class Mmu
{
    /// <summary>VA[55:0]: the part of a VA that names a page (the top byte is a sign extension or a TBI tag).</summary>
    internal const ulong VaMask = 0x00FF_FFFF_FFFF_FFFFUL;

    private const ulong HcrDc = 1UL << 12;
    private const ulong HcrTge = 1UL << 27;

    public PhysicalBus Bus { get; }
    public MmuRegisters Regs { get; } = new();
    public Tlb Tlb { get; } = new();

    public Mmu(PhysicalBus bus) => Bus = bus;

    /// <summary>
    /// Translates <paramref name="va"/> for an access by exception level <paramref name="el"/>.
    /// <paramref name="unprivileged"/> asks for EL0 permissions from EL1 (LDTR/STTR).
    /// </summary>
    public bool Translate(ulong va, AccessKind kind, int el, bool unprivileged, out Translation result, out MmuFault fault)
    {
        bool el2 = el == 2;
        ulong sctlr = el2 ? Regs.SCTLR_EL2 : Regs.SCTLR_EL1;
        // HCR_EL2.TGE or DC: the EL1&0 stage 1 behaves as if SCTLR_EL1.M were 0 (D5.2.9, HCR_EL2 description).
        bool hcrOff = !el2 && (Regs.HCR_EL2 & (HcrTge | HcrDc)) != 0;
        if ((sctlr & 1) == 0 || hcrOff)
            return TranslateOff(va, kind, el2, sctlr, (Regs.HCR_EL2 & HcrDc) != 0 && !el2, out result, out fault);

        result = default;
        var regime = el2 ? TranslationRegime.El2 : TranslationRegime.El10;
        if (!SelectParameters(va, el2, out var p))
        {
            // VA outside both ranges, or TxSZ out of bounds: translation fault at level 0 (D5.2.6, QEMU 7.2).
            fault = new MmuFault(FaultKind.Translation, 0);
            return false;
        }

        ulong va56 = va & VaMask;
        int index = Tlb.Lookup(regime, va56, p.Asid);
        if (index < 0)
        {
            // EPDn: a TLB miss on a disabled range is a level 0 translation fault; hits are still used (D5.2.6).
            if (p.WalkDisabled)
            {
                fault = new MmuFault(FaultKind.Translation, 0);
                return false;
            }
            if (!Walk(regime, va, p, out var walked, out fault)) return false;
            index = Tlb.Fill(walked);
        }

        ref readonly TlbEntry e = ref Tlb[index];
        bool privileged = el != 0 && !unprivileged;
        if (!Permissions.Allows(e, kind, privileged, wxn: (sctlr & (1UL << 19)) != 0))
        {
            fault = new MmuFault(FaultKind.Permission, e.Level);
            return false;
        }
        byte attr = MemoryAttributes.FromMair(el2 ? Regs.MAIR_EL2 : Regs.MAIR_EL1, e.AttrIndx);
        // The lookup's ASID, or any: EL2's regime has one ASID, and a global entry that is the only one for the VA matches
        // every lookup first. Not looked for at a fetch: only data translations are cached across ASIDs (the lookup's is
        // always a true answer).
        int asid = el2 || (e.Global && kind != AccessKind.Fetch && Tlb.IsOnlyEntryFor(regime, va56, index))
            ? Translation.AnyAsid : p.Asid;
        result = new Translation(e.PaBase | (va56 & (e.Size - 1)), MemoryAttributes.IsDevice(attr), attr, asid);
        fault = default;
        return true;
    }

    /// <summary>The memory attributes (MAIR encoding) of an access by <paramref name="el"/> while its stage 1 is off
    /// (SCTLR.M = 0): the attributes <see cref="Translate"/> gives every such access.</summary>
    public byte StageOneOffAttributes(int el, AccessKind kind)
    {
        bool el2 = el == 2;
        return OffAttributes(kind, el2 ? Regs.SCTLR_EL2 : Regs.SCTLR_EL1, !el2 && (Regs.HCR_EL2 & HcrDc) != 0);
    }

    /// <summary>HCR_EL2.DC: Normal Write-Back; else data Device-nGnRnE, fetches Normal Write-Through with SCTLR.I,
    /// Non-cacheable without (D5.2.9).</summary>
    private static byte OffAttributes(AccessKind kind, ulong sctlr, bool dc) =>
        dc ? MemoryAttributes.NormalWriteBack
        : kind != AccessKind.Fetch ? MemoryAttributes.DeviceNGnRnE
        : (sctlr & (1UL << 12)) != 0 ? MemoryAttributes.NormalWriteThrough : MemoryAttributes.NormalNonCacheable;

    /// <summary>
    /// AArch64.TranslateAddressS1Off (D5.2.9): flat map. Bits [top:PAMax] must be zero (address size fault, level 0),
    /// where top is 55 with TBI and 63 without. Data accesses are Device-nGnRnE, fetches Normal; with HCR_EL2.DC
    /// everything is Normal Write-Back.
    /// </summary>
    private bool TranslateOff(ulong va, AccessKind kind, bool el2, ulong sctlr, bool dc, out Translation result, out MmuFault fault)
    {
        int top = Tbi(va, el2) ? 55 : 63;
        ulong above = (va >> TranslationParameters.PAMax) & ((2UL << (top - TranslationParameters.PAMax)) - 1);
        if (above != 0)
        {
            result = default;
            fault = new MmuFault(FaultKind.AddressSize, 0);
            return false;
        }
        byte attr = OffAttributes(kind, sctlr, dc);
        result = new Translation(va & ((1UL << TranslationParameters.PAMax) - 1), MemoryAttributes.IsDevice(attr), attr);
        fault = default;
        return true;
    }

    /// <summary>TCR_EL1.TBI0/TBI1 by VA[55], TCR_EL2.TBI: the top byte is ignored (D5.1.2, AddrTop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Tbi(ulong va, bool el2) => el2
        ? (Regs.TCR_EL2 & (1UL << 20)) != 0
        : (Regs.TCR_EL1 & (1UL << (((va >> 55) & 1) != 0 ? 38 : 37))) != 0;

    /// <summary>The ASID of EL1&amp;0's translations: TCR_EL1.A1 picks the TTBR that holds it; TCR_EL1.AS = 0 means 8-bit ASIDs.</summary>
    public ushort El10Asid
    {
        get
        {
            ulong tcr = Regs.TCR_EL1;
            ushort asid = (ushort)(((tcr & (1UL << 22)) != 0 ? Regs.TTBR1_EL1 : Regs.TTBR0_EL1) >> 48);
            return (tcr & (1UL << 36)) == 0 ? (ushort)(asid & 0xFF) : asid;
        }
    }

    /// <summary>
    /// Chooses TTBR0 or TTBR1 by VA[55] and checks that VA[top:inputsize] are all equal to it (D5.2.6).
    /// False = translation fault at level 0.
    /// </summary>
    private bool SelectParameters(ulong va, bool el2, out TranslationParameters p)
    {
        p = default;
        ulong tcr;
        bool upper = ((va >> 55) & 1) != 0;
        int tsz;
        if (el2)
        {
            // TCR_EL2 (no E2H in Armv8.0): one VA range, T0SZ, TG0, PS[18:16], no ASID, no EPD.
            tcr = Regs.TCR_EL2;
            if (upper) return false;
            tsz = (int)(tcr & 0x3F);
            p.Ttbr = Regs.TTBR0_EL2;
            p.GranuleBits = TranslationParameters.GranuleFromTg0((tcr >> 14) & 3);
            p.OutputSize = TranslationParameters.OutputSizeFromPs((tcr >> 16) & 7);
        }
        else
        {
            tcr = Regs.TCR_EL1;
            if (upper)
            {
                tsz = (int)((tcr >> 16) & 0x3F);
                p.Ttbr = Regs.TTBR1_EL1;
                p.WalkDisabled = (tcr & (1UL << 23)) != 0;
                p.GranuleBits = TranslationParameters.GranuleFromTg1((tcr >> 30) & 3);
            }
            else
            {
                tsz = (int)(tcr & 0x3F);
                p.Ttbr = Regs.TTBR0_EL1;
                p.WalkDisabled = (tcr & (1UL << 7)) != 0;
                p.GranuleBits = TranslationParameters.GranuleFromTg0((tcr >> 14) & 3);
            }
            p.OutputSize = TranslationParameters.OutputSizeFromPs((tcr >> 32) & 7);
            p.Asid = El10Asid;
        }
        // TxSZ outside [16, 39] (48- to 25-bit ranges): IMPLEMENTATION DEFINED fault or clamp; QEMU 7.2 faults.
        if (tsz < 16 || tsz > 39) return false;
        p.InputSize = 64 - tsz;

        int top = Tbi(va, el2) ? 55 : 63;
        ulong rangeBits = (top == 63 ? ulong.MaxValue : (1UL << (top + 1)) - 1) & ~((1UL << p.InputSize) - 1);
        return (va & rangeBits) == (upper ? rangeBits : 0);
    }

    /// <summary>
    /// The TLB entry that a translation of <paramref name="va"/> at <paramref name="el"/> would use now, without
    /// walking (for tracers, checkers and the debugger).
    /// </summary>
    public bool TryGetTlbEntry(ulong va, int el, out TlbEntry entry)
    {
        entry = default;
        bool el2 = el == 2;
        if (!SelectParameters(va, el2, out var p)) return false;
        int i = Tlb.Lookup(el2 ? TranslationRegime.El2 : TranslationRegime.El10, va & VaMask, p.Asid);
        if (i < 0) return false;
        entry = Tlb[i];
        return true;
    }

    // ---- TLB maintenance (TLBI, D5.10.2 and C5.5); the CPU bumps its translation epoch after each ----
    // We keep no intermediate walk caches, so the last-level-only forms (VALE1, VAALE1, VALE2) have the same
    // effect as their full forms: every entry we hold is a last-level entry.

    /// <summary>TLBI VMALLE1(IS): every EL1&amp;0 entry, global and non-global.</summary>
    public void InvalidateAllEl1() => Tlb.InvalidateRegime(TranslationRegime.El10);

    /// <summary>TLBI ASIDE1(IS): non-global EL1&amp;0 entries of one ASID (ASID[15:8] ignored with 8-bit ASIDs).</summary>
    public void InvalidateAsid(ushort asid) => Tlb.InvalidateAsid(TranslationRegime.El10, MaskAsid(asid));

    /// <summary>
    /// TLBI VAE1/VALE1/VAAE1/VAALE1(IS): entries for one VA; <paramref name="anyAsid"/> for the VAA forms.
    /// <paramref name="va"/> is the address (Xt[43:0] &lt;&lt; 12); only VA[55:12] is compared.
    /// </summary>
    public void InvalidateVa(ulong va, ushort asid, bool anyAsid, bool lastLevelOnly) =>
        Tlb.InvalidateVa(TranslationRegime.El10, va & VaMask, MaskAsid(asid), anyAsid);

    /// <summary>TLBI ALLE2(IS): every EL2 entry.</summary>
    public void InvalidateAllEl2() => Tlb.InvalidateRegime(TranslationRegime.El2);

    /// <summary>TLBI VAE2/VALE2(IS): EL2 entries for one VA.</summary>
    public void InvalidateVaEl2(ulong va, bool lastLevelOnly) =>
        Tlb.InvalidateVa(TranslationRegime.El2, va & VaMask, 0, anyAsid: true);

    private ushort MaskAsid(ushort asid) => (Regs.TCR_EL1 & (1UL << 36)) != 0 ? asid : (ushort)(asid & 0xFF);
}
