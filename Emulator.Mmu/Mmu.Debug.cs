namespace Aegis.Emulator.Mmu;

public sealed partial class Mmu
{
    /// <summary>
    /// A debugger's translation (QEMU's get_phys_addr_debug): what a read by <paramref name="el"/> would reach,
    /// using a TLB entry when there is one (stale or not, as the CPU would) and otherwise walking the tables,
    /// without permission checks and without side effects: nothing is filled into the TLB and
    /// <see cref="LastWalk"/> is left as it was, so debugging never changes what the guest later sees.
    /// </summary>
    public bool TranslateForDebugger(ulong va, int el, out ulong pa) => TranslateForDebugger(va, el, null, out pa);

    /// <summary>
    /// As <see cref="TranslateForDebugger(ulong, int, out ulong)"/>, and, when <paramref name="check"/> is given, false
    /// unless an access of that kind by <paramref name="el"/> would pass the permission checks (AP, UXN/PXN, WXN). Nothing
    /// changes: no TLB fill, no walk recorded, no fault taken.
    /// </summary>
    public bool TranslateForDebugger(ulong va, int el, AccessKind? check, out ulong pa)
    {
        pa = 0;
        var savedWalk = LastWalk;
        try
        {
            bool el2 = el == 2;
            ulong sctlr = el2 ? Regs.SCTLR_EL2 : Regs.SCTLR_EL1;
            bool hcrOff = !el2 && (Regs.HCR_EL2 & (HcrTge | HcrDc)) != 0;
            if ((sctlr & 1) == 0 || hcrOff)
            {
                if (!TranslateOff(va, AccessKind.Read, el2, sctlr, (Regs.HCR_EL2 & HcrDc) != 0 && !el2, out var off, out _)) return false;
                pa = off.PhysicalAddress;
                return true;
            }
            var regime = el2 ? TranslationRegime.El2 : TranslationRegime.El10;
            if (!SelectParameters(va, el2, out var p)) return false;
            ulong va56 = va & VaMask;
            int index = Tlb.Lookup(regime, va56, p.Asid);
            TlbEntry e;
            if (index >= 0) e = Tlb[index];
            else if (p.WalkDisabled || !Walk(regime, va, p, out e, out _)) return false;
            if (check is { } kind && !Permissions.Allows(e, kind, privileged: el != 0, wxn: (sctlr & (1UL << 19)) != 0)) return false;
            pa = e.PaBase | (va56 & (e.Size - 1));
            return true;
        }
        finally { LastWalk = savedWalk; }
    }
}
