using Aegis.Emulator.Cpu.SystemRegisters;
using Aegis.Emulator.Mmu;
using static Aegis.Emulator.Cpu.SystemRegisters.SysRegTraps;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// SYS operations (op0 = 1) of Armv8.0: DC, IC, AT and TLBI (Arm ARM C5.3). They are entries of the
/// system-register table whose "write" is the operation on X[t].
/// </summary>
internal static unsafe partial class BranchesExceptionsSystem
{
    internal static IEnumerable<SystemRegister> SystemOperations()
    {
        // ---- instruction cache ----
        yield return Op("IC IALLUIS", 0, 7, 1, 0, 1, NoArchitecturalEffect, hcr: HCR_TPU);
        yield return Op("IC IALLU", 0, 7, 5, 0, 1, NoArchitecturalEffect, hcr: HCR_TPU);
        yield return Op("IC IVAU", 3, 7, 5, 1, 0, static (c, v) => CacheMaintenanceByVa(c, v), El0Enable(SCTLR_UCI), HCR_TPU);

        // ---- data cache ----
        // DC IVAC discards data, so it needs write permission (Arm ARM D5.10.3).
        yield return Op("DC IVAC", 0, 7, 6, 1, 1, static (c, v) => CacheMaintenanceByVa(c, v, AccessKind.Write), hcr: HCR_TPC);
        yield return Op("DC ISW", 0, 7, 6, 2, 1, NoArchitecturalEffect, hcr: HCR_TSW);
        yield return Op("DC CSW", 0, 7, 10, 2, 1, NoArchitecturalEffect, hcr: HCR_TSW);
        yield return Op("DC CISW", 0, 7, 14, 2, 1, NoArchitecturalEffect, hcr: HCR_TSW);
        yield return Op("DC ZVA", 3, 7, 4, 1, 0, static (c, v) => DcZva(c, v), El0Enable(SCTLR_DZE), HCR_TDZ);
        yield return Op("DC CVAC", 3, 7, 10, 1, 0, static (c, v) => CacheMaintenanceByVa(c, v), El0Enable(SCTLR_UCI), HCR_TPC);
        yield return Op("DC CVAU", 3, 7, 11, 1, 0, static (c, v) => CacheMaintenanceByVa(c, v), El0Enable(SCTLR_UCI), HCR_TPU);
        yield return Op("DC CIVAC", 3, 7, 14, 1, 0, static (c, v) => CacheMaintenanceByVa(c, v), El0Enable(SCTLR_UCI), HCR_TPC);

        // ---- address translation (result in PAR_EL1); no stage 2 yet, so S12 forms are stage 1 ----
        yield return Op("AT S1E1R", 0, 7, 8, 0, 1, static (c, v) => At(c, v, AccessKind.Read, 1, false));
        yield return Op("AT S1E1W", 0, 7, 8, 1, 1, static (c, v) => At(c, v, AccessKind.Write, 1, false));
        yield return Op("AT S1E0R", 0, 7, 8, 2, 1, static (c, v) => At(c, v, AccessKind.Read, 1, true));
        yield return Op("AT S1E0W", 0, 7, 8, 3, 1, static (c, v) => At(c, v, AccessKind.Write, 1, true));
        yield return Op("AT S1E2R", 4, 7, 8, 0, 2, static (c, v) => At(c, v, AccessKind.Read, 2, false));
        yield return Op("AT S1E2W", 4, 7, 8, 1, 2, static (c, v) => At(c, v, AccessKind.Write, 2, false));
        yield return Op("AT S12E1R", 4, 7, 8, 4, 2, static (c, v) => At(c, v, AccessKind.Read, 1, false));
        yield return Op("AT S12E1W", 4, 7, 8, 5, 2, static (c, v) => At(c, v, AccessKind.Write, 1, false));
        yield return Op("AT S12E0R", 4, 7, 8, 6, 2, static (c, v) => At(c, v, AccessKind.Read, 1, true));
        yield return Op("AT S12E0W", 4, 7, 8, 7, 2, static (c, v) => At(c, v, AccessKind.Write, 1, true));

        // ---- TLB maintenance, EL1&0 regime (single core: the IS forms have the same scope) ----
        foreach (var (crm, suffix) in new[] { (3, "IS"), (7, "") })
        {
            yield return Op($"TLBI VMALLE1{suffix}", 0, 8, crm, 0, 1, static (c, _) => { c.Mmu.InvalidateAllEl1(); c.InvalidateFetch(); }, hcr: HCR_TTLB);
            yield return Op($"TLBI VAE1{suffix}", 0, 8, crm, 1, 1, static (c, v) => { c.Mmu.InvalidateVa(TlbiVa(v), TlbiAsid(v), anyAsid: false, lastLevelOnly: false); c.InvalidateFetch(); }, hcr: HCR_TTLB);
            yield return Op($"TLBI ASIDE1{suffix}", 0, 8, crm, 2, 1, static (c, v) => { c.Mmu.InvalidateAsid(TlbiAsid(v)); c.InvalidateFetch(); }, hcr: HCR_TTLB);
            yield return Op($"TLBI VAAE1{suffix}", 0, 8, crm, 3, 1, static (c, v) => { c.Mmu.InvalidateVa(TlbiVa(v), 0, anyAsid: true, lastLevelOnly: false); c.InvalidateFetch(); }, hcr: HCR_TTLB);
            yield return Op($"TLBI VALE1{suffix}", 0, 8, crm, 5, 1, static (c, v) => { c.Mmu.InvalidateVa(TlbiVa(v), TlbiAsid(v), anyAsid: false, lastLevelOnly: true); c.InvalidateFetch(); }, hcr: HCR_TTLB);
            yield return Op($"TLBI VAALE1{suffix}", 0, 8, crm, 7, 1, static (c, v) => { c.Mmu.InvalidateVa(TlbiVa(v), 0, anyAsid: true, lastLevelOnly: true); c.InvalidateFetch(); }, hcr: HCR_TTLB);
        }
        // ---- TLB maintenance from EL2 ----
        foreach (var (crmIpa, crmAll, suffix) in new[] { (0, 3, "IS"), (4, 7, "") })
        {
            // Stage 2 is not modelled yet: there are no IPA-tagged entries to remove.
            yield return Op($"TLBI IPAS2E1{suffix}", 4, 8, crmIpa, 1, 2, static (c, _) => c.InvalidateFetch());
            yield return Op($"TLBI IPAS2LE1{suffix}", 4, 8, crmIpa, 5, 2, static (c, _) => c.InvalidateFetch());
            yield return Op($"TLBI ALLE2{suffix}", 4, 8, crmAll, 0, 2, static (c, _) => { c.Mmu.InvalidateAllEl2(); c.InvalidateFetch(); });
            yield return Op($"TLBI VAE2{suffix}", 4, 8, crmAll, 1, 2, static (c, v) => { c.Mmu.InvalidateVaEl2(TlbiVa(v), lastLevelOnly: false); c.InvalidateFetch(); });
            yield return Op($"TLBI ALLE1{suffix}", 4, 8, crmAll, 4, 2, static (c, _) => { c.Mmu.InvalidateAllEl1(); c.InvalidateFetch(); });
            yield return Op($"TLBI VALE2{suffix}", 4, 8, crmAll, 5, 2, static (c, v) => { c.Mmu.InvalidateVaEl2(TlbiVa(v), lastLevelOnly: true); c.InvalidateFetch(); });
            yield return Op($"TLBI VMALLS12E1{suffix}", 4, 8, crmAll, 6, 2, static (c, _) => { c.Mmu.InvalidateAllEl1(); c.InvalidateFetch(); });
        }
    }

