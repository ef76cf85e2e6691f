using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Load/store exclusive and load-acquire/store-release (Arm ARM C4.1.4, B2.9), Armv8.0 only:
/// size 001000 o2 L o1 Rs o0 Rt2 Rn Rt. o2:o1 = 00 single register, 01 pair (sizes 10/11 only; size 0x is
/// CASP, Armv8.1), 10 LDAR/STLR (o0 = 0 is LDLAR/STLLR, Armv8.1 LOR), 11 CAS (Armv8.1): the Armv8.1 forms
/// have no row and are UNDEFINED, as on the Cortex-A53. Rs of the loads and Rt2 of the non-pair forms are
/// should-be-one fields that are ignored, as QEMU 7.2 disas_ldst_excl ignores them.
/// Every access is aligned to its full size (AccessFlags.MustBeAligned) whatever SCTLR.A says.
/// </summary>
internal static unsafe partial class LoadsAndStores
{
    private static EncodingRow[] ExclusiveRows =>
    [
        new("00001000_000xxxxx_0xxxxxxx_xxxxxxxx", "STXRB", &StoreExclusive, TimingClass.Exclusive),
        new("00001000_000xxxxx_1xxxxxxx_xxxxxxxx", "STLXRB", &StoreExclusive, TimingClass.Exclusive),
        new("00001000_010xxxxx_0xxxxxxx_xxxxxxxx", "LDXRB", &LoadExclusive, TimingClass.Exclusive),
        new("00001000_010xxxxx_1xxxxxxx_xxxxxxxx", "LDAXRB", &LoadExclusive, TimingClass.Exclusive),
        new("01001000_000xxxxx_0xxxxxxx_xxxxxxxx", "STXRH", &StoreExclusive, TimingClass.Exclusive),
        new("01001000_000xxxxx_1xxxxxxx_xxxxxxxx", "STLXRH", &StoreExclusive, TimingClass.Exclusive),
        new("01001000_010xxxxx_0xxxxxxx_xxxxxxxx", "LDXRH", &LoadExclusive, TimingClass.Exclusive),
        new("01001000_010xxxxx_1xxxxxxx_xxxxxxxx", "LDAXRH", &LoadExclusive, TimingClass.Exclusive),
        new("1x001000_000xxxxx_0xxxxxxx_xxxxxxxx", "STXR", &StoreExclusive, TimingClass.Exclusive),
        new("1x001000_000xxxxx_1xxxxxxx_xxxxxxxx", "STLXR", &StoreExclusive, TimingClass.Exclusive),
        new("1x001000_010xxxxx_0xxxxxxx_xxxxxxxx", "LDXR", &LoadExclusive, TimingClass.Exclusive),
        new("1x001000_010xxxxx_1xxxxxxx_xxxxxxxx", "LDAXR", &LoadExclusive, TimingClass.Exclusive),

        new("1x001000_001xxxxx_0xxxxxxx_xxxxxxxx", "STXP", &StoreExclusivePair, TimingClass.Exclusive),
        new("1x001000_001xxxxx_1xxxxxxx_xxxxxxxx", "STLXP", &StoreExclusivePair, TimingClass.Exclusive),
        new("1x001000_011xxxxx_0xxxxxxx_xxxxxxxx", "LDXP", &LoadExclusivePair, TimingClass.Exclusive),
        new("1x001000_011xxxxx_1xxxxxxx_xxxxxxxx", "LDAXP", &LoadExclusivePair, TimingClass.Exclusive),

        new("00001000_100xxxxx_1xxxxxxx_xxxxxxxx", "STLRB", &StoreRelease, TimingClass.Store),
        new("01001000_100xxxxx_1xxxxxxx_xxxxxxxx", "STLRH", &StoreRelease, TimingClass.Store),
        new("1x001000_100xxxxx_1xxxxxxx_xxxxxxxx", "STLR", &StoreRelease, TimingClass.Store),
        new("00001000_110xxxxx_1xxxxxxx_xxxxxxxx", "LDARB", &LoadAcquire, TimingClass.Load),
        new("01001000_110xxxxx_1xxxxxxx_xxxxxxxx", "LDARH", &LoadAcquire, TimingClass.Load),
        new("1x001000_110xxxxx_1xxxxxxx_xxxxxxxx", "LDAR", &LoadAcquire, TimingClass.Load),
    ];

    // One core, in order: acquire/release ordering has no visible effect beyond the alignment rule.

