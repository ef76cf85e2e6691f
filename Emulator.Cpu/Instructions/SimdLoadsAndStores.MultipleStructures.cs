using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// LD1-LD4/ST1-ST4 (multiple structures): 0 Q 001100 0 L 000000 opcode size Rn Rt, and the post-index form
/// 0 Q 001100 1 L 0 Rm opcode size Rn Rt (Rm = 31: by the bytes transferred, else by X[m]). opcode gives
/// rpt (registers walked one after another) and selem (elements interleaved per structure):
/// 0000 LD4/ST4, 0010 LD1 x4, 0100 LD3, 0110 LD1 x3, 0111 LD1 x1, 1000 LD2, 1010 LD1 x2.
/// Elements are accessed one by one at their own size (Mem[address + offs, ebytes]), as in the pseudocode.
/// </summary>
internal static unsafe partial class SimdLoadsAndStores
{
    private static EncodingRow[] MultipleStructureRows =>
    [
        new("0x001100_00000000_xxxxxxxx_xxxxxxxx", "ST1/ST2/ST3/ST4 (multiple structures)", &StoreMultiple, TimingClass.Store, PrepareMultiple),
        new("0x001100_01000000_xxxxxxxx_xxxxxxxx", "LD1/LD2/LD3/LD4 (multiple structures)", &LoadMultiple, TimingClass.Load, PrepareMultiple),
        new("0x001100_100xxxxx_xxxxxxxx_xxxxxxxx", "ST1/ST2/ST3/ST4 (multiple structures, post-index)", &StoreMultiple, TimingClass.Store, PrepareMultiple),
        new("0x001100_110xxxxx_xxxxxxxx_xxxxxxxx", "LD1/LD2/LD3/LD4 (multiple structures, post-index)", &LoadMultiple, TimingClass.Load, PrepareMultiple),
    ];

    /// <summary>Imm = rpt | selem &lt;&lt; 8; the unallocated opcodes and size:Q = 110 of LD2-LD4 are rejected.</summary>
    private static bool PrepareMultiple(uint raw, ref DecodedInst i)
    {
        bool q = (raw & (1u << 30)) != 0;
        uint size = (raw >> 10) & 3;
        (int rpt, int selem) = ((raw >> 12) & 0xF) switch
        {
            0b0000 => (1, 4), 0b0010 => (4, 1), 0b0100 => (1, 3), 0b0110 => (3, 1),
            0b0111 => (1, 1), 0b1000 => (1, 2), 0b1010 => (2, 1), _ => (0, 0),
        };
        if (rpt == 0 || (size == 3 && !q && selem != 1)) return false;
        i.Imm = (uint)(rpt | selem << 8);
        return true;
    }

    private static void LoadMultiple(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        int rpt = (int)(i.Imm & 0xFF), selem = (int)(i.Imm >> 8);
        int esize = 8 << (int)((i.Raw >> 10) & 3), ebytes = esize / 8;
        bool q = (i.Raw & (1u << 30)) != 0;
        int elements = (q ? 128 : 64) / esize;
        // The new values of the (up to four, distinct) registers, written only once every access has succeeded.
        Span<ulong> regs = stackalloc ulong[8];
        regs.Clear();
        ulong offs = 0;
        for (int r = 0; r < rpt; r++)
            for (int e = 0; e < elements; e++)
                for (int s = 0; s < selem; s++)
                {
                    if (!cpu.TryRead(address + offs, ebytes, out ulong value)) return;
                    int slot = r + s, bit = e * esize;
                    ref ulong half = ref regs[2 * slot + (bit >> 6)];
                    half |= esize == 64 ? value : value << (bit & 63);
                    offs += (ulong)ebytes;
                }
        for (int slot = 0; slot < rpt * selem; slot++)
        {
            int t = (i.Rt + slot) & 31;
            cpu.Vreg[2 * t] = regs[2 * slot];
            cpu.Vreg[2 * t + 1] = regs[2 * slot + 1]; // 0 for the 64-bit arrangements
        }
        PostIndex(cpu, ref i, address, offs);
    }

    private static void StoreMultiple(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        int rpt = (int)(i.Imm & 0xFF), selem = (int)(i.Imm >> 8);
        int esize = 8 << (int)((i.Raw >> 10) & 3), ebytes = esize / 8;
        bool q = (i.Raw & (1u << 30)) != 0;
        int elements = (q ? 128 : 64) / esize;
        ulong offs = 0;
        for (int r = 0; r < rpt; r++)
            for (int e = 0; e < elements; e++)
                for (int s = 0; s < selem; s++)
                {
                    int t = (i.Rt + r + s) & 31;
                    if (!cpu.TryWrite(address + offs, ebytes, cpu.Element(t, e, esize))) return;
                    offs += (ulong)ebytes;
                }
        PostIndex(cpu, ref i, address, offs);
    }

    /// <summary>The post-index writeback (bit 23): by the bytes transferred when Rm = 31, else by X[m].</summary>
    private static void PostIndex(Cpu cpu, ref DecodedInst i, ulong address, ulong transferred)
    {
        if ((i.Raw & (1u << 23)) == 0) return;
        cpu.SetXSp(i.Rn, address + (i.Rm == 31 ? transferred : cpu.X[i.Rm]));
    }
}