    private static SystemRegister Op(string name, int op1, int crn, int crm, int op2, int minEl, SysRegWrite op,
        SysRegCheck? check = null, ulong hcr = 0) =>
        new(name, 1, op1, crn, crm, op2) { MinEl = minEl, Write = op, Check = check, HcrTrapWrite = hcr };

    // ---- TLBI ----

    /// <summary>The VA operand of TLBI: X[t][43:0] = VA[55:12], sign-extended from bit 55 so that TTBR1 addresses come out whole.</summary>
    internal static ulong TlbiVa(ulong xt)
    {
        ulong va = (xt & 0xFFF_FFFF_FFFF) << 12;
        return (va & (1UL << 55)) != 0 ? va | 0xFF00_0000_0000_0000 : va;
    }

    internal static ushort TlbiAsid(ulong xt) => (ushort)(xt >> 48);

    // ---- cache maintenance ----

    /// <summary>
    /// Set/way and whole-cache maintenance: the functional machine keeps no architecturally visible cache (the timing
    /// model's caches are charged through the TimingClass), so only the access checks of the table entry apply;
    /// hooks see the operation as <see cref="Hooks.CpuHook.OnMaintenance"/>.
    /// </summary>
    private static void NoArchitecturalEffect(Cpu cpu, ulong operand) { }

