using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Advanced SIMD three same (0 Q U 01110 size 1 Rm opcode 1 Rn Rd) and scalar three same (01 U 11110 size 1 Rm
/// opcode 1 Rn Rd), the integer opcodes 00000-10111 (11xxx are floating point, the FP helper's). Imm = U:opcode
/// selects the element operation; the pairwise forms and the logical ones (where size selects the operation)
/// have their own handlers.
/// </summary>
internal static unsafe partial class AdvancedSimd
{
    /// <summary>Which size (and Q) values a row allows: all (size 11 needs Q = 1), no 64-bit elements, H and S only, B only, D only, B and H.</summary>
    private enum Sizes { All, NoD, HS, B, D, BH }

    private static readonly (int U, int Opcode, string Name, Sizes Vector, Sizes? Scalar)[] ThreeSameOps =
    [
        (0, 0b00000, "SHADD", Sizes.NoD, null), (1, 0b00000, "UHADD", Sizes.NoD, null),
        (0, 0b00001, "SQADD", Sizes.All, Sizes.All), (1, 0b00001, "UQADD", Sizes.All, Sizes.All),
        (0, 0b00010, "SRHADD", Sizes.NoD, null), (1, 0b00010, "URHADD", Sizes.NoD, null),
        (0, 0b00100, "SHSUB", Sizes.NoD, null), (1, 0b00100, "UHSUB", Sizes.NoD, null),
        (0, 0b00101, "SQSUB", Sizes.All, Sizes.All), (1, 0b00101, "UQSUB", Sizes.All, Sizes.All),
        (0, 0b00110, "CMGT (register)", Sizes.All, Sizes.D), (1, 0b00110, "CMHI (register)", Sizes.All, Sizes.D),
        (0, 0b00111, "CMGE (register)", Sizes.All, Sizes.D), (1, 0b00111, "CMHS (register)", Sizes.All, Sizes.D),
        (0, 0b01000, "SSHL", Sizes.All, Sizes.D), (1, 0b01000, "USHL", Sizes.All, Sizes.D),
        (0, 0b01001, "SQSHL (register)", Sizes.All, Sizes.All), (1, 0b01001, "UQSHL (register)", Sizes.All, Sizes.All),
        (0, 0b01010, "SRSHL", Sizes.All, Sizes.D), (1, 0b01010, "URSHL", Sizes.All, Sizes.D),
        (0, 0b01011, "SQRSHL", Sizes.All, Sizes.All), (1, 0b01011, "UQRSHL", Sizes.All, Sizes.All),
        (0, 0b01100, "SMAX", Sizes.NoD, null), (1, 0b01100, "UMAX", Sizes.NoD, null),
        (0, 0b01101, "SMIN", Sizes.NoD, null), (1, 0b01101, "UMIN", Sizes.NoD, null),
        (0, 0b01110, "SABD", Sizes.NoD, null), (1, 0b01110, "UABD", Sizes.NoD, null),
        (0, 0b01111, "SABA", Sizes.NoD, null), (1, 0b01111, "UABA", Sizes.NoD, null),
        (0, 0b10000, "ADD (vector)", Sizes.All, Sizes.D), (1, 0b10000, "SUB (vector)", Sizes.All, Sizes.D),
        (0, 0b10001, "CMTST", Sizes.All, Sizes.D), (1, 0b10001, "CMEQ (register)", Sizes.All, Sizes.D),
        (0, 0b10010, "MLA (vector)", Sizes.NoD, null), (1, 0b10010, "MLS (vector)", Sizes.NoD, null),
        (0, 0b10011, "MUL (vector)", Sizes.NoD, null), (1, 0b10011, "PMUL", Sizes.B, null),
        (0, 0b10110, "SQDMULH (vector)", Sizes.HS, Sizes.HS), (1, 0b10110, "SQRDMULH (vector)", Sizes.HS, Sizes.HS),
    ];

    private static readonly (int U, int Opcode, string Name)[] PairwiseOps =
    [
        (0, 0b10100, "SMAXP"), (1, 0b10100, "UMAXP"), (0, 0b10101, "SMINP"), (1, 0b10101, "UMINP"), (0, 0b10111, "ADDP (vector)"),
    ];

    private static readonly string[] LogicalNames = ["AND (vector)", "BIC (vector, register)", "ORR (vector, register)", "ORN (vector)",
        "EOR (vector)", "BSL", "BIT", "BIF"];

    private static List<EncodingRow> ThreeSameRows()
    {
        var rows = new List<EncodingRow>();
        foreach (var (u, opcode, name, vector, scalar) in ThreeSameOps)
        {
            string bits = $"{u}01110_xx1xxxxx_{Bits(opcode, 5)}1xx_xxxxxxxx";
            rows.Add(new($"0x{bits}", name, &ThreeSameVector, TimingClass.SimdFp, SizePrepare(vector, u << 5 | opcode, scalar: false)));
            if (scalar is { } s)
                rows.Add(new($"01{u}11110_xx1xxxxx_{Bits(opcode, 5)}1xx_xxxxxxxx", name, &ThreeSameScalar, TimingClass.SimdFp, SizePrepare(s, u << 5 | opcode, scalar: true)));
        }
        foreach (var (u, opcode, name) in PairwiseOps)
            rows.Add(new($"0x{u}01110_xx1xxxxx_{Bits(opcode, 5)}1xx_xxxxxxxx", name, &PairwiseVector, TimingClass.SimdFp,
                SizePrepare(opcode == 0b10111 ? Sizes.All : Sizes.NoD, u << 5 | opcode, scalar: false)));
        for (int op = 0; op < 8; op++)
            rows.Add(new($"0x{op >> 2}01110_{Bits(op & 3, 2)}1xxxxx_000111xx_xxxxxxxx", LogicalNames[op], &LogicalVector, TimingClass.SimdFp,
                (uint raw, ref DecodedInst i) => { i.Imm = (ulong)(((raw >> 29) & 1) << 2 | ((raw >> 22) & 3)); return true; }));
        return rows;
    }

    internal static string Bits(int value, int width) => Convert.ToString(value, 2).PadLeft(width, '0');

    /// <summary>Imm = the operation; false for the size/Q values the instruction does not allow (Arm ARM: reserved).</summary>
    private static PrepareInst SizePrepare(Sizes sizes, int op, bool scalar) => (uint raw, ref DecodedInst i) =>
    {
        if (!SizeAllowed(raw, sizes, scalar)) return false;
        i.Imm = (ulong)op;
        return true;
    };

    private static bool SizeAllowed(uint raw, Sizes sizes, bool scalar)
    {
        uint size = (raw >> 22) & 3;
        bool q = (raw & (1u << 30)) != 0;
        if (!scalar && sizes is Sizes.All && size == 3 && !q) return false;
        return sizes switch
        {
            Sizes.All => true,
            Sizes.NoD => size != 3,
            Sizes.HS => size is 1 or 2,
            Sizes.B => size == 0,
            Sizes.D => size == 3,
            Sizes.BH => size < 2,
            _ => false,
        };
    }

    private static void ThreeSameVector(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        ThreeSame(cpu, ref i, IsQ(ref i) ? 128 : 64);
    }

    private static void ThreeSameScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        ThreeSame(cpu, ref i, Esize(ref i));
    }

    private static void ThreeSame(Cpu cpu, ref DecodedInst i, int datasize)
    {
        int esize = Esize(ref i), op = (int)i.Imm;
        ulong lo = 0, hi = 0;
        bool sat = false;
        for (int e = 0; e < datasize / esize; e++)
        {
            ulong r = ThreeSameOp(op, Lane(cpu, i.Rn, e, esize), Lane(cpu, i.Rm, e, esize), Lane(cpu, i.Rd, e, esize), esize, ref sat);
            Put(ref lo, ref hi, e, esize, r);
        }
        Finish(cpu, i.Rd, datasize, lo, hi, sat);
    }

    private static ulong ThreeSameOp(int op, ulong a, ulong b, ulong d, int esize, ref bool sat)
    {
        bool u = (op & 0x20) != 0;
        Int128 x = Int(a, esize, u), y = Int(b, esize, u);
        ulong ones = Mask(esize);
        switch (op & 0x1F)
        {
            case 0b00000: return (ulong)((x + y) >> 1);
            case 0b00001: return Sat(x + y, esize, u, ref sat);
            case 0b00010: return (ulong)((x + y + 1) >> 1);
            case 0b00100: return (ulong)((x - y) >> 1);
            case 0b00101: return Sat(x - y, esize, u, ref sat);
            case 0b00110: return x > y ? ones : 0;
            case 0b00111: return x >= y ? ones : 0;
            case 0b01000: return ShiftByRegister(a, b, esize, u, false, false, ref sat);
            case 0b01001: return ShiftByRegister(a, b, esize, u, false, true, ref sat);
            case 0b01010: return ShiftByRegister(a, b, esize, u, true, false, ref sat);
            case 0b01011: return ShiftByRegister(a, b, esize, u, true, true, ref sat);
            case 0b01100: return (ulong)(x > y ? x : y);
            case 0b01101: return (ulong)(x < y ? x : y);
            case 0b01110: return (ulong)Int128.Abs(x - y);
            case 0b01111: return d + (ulong)Int128.Abs(x - y);
            case 0b10000: return u ? a - b : a + b;
            case 0b10001: return u ? (a == b ? ones : 0) : ((a & b) != 0 ? ones : 0);
            case 0b10010: return u ? d - a * b : d + a * b;
            case 0b10011: return u ? PolynomialMultiply(a, b, esize) : a * b;
            case 0b10110:
            {
                Int128 product = 2 * (Int128)SInt(a, esize) * SInt(b, esize);
                if (u) product += Int128.One << (esize - 1);
                return SignedSat(product >> esize, esize, ref sat);
            }
        }
        throw new InvalidOperationException($"three same opcode {op:X}");
    }

    /// <summary>PolynomialMult: the carry-less product of two elements (its low 2*esize bits).</summary>
    internal static ulong PolynomialMultiply(ulong a, ulong b, int esize)
    {
        ulong result = 0;
        for (int k = 0; k < esize; k++)
            if (((b >> k) & 1) != 0) result ^= a << k;
        return result;
    }

    /// <summary>ADDP, SMAXP/UMAXP, SMINP/UMINP: the elements of Vm:Vn (Vn lowest), taken in adjacent pairs.</summary>
    private static void PairwiseVector(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i), datasize = IsQ(ref i) ? 128 : 64, elements = datasize / esize;
        int op = (int)i.Imm;
        bool u = (op & 0x20) != 0;
        ulong lo = 0, hi = 0;
        for (int e = 0; e < elements; e++)
        {
            int src = e < elements / 2 ? i.Rn : i.Rm, k = 2 * (e % (elements / 2));
            ulong a = Lane(cpu, src, k, esize), b = Lane(cpu, src, k + 1, esize);
            Int128 x = Int(a, esize, u), y = Int(b, esize, u);
            ulong r = (op & 0x1F) switch
            {
                0b10100 => (ulong)(x > y ? x : y),
                0b10101 => (ulong)(x < y ? x : y),
                _ => a + b,
            };
            Put(ref lo, ref hi, e, esize, r);
        }
        Finish(cpu, i.Rd, datasize, lo, hi, false);
    }

    /// <summary>AND, BIC, ORR, ORN (U = 0) and EOR, BSL, BIT, BIF (U = 1), selected by size; whole 64-bit halves at a time.</summary>
    private static void LogicalVector(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int halves = IsQ(ref i) ? 2 : 1;
        ulong lo = 0, hi = 0;
        for (int h = 0; h < halves; h++)
        {
            ulong n = cpu.Vreg[2 * i.Rn + h], m = cpu.Vreg[2 * i.Rm + h], d = cpu.Vreg[2 * i.Rd + h];
            ulong r = i.Imm switch
            {
                0 => n & m,
                1 => n & ~m,
                2 => n | m,
                3 => n | ~m,
                4 => n ^ m,
                5 => (d & n) | (~d & m),     // BSL: Vd selects Vn where 1
                6 => (m & n) | (~m & d),     // BIT: Vm selects Vn into Vd
                _ => (~m & n) | (m & d),     // BIF
            };
            if (h == 0) lo = r; else hi = r;
        }
        SetVector(cpu, ref i, i.Rd, lo, hi);
    }
}
