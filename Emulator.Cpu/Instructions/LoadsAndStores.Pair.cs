using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Load/store register pair (Arm ARM C4.1.4): opc 101 0 idx L imm7 Rt2 Rn Rt; idx 000 no-allocate
/// (LDNP/STNP), 001 post-index, 010 signed offset, 011 pre-index. opc 00 = 32-bit, 10 = 64-bit,
/// 01 = LDPSW (loads only; STGP and LDNP/STNP with opc 01 are not Armv8.0), 11 unallocated.
/// The offset is imm7 scaled by the element size.
/// </summary>
internal static unsafe partial class LoadsAndStores
{
    private static EncodingRow[] PairRows =>
    [
        new("x0101000_00xxxxxx_xxxxxxxx_xxxxxxxx", "STNP", &StorePairOffset, TimingClass.StorePair, PreparePair),
        new("x0101000_01xxxxxx_xxxxxxxx_xxxxxxxx", "LDNP", &LoadPairOffset, TimingClass.LoadPair, PreparePair),
        new("x0101000_10xxxxxx_xxxxxxxx_xxxxxxxx", "STP", &StorePairPostIndex, TimingClass.StorePair, PreparePair),
        new("x0101000_11xxxxxx_xxxxxxxx_xxxxxxxx", "LDP", &LoadPairPostIndex, TimingClass.LoadPair, PreparePair),
        new("x0101001_00xxxxxx_xxxxxxxx_xxxxxxxx", "STP", &StorePairOffset, TimingClass.StorePair, PreparePair),
        new("x0101001_01xxxxxx_xxxxxxxx_xxxxxxxx", "LDP", &LoadPairOffset, TimingClass.LoadPair, PreparePair),
        new("x0101001_10xxxxxx_xxxxxxxx_xxxxxxxx", "STP", &StorePairPreIndex, TimingClass.StorePair, PreparePair),
        new("x0101001_11xxxxxx_xxxxxxxx_xxxxxxxx", "LDP", &LoadPairPreIndex, TimingClass.LoadPair, PreparePair),
        new("01101000_11xxxxxx_xxxxxxxx_xxxxxxxx", "LDPSW", &LoadPairPostIndex, TimingClass.LoadPair, PreparePair),
        new("01101001_01xxxxxx_xxxxxxxx_xxxxxxxx", "LDPSW", &LoadPairOffset, TimingClass.LoadPair, PreparePair),
        new("01101001_11xxxxxx_xxxxxxxx_xxxxxxxx", "LDPSW", &LoadPairPreIndex, TimingClass.LoadPair, PreparePair),
    ];

    /// <summary>imm7 [21:15] scaled by the element size: 8 bytes when opc&lt;1&gt; (bit 31), else 4.</summary>
    private static bool PreparePair(uint raw, ref DecodedInst i)
    {
        i.Imm = SignExtend((raw >> 15) & 0x7F, 7) << (2 + (int)(raw >> 31));
        return true;
    }

    /// <summary>
    /// Loads both elements before writing either register, so a fault on the second leaves Rt unchanged.
    /// Rt == Rt2 (CONSTRAINED UNPREDICTABLE): the register ends with the first element, as QEMU 7.2
    /// disas_ldst_pair (Rt2 is written by the second load, Rt afterwards from a temporary).
    /// </summary>
    private static bool LoadPair(Cpu cpu, ref DecodedInst i, ulong address)
    {
        uint opc = i.Raw >> 30;
        int size = opc == 0b10 ? 8 : 4;
        if (!cpu.TryRead(address, size, out ulong first)) return false;
        if (!cpu.TryRead(address + (ulong)size, size, out ulong second)) return false;
        if (opc == 0b01)
        {
            first = SignExtend(first, 32);
            second = SignExtend(second, 32);
        }
        cpu.SetX(i.Rt2, second);
        cpu.SetX(i.Rt, first);
        return true;
    }

    /// <summary>Stores Rt then Rt2; with Rt or Rt2 == Rn and writeback the original value is stored (as QEMU 7.2).</summary>
    private static bool StorePair(Cpu cpu, ref DecodedInst i, ulong address)
    {
        int size = (i.Raw >> 31) != 0 ? 8 : 4;
        return cpu.TryWrite(address, size, cpu.Xr(i.Rt))
            && cpu.TryWrite(address + (ulong)size, size, cpu.Xr(i.Rt2));
    }

    // Writeback last: Rn == Rt/Rt2 with writeback (CONSTRAINED UNPREDICTABLE) ends with Rn = the new
    // address, as in QEMU 7.2 where the writeback follows the loads.

    private static void LoadPairPostIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        if (!LoadPair(cpu, ref i, address)) return;
        cpu.SetXSp(i.Rn, address + i.Imm);
    }

    private static void LoadPairPreIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        address += i.Imm;
        if (!LoadPair(cpu, ref i, address)) return;
        cpu.SetXSp(i.Rn, address);
    }

    private static void LoadPairOffset(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        LoadPair(cpu, ref i, address + i.Imm);
    }

    private static void StorePairPostIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        if (!StorePair(cpu, ref i, address)) return;
        cpu.SetXSp(i.Rn, address + i.Imm);
    }

    private static void StorePairPreIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        address += i.Imm;
        if (!StorePair(cpu, ref i, address)) return;
        cpu.SetXSp(i.Rn, address);
    }

    private static void StorePairOffset(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        StorePair(cpu, ref i, address + i.Imm);
    }
}