    /// <summary>By-VA maintenance translates its address; a fault is a data abort with CM = 1 (Arm ARM D5.10.3).</summary>
    private static void CacheMaintenanceByVa(Cpu cpu, ulong va, AccessKind kind = AccessKind.CacheMaintenance)
    {
        if (!cpu.Mmu.Translate(va, kind, cpu.EL, false, out _, out var fault))
            cpu.TakeDataAbort(va, fault, write: false, cacheMaintenance: true);
    }

    /// <summary>
    /// DC ZVA: zeroes the naturally aligned 64-byte block (DCZID_EL0.BS = 4). Device memory gives an
    /// Alignment fault as the Arm ARM requires (QEMU 7.2 skips that check); faults report the block address.
    /// </summary>
    private static void DcZva(Cpu cpu, ulong va)
    {
        const int block = IdRegisters.DcZvaBlockBytes;
        ulong start = va & ~(ulong)(block - 1);
        if (!cpu.Mmu.Translate(start, AccessKind.Write, cpu.EL, false, out var t, out var fault))
        {
            cpu.TakeDataAbort(start, fault, write: true);
            return;
        }
        if (t.IsDevice)
        {
            cpu.TakeDataAbort(start, new MmuFault(FaultKind.Alignment, 0), write: true);
            return;
        }
        for (int k = 0; k < block; k += 8)
        {
            if (!cpu.Bus.Write(t.PhysicalAddress + (ulong)k, 8, 0))
            {
                cpu.TakeDataAbort(start, new MmuFault(FaultKind.SynchronousExternal, 0), write: true);
                return;
            }
            if (Cpu.HooksBuilt) cpu.HookMemoryAccess(start + (ulong)k, t.PhysicalAddress + (ulong)k, 8, 0, write: true);
        }
    }

    // ---- address translation ----

    /// <summary>
    /// AT: translates as the given regime and privilege would and writes PAR_EL1 (Arm ARM D13.2.101):
    /// on success PA[47:12], SH, ATTR and RES1 bit 11; on a fault F = 1 with FST (and PTW for a walk fault).
    /// The translation result carries only Device/Normal, so ATTR is 0x00 (Device-nGnRnE, SH = 0b10) or
    /// 0xFF (Normal write-back, SH = 0b11) until the MMU reports the full attributes.
    /// </summary>
    private static void At(Cpu cpu, ulong va, AccessKind kind, int regimeEl, bool unprivileged)
    {
        if (cpu.Mmu.Translate(va, kind, regimeEl, unprivileged, out var t, out var fault))
        {
            ulong par = (t.PhysicalAddress & 0x0000_FFFF_FFFF_F000) | (1UL << 11);
            par |= t.IsDevice ? (0b10UL << 7) : (0xFFUL << 56) | (0b11UL << 7);
            cpu.Sys.PAR_EL1 = par;
        }
        else
        {
            cpu.Sys.PAR_EL1 = 1UL | ((ulong)fault.StatusCode << 1) | (fault.OnTableWalk ? 1UL << 8 : 0) | (1UL << 11);
        }
    }
}
