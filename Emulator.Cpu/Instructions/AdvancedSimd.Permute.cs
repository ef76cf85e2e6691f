using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Advanced SIMD permute (UZP1/2, TRN1/2, ZIP1/2: 0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd), extract (EXT:
/// 0 Q 101110 000 Rm 0 imm4 0 Rn Rd) and table lookup (TBL/TBX: 0 Q 001110 000 Rm 0 len op 00 Rn Rd).
/// </summary>
internal static unsafe partial class AdvancedSimd
{
    private static EncodingRow[] PermuteRows =>
    [
        new("0x001110_xx0xxxxx_000110xx_xxxxxxxx", "UZP1", &Permute, TimingClass.SimdFp, PreparePermute),
        new("0x001110_xx0xxxxx_001010xx_xxxxxxxx", "TRN1", &Permute, TimingClass.SimdFp, PreparePermute),
        new("0x001110_xx0xxxxx_001110xx_xxxxxxxx", "ZIP1", &Permute, TimingClass.SimdFp, PreparePermute),
        new("0x001110_xx0xxxxx_010110xx_xxxxxxxx", "UZP2", &Permute, TimingClass.SimdFp, PreparePermute),
        new("0x001110_xx0xxxxx_011010xx_xxxxxxxx", "TRN2", &Permute, TimingClass.SimdFp, PreparePermute),
        new("0x001110_xx0xxxxx_011110xx_xxxxxxxx", "ZIP2", &Permute, TimingClass.SimdFp, PreparePermute),
        new("0x101110_000xxxxx_0xxxx0xx_xxxxxxxx", "EXT", &Ext, TimingClass.SimdFp, PrepareExt),
        new("0x001110_000xxxxx_0xx000xx_xxxxxxxx", "TBL", &TableLookup, TimingClass.SimdFp),
        new("0x001110_000xxxxx_0xx100xx_xxxxxxxx", "TBX", &TableLookup, TimingClass.SimdFp),
    ];

    private static bool PreparePermute(uint raw, ref DecodedInst i) => SizeAllowed(raw, Sizes.All, scalar: false);

    /// <summary>EXT with Q = 0 takes imm4 &lt; 8.</summary>
    private static bool PrepareExt(uint raw, ref DecodedInst i) => (raw & (1u << 30)) != 0 || (raw & (1u << 14)) == 0;

    private static void Permute(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i), datasize = IsQ(ref i) ? 128 : 64, elements = datasize / esize, pairs = elements / 2;
        uint opcode = (i.Raw >> 12) & 7;
        int part = (int)(opcode >> 2);
        ulong lo = 0, hi = 0;
        for (int e = 0; e < elements; e++)
        {
            ulong r = (opcode & 3) switch
            {
                // UZP: the even (odd) elements of Vm:Vn
                1 => 2 * e + part < elements ? Lane(cpu, i.Rn, 2 * e + part, esize) : Lane(cpu, i.Rm, 2 * e + part - elements, esize),
                // TRN: Vn's and Vm's even (odd) elements interleaved
                2 => Lane(cpu, (e & 1) == 0 ? i.Rn : i.Rm, (e & ~1) + part, esize),
                // ZIP: the lower (upper) halves of Vn and Vm interleaved
                _ => Lane(cpu, (e & 1) == 0 ? i.Rn : i.Rm, part * pairs + e / 2, esize),
            };
            Put(ref lo, ref hi, e, esize, r);
        }
        Finish(cpu, i.Rd, datasize, lo, hi, false);
    }

    /// <summary>EXT: bytes imm4 onward of Vm:Vn (Vn lowest).</summary>
    private static void Ext(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int datasize = IsQ(ref i) ? 128 : 64, bytes = datasize / 8, position = (int)((i.Raw >> 11) & 0xF);
        ulong lo = 0, hi = 0;
        for (int e = 0; e < bytes; e++)
        {
            int k = position + e;
            Put(ref lo, ref hi, e, 8, k < bytes ? Lane(cpu, i.Rn, k, 8) : Lane(cpu, i.Rm, k - bytes, 8));
        }
        Finish(cpu, i.Rd, datasize, lo, hi, false);
    }

    /// <summary>TBL/TBX: each byte of Vm indexes the table Vn..Vn+len (mod 32); out of range gives 0 (TBL) or keeps Vd's byte (TBX).</summary>
    private static void TableLookup(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int datasize = IsQ(ref i) ? 128 : 64, regs = (int)((i.Raw >> 13) & 3) + 1;
        bool tbx = (i.Raw & (1u << 12)) != 0;
        ulong lo = 0, hi = 0;
        for (int e = 0; e < datasize / 8; e++)
        {
            int index = (int)Lane(cpu, i.Rm, e, 8);
            ulong r = index < 16 * regs ? Lane(cpu, (i.Rn + index / 16) & 31, index % 16, 8) : tbx ? Lane(cpu, i.Rd, e, 8) : 0;
            Put(ref lo, ref hi, e, 8, r);
        }
        Finish(cpu, i.Rd, datasize, lo, hi, false);
    }
}