    private static void LoadAcquire(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        if (!cpu.TryRead(address, 1 << (int)(i.Raw >> 30), out ulong value, AccessFlags.MustBeAligned)) return;
        cpu.SetX(i.Rt, value);
    }

    private static void StoreRelease(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        cpu.TryWrite(address, 1 << (int)(i.Raw >> 30), cpu.Xr(i.Rt), AccessFlags.MustBeAligned);
    }

    /// <summary>LDXR/LDAXR (all sizes): load, then mark the address in the local monitor.</summary>
    private static void LoadExclusive(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        int size = 1 << (int)(i.Raw >> 30);
        if (!cpu.TryRead(address, size, out ulong value, AccessFlags.MustBeAligned)) return;
        cpu.Exclusive.Mark(address, size);
        cpu.SetX(i.Rt, value);
    }

    /// <summary>
    /// STXR/STLXR: AArch64.ExclusiveMonitorsPass checks alignment first (an alignment fault even when the
    /// monitor would fail; QEMU 7.2 instead fails silently there), then the monitor; only a passing store
    /// accesses memory, so only it can take a translation or external abort, after which the monitor is left
    /// as it was. Otherwise Ws = 0 (stored) or 1 (not stored) and the monitor is cleared either way.
    /// Ws == Rt or Rn (CONSTRAINED UNPREDICTABLE): the original Rt is stored at the original address and
    /// Ws is written last, as QEMU 7.2 gen_store_exclusive.
    /// </summary>
    private static void StoreExclusive(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        int size = 1 << (int)(i.Raw >> 30);
        if ((address & (ulong)(size - 1)) != 0) { AlignmentFault(cpu, address, write: true); return; }
        uint status = 1;
        if (cpu.Exclusive.IsExclusive(address, size))
        {
            if (!cpu.TryWrite(address, size, cpu.Xr(i.Rt), AccessFlags.MustBeAligned)) return;
            status = 0;
        }
        cpu.Exclusive.Clear();
        cpu.SetW(i.Rm, status);
    }

    /// <summary>
    /// LDXP/LDAXP: the 32-bit pair is one 8-byte single-copy-atomic access; the 64-bit pair is two 8-byte
    /// accesses that must together be 16-byte aligned (Arm ARM C6.2 LDXP). Rt == Rt2 (CONSTRAINED
    /// UNPREDICTABLE): the register ends with the second element, as QEMU 7.2 gen_load_exclusive.
    /// </summary>
    private static void LoadExclusivePair(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        ulong first, second;
        int size;
        if ((i.Raw >> 30) == 0b10)
        {
            size = 8;
            if (!cpu.TryRead(address, 8, out ulong both, AccessFlags.MustBeAligned)) return;
            first = (uint)both;
            second = both >> 32;
        }
        else
        {
            size = 16;
            if ((address & 15) != 0) { AlignmentFault(cpu, address, write: false); return; }
            if (!cpu.TryRead(address, 8, out first, AccessFlags.MustBeAligned)) return;
            if (!cpu.TryRead(address + 8, 8, out second, AccessFlags.MustBeAligned)) return;
        }
        cpu.Exclusive.Mark(address, size);
        cpu.SetX(i.Rt, first);
        cpu.SetX(i.Rt2, second);
    }

    /// <summary>STXP/STLXP: as <see cref="StoreExclusive"/> for an 8-byte (32-bit pair) or 16-byte (64-bit pair) access.</summary>
    private static void StoreExclusivePair(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        bool wide = (i.Raw >> 30) == 0b11;
        int size = wide ? 16 : 8;
        if ((address & (ulong)(size - 1)) != 0) { AlignmentFault(cpu, address, write: true); return; }
        uint status = 1;
        if (cpu.Exclusive.IsExclusive(address, size))
        {
            bool stored = wide
                ? cpu.TryWrite(address, 8, cpu.Xr(i.Rt), AccessFlags.MustBeAligned)
                  && cpu.TryWrite(address + 8, 8, cpu.Xr(i.Rt2), AccessFlags.MustBeAligned)
                : cpu.TryWrite(address, 8, cpu.Wr(i.Rt) | (ulong)cpu.Wr(i.Rt2) << 32, AccessFlags.MustBeAligned);
            if (!stored) return;
            status = 0;
        }
        cpu.Exclusive.Clear();
        cpu.SetW(i.Rm, status);
    }
}
