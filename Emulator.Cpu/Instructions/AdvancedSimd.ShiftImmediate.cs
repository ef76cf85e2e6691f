using System.Numerics;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Advanced SIMD shift by immediate (0 Q U 011110 immh immb opcode 1 Rn Rd, immh != 0) and the scalar form
/// (01 U 111110 immh immb opcode 1 Rn Rd). esize = 8 &lt;&lt; HighestSetBit(immh); a right shift is
/// 2*esize - immh:immb, a left shift immh:immb - esize. The narrowing forms take 2*esize elements (immh = 1xxx
/// reserved), the long forms produce them. SCVTF/UCVTF/FCVTZS/FCVTZU (fixed point) are the FP helper's.
/// </summary>
internal static unsafe partial class AdvancedSimd
{
    private enum ShiftKind { Right, Left, Narrow, Long }

    private static readonly (int U, int Opcode, string Name, ShiftKind Kind, bool Scalar, bool ScalarDOnly)[] ShiftImmediateOps =
    [
        (0, 0b00000, "SSHR", ShiftKind.Right, true, true), (1, 0b00000, "USHR", ShiftKind.Right, true, true),
        (0, 0b00010, "SSRA", ShiftKind.Right, true, true), (1, 0b00010, "USRA", ShiftKind.Right, true, true),
        (0, 0b00100, "SRSHR", ShiftKind.Right, true, true), (1, 0b00100, "URSHR", ShiftKind.Right, true, true),
        (0, 0b00110, "SRSRA", ShiftKind.Right, true, true), (1, 0b00110, "URSRA", ShiftKind.Right, true, true),
        (1, 0b01000, "SRI", ShiftKind.Right, true, true),
        (0, 0b01010, "SHL", ShiftKind.Left, true, true), (1, 0b01010, "SLI", ShiftKind.Left, true, true),
        (1, 0b01100, "SQSHLU", ShiftKind.Left, true, false),
        (0, 0b01110, "SQSHL (immediate)", ShiftKind.Left, true, false), (1, 0b01110, "UQSHL (immediate)", ShiftKind.Left, true, false),
        (0, 0b10000, "SHRN", ShiftKind.Narrow, false, false), (1, 0b10000, "SQSHRUN", ShiftKind.Narrow, true, false),
        (0, 0b10001, "RSHRN", ShiftKind.Narrow, false, false), (1, 0b10001, "SQRSHRUN", ShiftKind.Narrow, true, false),
        (0, 0b10010, "SQSHRN", ShiftKind.Narrow, true, false), (1, 0b10010, "UQSHRN", ShiftKind.Narrow, true, false),
        (0, 0b10011, "SQRSHRN", ShiftKind.Narrow, true, false), (1, 0b10011, "UQRSHRN", ShiftKind.Narrow, true, false),
        (0, 0b10100, "SSHLL", ShiftKind.Long, false, false), (1, 0b10100, "USHLL", ShiftKind.Long, false, false),
    ];

    private static List<EncodingRow> ShiftImmediateRows()
    {
        var rows = new List<EncodingRow>();
        foreach (var (u, opcode, name, kind, scalar, dOnly) in ShiftImmediateOps)
        {
            string tail = $"0xxxxxxx_{Bits(opcode, 5)}1xx_xxxxxxxx";
            delegate*<Cpu, ref DecodedInst, void> vector = kind switch { ShiftKind.Narrow => &ShiftNarrow, ShiftKind.Long => &ShiftLong, _ => &ShiftVector };
            rows.Add(new($"0x{u}01111_{tail}", name, vector, TimingClass.SimdFp, ShiftPrepare(kind, u << 5 | opcode, scalar: false, dOnly)));
            if (scalar)
                rows.Add(new($"01{u}11111_{tail}", name, kind == ShiftKind.Narrow ? &ShiftNarrow : &ShiftScalar, TimingClass.SimdFp,
                    ShiftPrepare(kind, u << 5 | opcode, scalar: true, dOnly)));
        }
        return rows;
    }

    /// <summary>Imm = op | log2(esize / 8) &lt;&lt; 8 | shift &lt;&lt; 16. immh = 0 is another group; 1xxx needs Q = 1 (vector) or is reserved (narrow, long).</summary>
    private static PrepareInst ShiftPrepare(ShiftKind kind, int op, bool scalar, bool dOnly) => (uint raw, ref DecodedInst i) =>
    {
        uint immh = (raw >> 19) & 0xF, immhb = (raw >> 16) & 0x7F;
        if (immh == 0) return false;
        int size = 31 - BitOperations.LeadingZeroCount(immh), esize = 8 << size;
        bool q = (raw & (1u << 30)) != 0;
        if (kind is ShiftKind.Narrow or ShiftKind.Long ? size == 3 : (!scalar && size == 3 && !q) || (scalar && dOnly && size != 3)) return false;
        int shift = kind switch
        {
            ShiftKind.Left or ShiftKind.Long => (int)immhb - esize,
            ShiftKind.Narrow => 2 * esize - (int)immhb,
            _ => 2 * esize - (int)immhb,
        };
        i.Imm = (ulong)(uint)op | (ulong)(uint)size << 8 | (ulong)(uint)shift << 16;
        return true;
    };

