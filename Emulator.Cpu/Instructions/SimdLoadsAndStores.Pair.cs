using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// LDP/STP/LDNP/STNP (SIMD&amp;FP): opc [31:30] 00 S, 01 D, 10 Q (11 unallocated); idx [24:23] 00 no-allocate
/// offset, 01 post-index, 10 offset, 11 pre-index; imm7 scaled by the register size.
/// </summary>
internal static unsafe partial class SimdLoadsAndStores
{
    private static EncodingRow[] PairRows =>
    [
        new("xx101100_00xxxxxx_xxxxxxxx_xxxxxxxx", "STNP (SIMD&FP)", &StorePairOffset, TimingClass.StorePair, PreparePair),
        new("xx101100_01xxxxxx_xxxxxxxx_xxxxxxxx", "LDNP (SIMD&FP)", &LoadPairOffset, TimingClass.LoadPair, PreparePair),
        new("xx101100_10xxxxxx_xxxxxxxx_xxxxxxxx", "STP (SIMD&FP)", &StorePairPostIndex, TimingClass.StorePair, PreparePair),
        new("xx101100_11xxxxxx_xxxxxxxx_xxxxxxxx", "LDP (SIMD&FP)", &LoadPairPostIndex, TimingClass.LoadPair, PreparePair),
        new("xx101101_00xxxxxx_xxxxxxxx_xxxxxxxx", "STP (SIMD&FP)", &StorePairOffset, TimingClass.StorePair, PreparePair),
        new("xx101101_01xxxxxx_xxxxxxxx_xxxxxxxx", "LDP (SIMD&FP)", &LoadPairOffset, TimingClass.LoadPair, PreparePair),
        new("xx101101_10xxxxxx_xxxxxxxx_xxxxxxxx", "STP (SIMD&FP)", &StorePairPreIndex, TimingClass.StorePair, PreparePair),
        new("xx101101_11xxxxxx_xxxxxxxx_xxxxxxxx", "LDP (SIMD&FP)", &LoadPairPreIndex, TimingClass.LoadPair, PreparePair),
    ];

    private static bool PreparePair(uint raw, ref DecodedInst i)
    {
        if ((raw >> 30) == 3) return false;
        i.Imm = SignExtend((raw >> 15) & 0x7F, 7) << (2 + (int)(raw >> 30));
        return true;
    }

    /// <summary>
    /// Both registers are read before either is written, so a fault on the second leaves Rt unchanged.
    /// Rt == Rt2 (CONSTRAINED UNPREDICTABLE): the register ends with the second element.
    /// </summary>
    private static bool LoadPair(Cpu cpu, ref DecodedInst i, ulong address)
    {
        int scale = 2 + (int)(i.Raw >> 30);
        if (!Read(cpu, address, scale, out ulong lo1, out ulong hi1)) return false;
        if (!Read(cpu, address + (1UL << scale), scale, out ulong lo2, out ulong hi2)) return false;
        SetLoaded(cpu, i.Rt, scale, lo1, hi1);
        SetLoaded(cpu, i.Rt2, scale, lo2, hi2);
        return true;
    }

    private static bool StorePair(Cpu cpu, ref DecodedInst i, ulong address)
    {
        int scale = 2 + (int)(i.Raw >> 30);
        return Write(cpu, address, scale, cpu.Vreg[2 * i.Rt], cpu.Vreg[2 * i.Rt + 1])
            && Write(cpu, address + (1UL << scale), scale, cpu.Vreg[2 * i.Rt2], cpu.Vreg[2 * i.Rt2 + 1]);
    }

    private static void LoadPairOffset(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        LoadPair(cpu, ref i, address + i.Imm);
    }

    private static void StorePairOffset(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        StorePair(cpu, ref i, address + i.Imm);
    }

    private static void LoadPairPostIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        if (LoadPair(cpu, ref i, address)) cpu.SetXSp(i.Rn, address + i.Imm);
    }

    private static void StorePairPostIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        if (StorePair(cpu, ref i, address)) cpu.SetXSp(i.Rn, address + i.Imm);
    }

    private static void LoadPairPreIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        address += i.Imm;
        if (LoadPair(cpu, ref i, address)) cpu.SetXSp(i.Rn, address);
    }

    private static void StorePairPreIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        address += i.Imm;
        if (StorePair(cpu, ref i, address)) cpu.SetXSp(i.Rn, address);
    }
}
