namespace Aegis.Emulator.Mmu;

/// <summary>
/// Stage-1 address translation (VMSAv8-64) for the EL1&amp;0 and EL2 regimes, in front of the physical bus.
/// </summary>
public sealed class Mmu
{
    public PhysicalBus Bus { get; }
    public MmuRegisters Regs { get; } = new();

    public Mmu(PhysicalBus bus) => Bus = bus;

    /// <summary>
    /// Translates <paramref name="va"/> for an access by exception level <paramref name="el"/>.
    /// <paramref name="unprivileged"/> asks for EL0 permissions from EL1 (LDTR/STTR).
    /// </summary>
    public bool Translate(ulong va, AccessKind kind, int el, bool unprivileged, out Translation result, out MmuFault fault)
    {
        ulong sctlr = el == 2 ? Regs.SCTLR_EL2 : Regs.SCTLR_EL1;
        if ((sctlr & 1) == 0)
        {
            // MMU off: flat map; data accesses are Device-nGnRnE, fetches Normal (Arm ARM D5.2.9).
            // Bits above the 48-bit PA range give an address size fault at level 0.
            if (va >> 48 != 0)
            {
                result = default;
                fault = new MmuFault(FaultKind.AddressSize, 0);
                return false;
            }
            result = new Translation(va, IsDevice: kind != AccessKind.Fetch);
            fault = default;
            return true;
        }
        throw new NotImplementedException("stage-1 table walk");
    }

    // ---- TLB maintenance (TLBI); the CPU bumps its translation epoch after each ----

    /// <summary>TLBI VMALLE1(IS): every EL1&amp;0 entry, global and non-global.</summary>
    public void InvalidateAllEl1() { }

    /// <summary>TLBI ASIDE1(IS): non-global EL1&amp;0 entries of one ASID.</summary>
    public void InvalidateAsid(ushort asid) { }

    /// <summary>TLBI VAE1/VALE1/VAAE1/VAALE1(IS): entries for one VA; <paramref name="anyAsid"/> for the VAA forms.</summary>
    public void InvalidateVa(ulong va, ushort asid, bool anyAsid, bool lastLevelOnly) { }

    /// <summary>TLBI ALLE2(IS): every EL2 entry.</summary>
    public void InvalidateAllEl2() { }

    /// <summary>TLBI VAE2/VALE2(IS): EL2 entries for one VA.</summary>
    public void InvalidateVaEl2(ulong va, bool lastLevelOnly) { }
}
