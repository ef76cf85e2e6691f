using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// LD1-LD4/ST1-ST4 (single structure) and LD1R-LD4R: 0 Q 001101 0 L R 00000 opcode S size Rn Rt, post-index
/// 0 Q 001101 1 L R Rm opcode S size Rn Rt. scale = opcode&lt;2:1&gt;, selem = opcode&lt;0&gt;:R + 1; the lane index
/// is Q:S:size for bytes, Q:S:size&lt;1&gt; for halfwords, Q:S for words, Q for doublewords (scale 2 with
/// size = 01). Scale 3 is the replicate form (loads with S = 0 only; the element size is size).
/// A single-lane load keeps the register's other lanes (V[t] is read and written whole, 128 bits).
/// </summary>
internal static unsafe partial class SimdLoadsAndStores
{
    private static EncodingRow[] SingleStructureRows =>
    [
        new("0x001101_00x00000_xxxxxxxx_xxxxxxxx", "ST1/ST2/ST3/ST4 (single structure)", &StoreSingle, TimingClass.Store, PrepareSingle),
        new("0x001101_01x00000_xxxxxxxx_xxxxxxxx", "LD1/LD2/LD3/LD4/LD1R/LD2R/LD3R/LD4R (single structure)", &LoadSingle, TimingClass.Load, PrepareSingle),
        new("0x001101_10xxxxxx_xxxxxxxx_xxxxxxxx", "ST1/ST2/ST3/ST4 (single structure, post-index)", &StoreSingle, TimingClass.Store, PrepareSingle),
        new("0x001101_11xxxxxx_xxxxxxxx_xxxxxxxx", "LD1/LD2/LD3/LD4/LD1R/LD2R/LD3R/LD4R (single structure, post-index)", &LoadSingle, TimingClass.Load, PrepareSingle),
    ];

    /// <summary>Imm = scale | index &lt;&lt; 4 | selem &lt;&lt; 8 | replicate &lt;&lt; 12; the reserved size/S combinations are rejected.</summary>
    private static bool PrepareSingle(uint raw, ref DecodedInst i)
    {
        uint opcode = (raw >> 13) & 7, size = (raw >> 10) & 3;
        uint q = (raw >> 30) & 1, s = (raw >> 12) & 1, r = (raw >> 21) & 1;
        bool load = (raw & (1u << 22)) != 0;
        int scale = (int)(opcode >> 1), selem = (int)(((opcode & 1) << 1 | r) + 1);
        uint index = 0;
        bool replicate = false;
        switch (scale)
        {
            case 3:
                if (!load || s != 0) return false;
                scale = (int)size;
                replicate = true;
                break;
            case 0:
                index = q << 3 | s << 2 | size;
                break;
            case 1:
                if ((size & 1) != 0) return false;
                index = q << 2 | s << 1 | size >> 1;
                break;
            case 2:
                if ((size & 2) != 0) return false;
                if ((size & 1) == 0) index = q << 1 | s;
                else
                {
                    if (s != 0) return false;
                    index = q;
                    scale = 3;
                }
                break;
        }
        i.Imm = (uint)scale | (ulong)index << 4 | (ulong)(uint)selem << 8 | (replicate ? 1UL << 12 : 0);
        return true;
    }

    private static void LoadSingle(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        int scale = (int)(i.Imm & 0xF), index = (int)((i.Imm >> 4) & 0xF), selem = (int)((i.Imm >> 8) & 0xF);
        bool replicate = (i.Imm & (1UL << 12)) != 0;
        int esize = 8 << scale, ebytes = esize / 8;
        Span<ulong> values = stackalloc ulong[4];
        for (int s = 0; s < selem; s++)
            if (!cpu.TryRead(address + (ulong)(s * ebytes), ebytes, out values[s])) return;
        for (int s = 0; s < selem; s++)
        {
            int t = (i.Rt + s) & 31;
            if (!replicate) { cpu.SetElement(t, index, esize, values[s]); continue; }
            ulong lane = Replicate(values[s], esize);
            cpu.Vreg[2 * t] = lane;
            cpu.Vreg[2 * t + 1] = (i.Raw & (1u << 30)) != 0 ? lane : 0;
        }
        PostIndex(cpu, ref i, address, (ulong)(selem * ebytes));
    }

    private static void StoreSingle(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        int scale = (int)(i.Imm & 0xF), index = (int)((i.Imm >> 4) & 0xF), selem = (int)((i.Imm >> 8) & 0xF);
        int esize = 8 << scale, ebytes = esize / 8;
        for (int s = 0; s < selem; s++)
            if (!cpu.TryWrite(address + (ulong)(s * ebytes), ebytes, cpu.Element((i.Rt + s) & 31, index, esize))) return;
        PostIndex(cpu, ref i, address, (ulong)(selem * ebytes));
    }

    /// <summary>Replicate(element, 64 / esize): the element in every lane of 64 bits.</summary>
    internal static ulong Replicate(ulong element, int esize)
    {
        if (esize == 64) return element;
        element &= (1UL << esize) - 1;
        for (int w = esize; w < 64; w *= 2) element |= element << w;
        return element;
    }
}
