using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Advanced SIMD vector x indexed element (0 Q U 01111 size L M Rm opcode H 0 Rn Rd) and scalar x indexed element
/// (01 U 11111 ...), the integer opcodes. size 01: index H:L:M, Rm in V0-V15; size 10: index H:L, Rm = M:Rm; other
/// sizes reserved. The operations are those of three same (MUL, MLA, MLS, SQDMULH, SQRDMULH) and of three different
/// (the long forms), with Vm's one element for every lane.
/// </summary>
internal static unsafe partial class AdvancedSimd
{
    // (U, opcode, name, the three same or three different operation, long, has a scalar form)
    private static readonly (int U, int Opcode, string Name, int Op, bool Long, bool Scalar)[] ByElementOps =
    [
        (0, 0b1000, "MUL (by element)", 0b10011, false, false), (1, 0b0000, "MLA (by element)", 0b10010, false, false),
        (1, 0b0100, "MLS (by element)", 1 << 5 | 0b10010, false, false),
        (0, 0b1100, "SQDMULH (by element)", 0b10110, false, true), (0, 0b1101, "SQRDMULH (by element)", 1 << 5 | 0b10110, false, true),
        (0, 0b0010, "SMLAL (by element)", 0b1000, true, false), (1, 0b0010, "UMLAL (by element)", 1 << 5 | 0b1000, true, false),
        (0, 0b0110, "SMLSL (by element)", 0b1010, true, false), (1, 0b0110, "UMLSL (by element)", 1 << 5 | 0b1010, true, false),
        (0, 0b1010, "SMULL (by element)", 0b1100, true, false), (1, 0b1010, "UMULL (by element)", 1 << 5 | 0b1100, true, false),
        (0, 0b0011, "SQDMLAL (by element)", 0b1001, true, true), (0, 0b0111, "SQDMLSL (by element)", 0b1011, true, true),
        (0, 0b1011, "SQDMULL (by element)", 0b1101, true, true),
    ];

    private static List<EncodingRow> ByElementRows()
    {
        var rows = new List<EncodingRow>();
        foreach (var (u, opcode, name, op, isLong, scalar) in ByElementOps)
        {
            string tail = $"xxxxxxxx_{Bits(opcode, 4)}x0xx_xxxxxxxx";
            rows.Add(new($"0x{u}01111_{tail}", name, isLong ? &ByElementLong : &ByElementSame, TimingClass.SimdFp, PrepareByElement(op)));
            if (scalar)
                rows.Add(new($"01{u}11111_{tail}", name, isLong ? &ByElementLong : &ByElementSame, TimingClass.SimdFp, PrepareByElement(op)));
        }
        return rows;
    }

    /// <summary>Imm = op | index &lt;&lt; 8 | m &lt;&lt; 16; sizes 00 and 11 are reserved for the integer forms.</summary>
    private static PrepareInst PrepareByElement(int op) => (uint raw, ref DecodedInst i) =>
    {
        uint size = (raw >> 22) & 3, l = (raw >> 21) & 1, mBit = (raw >> 20) & 1, h = (raw >> 11) & 1, rm = (raw >> 16) & 0xF;
        uint index, m;
        if (size == 1) { index = h << 2 | l << 1 | mBit; m = rm; }
        else if (size == 2) { index = h << 1 | l; m = mBit << 4 | rm; }
        else return false;
        i.Imm = (uint)op | index << 8 | m << 16;
        return true;
    };

    private static void ByElementSame(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i), op = (int)(i.Imm & 0xFF);
        bool scalar = (i.Raw & (1u << 28)) != 0;
        int datasize = scalar ? esize : IsQ(ref i) ? 128 : 64;
        ulong element2 = Lane(cpu, (int)(i.Imm >> 16), (int)((i.Imm >> 8) & 7), esize);
        ulong lo = 0, hi = 0;
        bool sat = false;
        for (int e = 0; e < datasize / esize; e++)
            Put(ref lo, ref hi, e, esize, ThreeSameOp(op, Lane(cpu, i.Rn, e, esize), element2, Lane(cpu, i.Rd, e, esize), esize, ref sat));
        Finish(cpu, i.Rd, datasize, lo, hi, sat);
    }

    private static void ByElementLong(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i), op = (int)(i.Imm & 0xFF), opcode = op & 0xF;
        bool u = (op & 0x20) != 0, scalar = (i.Raw & (1u << 28)) != 0;
        int elements = scalar ? 1 : 64 / esize, first = !scalar && IsQ(ref i) ? elements : 0;
        Int128 y = Int(Lane(cpu, (int)(i.Imm >> 16), (int)((i.Imm >> 8) & 7), esize), esize, u);
        ulong lo = 0, hi = 0;
        bool sat = false;
        for (int e = 0; e < elements; e++)
        {
            Int128 x = Int(Lane(cpu, i.Rn, first + e, esize), esize, u);
            Put(ref lo, ref hi, e, 2 * esize, LongOp(opcode, x, y, Lane(cpu, i.Rd, e, 2 * esize), esize, ref sat));
        }
        Finish(cpu, i.Rd, scalar ? 2 * esize : 128, lo, hi, sat);
    }
}