    private static void ShiftVector(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        Shift(cpu, ref i, IsQ(ref i) ? 128 : 64);
    }

    private static void ShiftScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        Shift(cpu, ref i, 8 << (int)((i.Imm >> 8) & 3));
    }

    private static void Shift(Cpu cpu, ref DecodedInst i, int datasize)
    {
        int op = (int)(i.Imm & 0xFF), esize = 8 << (int)((i.Imm >> 8) & 3), shift = (int)(i.Imm >> 16);
        bool u = (op & 0x20) != 0;
        ulong lo = 0, hi = 0;
        bool sat = false;
        for (int e = 0; e < datasize / esize; e++)
        {
            ulong a = Lane(cpu, i.Rn, e, esize), d = Lane(cpu, i.Rd, e, esize), r;
            Int128 x = Int(a, esize, u);
            switch (op & 0x1F)
            {
                case 0b00000: r = (ulong)(x >> shift); break;
                case 0b00010: r = d + (ulong)(x >> shift); break;
                case 0b00100: r = (ulong)((x + (Int128.One << (shift - 1))) >> shift); break;
                case 0b00110: r = d + (ulong)((x + (Int128.One << (shift - 1))) >> shift); break;
                case 0b01000: // SRI: shift = esize leaves Vd as it is
                {
                    ulong mask = shift == esize ? 0 : Mask(esize) >> shift;
                    r = (d & ~mask) | (shift == esize ? 0 : a >> shift);
                    break;
                }
                case 0b01010:
                    r = u ? (d & ~(Mask(esize) << shift)) | (a << shift) : a << shift; // SLI / SHL
                    break;
                case 0b01100: r = UnsignedSat(SInt(a, esize) * (Int128.One << shift), esize, ref sat); break; // SQSHLU
                default: r = Sat(x << shift, esize, u, ref sat); break;                                        // SQSHL/UQSHL
            }
            Put(ref lo, ref hi, e, esize, r);
        }
        Finish(cpu, i.Rd, datasize, lo, hi, sat);
    }

    /// <summary>SHRN, RSHRN, SQSHRN, UQSHRN, SQRSHRN, UQRSHRN, SQSHRUN, SQRSHRUN (vector with the "2" forms, and scalar).</summary>
    private static void ShiftNarrow(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int op = (int)(i.Imm & 0xFF), esize = 8 << (int)((i.Imm >> 8) & 3), shift = (int)(i.Imm >> 16);
        bool scalar = (i.Raw & (1u << 28)) != 0;
        int opcode = op & 0x1F;
        bool round = (opcode & 1) != 0;
        // Source signedness: SHRN/RSHRN do not care; SQSHRUN/SQRSHRUN and SQ* are signed; UQ* unsigned.
        bool unsignedSource = op is 0b110010 or 0b110011;
        int elements = scalar ? 1 : 64 / esize;
        ulong result = 0, ignored = 0;
        bool sat = false;
        for (int e = 0; e < elements; e++)
        {
            Int128 x = Int(Lane(cpu, i.Rn, e, 2 * esize), 2 * esize, unsignedSource || op is 0b10000 or 0b10001);
            if (round) x += Int128.One << (shift - 1);
            x >>= shift;
            ulong r = op switch
            {
                0b10000 or 0b10001 => (ulong)x,
                0b110000 or 0b110001 => UnsignedSat(x, esize, ref sat),
                0b10010 or 0b10011 => SignedSat(x, esize, ref sat),
                _ => UnsignedSat(x, esize, ref sat),
            };
            Put(ref result, ref ignored, e, esize, r);
        }
        if (scalar) Finish(cpu, i.Rd, esize, result, 0, sat);
        else WriteNarrow(cpu, ref i, result, sat);
    }

    /// <summary>SSHLL/USHLL(2): the lower (upper) half's elements widened and shifted left.</summary>
    private static void ShiftLong(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int op = (int)(i.Imm & 0xFF), esize = 8 << (int)((i.Imm >> 8) & 3), shift = (int)(i.Imm >> 16);
        bool u = (op & 0x20) != 0;
        int first = IsQ(ref i) ? 64 / esize : 0;
        ulong lo = 0, hi = 0;
        for (int e = 0; e < 64 / esize; e++)
            Put(ref lo, ref hi, e, 2 * esize, (ulong)(Int(Lane(cpu, i.Rn, first + e, esize), esize, u) << shift));
        Finish(cpu, i.Rd, 128, lo, hi, false);
    }
}
