using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Advanced SIMD three different (0 Q U 01110 size 1 Rm opcode 00 Rn Rd) and scalar three different
/// (01 U 11110 size 1 Rm opcode 00 Rn Rd: SQDMLAL, SQDMLSL, SQDMULL). Long forms take the lower (Q = 0) or upper
/// (the "2" forms) half of Vn and Vm and produce 2*esize elements; wide forms take all of Vn at 2*esize; the
/// high-narrowing forms (ADDHN, SUBHN and their rounding forms) keep the upper half of each 2*esize result.
/// PMULL with size = 11 is the 64 x 64 -&gt; 128-bit carry-less product of the crypto extension.
/// </summary>
internal static unsafe partial class AdvancedSimd
{
    private static readonly (int U, int Opcode, string Name, Sizes Sizes)[] ThreeDifferentOps =
    [
        (0, 0b0000, "SADDL", Sizes.NoD), (1, 0b0000, "UADDL", Sizes.NoD), (0, 0b0001, "SADDW", Sizes.NoD), (1, 0b0001, "UADDW", Sizes.NoD),
        (0, 0b0010, "SSUBL", Sizes.NoD), (1, 0b0010, "USUBL", Sizes.NoD), (0, 0b0011, "SSUBW", Sizes.NoD), (1, 0b0011, "USUBW", Sizes.NoD),
        (0, 0b0100, "ADDHN", Sizes.NoD), (1, 0b0100, "RADDHN", Sizes.NoD), (0, 0b0101, "SABAL", Sizes.NoD), (1, 0b0101, "UABAL", Sizes.NoD),
        (0, 0b0110, "SUBHN", Sizes.NoD), (1, 0b0110, "RSUBHN", Sizes.NoD), (0, 0b0111, "SABDL", Sizes.NoD), (1, 0b0111, "UABDL", Sizes.NoD),
        (0, 0b1000, "SMLAL (vector)", Sizes.NoD), (1, 0b1000, "UMLAL (vector)", Sizes.NoD), (0, 0b1001, "SQDMLAL (vector)", Sizes.HS),
        (0, 0b1010, "SMLSL (vector)", Sizes.NoD), (1, 0b1010, "UMLSL (vector)", Sizes.NoD), (0, 0b1011, "SQDMLSL (vector)", Sizes.HS),
        (0, 0b1100, "SMULL (vector)", Sizes.NoD), (1, 0b1100, "UMULL (vector)", Sizes.NoD), (0, 0b1101, "SQDMULL (vector)", Sizes.HS),
    ];

    private static List<EncodingRow> ThreeDifferentRows()
    {
        var rows = new List<EncodingRow>();
        foreach (var (u, opcode, name, sizes) in ThreeDifferentOps)
        {
            bool narrow = opcode is 0b0100 or 0b0110;
            rows.Add(new($"0x{u}01110_xx1xxxxx_{Bits(opcode, 4)}00xx_xxxxxxxx", name, narrow ? &HighNarrow : &LongVector, TimingClass.SimdFp,
                SizePrepare(sizes, u << 5 | opcode, scalar: false)));
            if (sizes == Sizes.HS)
                rows.Add(new($"01011110_xx1xxxxx_{Bits(opcode, 4)}00xx_xxxxxxxx", name.Replace("vector", "scalar"), &LongScalar, TimingClass.SimdFp,
                    SizePrepare(sizes, opcode, scalar: true)));
        }
        // PMULL/PMULL2: 8 x 8 -> 16 (size 00) and, with the crypto extension, 64 x 64 -> 128 (size 11).
        rows.Add(new("0x001110_xx1xxxxx_111000xx_xxxxxxxx", "PMULL", &Pmull, TimingClass.SimdFp,
            (uint raw, ref DecodedInst i) => ((raw >> 22) & 3) is 0 or 3));
        return rows;
    }

    /// <summary>The 2*esize result of a long operation on x, y (already Int() of the right width) with accumulator d.</summary>
    private static ulong LongOp(int opcode, Int128 x, Int128 y, ulong d, int esize, ref bool sat)
    {
        int wide = 2 * esize;
        switch (opcode)
        {
            case 0b0000: case 0b0001: return (ulong)(x + y);
            case 0b0010: case 0b0011: return (ulong)(x - y);
            case 0b0101: return d + (ulong)Int128.Abs(x - y);
            case 0b0111: return (ulong)Int128.Abs(x - y);
            case 0b1000: return d + (ulong)(x * y);
            case 0b1010: return d - (ulong)(x * y);
            case 0b1100: return (ulong)(x * y);
            case 0b1101: return SignedSat(2 * x * y, wide, ref sat);
            case 0b1001: case 0b1011:
            {
                Int128 product = SInt(SignedSat(2 * x * y, wide, ref sat), wide);
                Int128 acc = SInt(d, wide);
                return SignedSat(opcode == 0b1001 ? acc + product : acc - product, wide, ref sat);
            }
        }
        throw new InvalidOperationException($"three different opcode {opcode:X}");
    }

    private static void LongVector(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i), elements = 64 / esize, first = IsQ(ref i) ? elements : 0;
        int op = (int)i.Imm, opcode = op & 0xF;
        bool u = (op & 0x20) != 0, wideN = opcode is 0b0001 or 0b0011;
        ulong lo = 0, hi = 0;
        bool sat = false;
        for (int e = 0; e < elements; e++)
        {
            Int128 x = wideN ? Int(Lane(cpu, i.Rn, e, 2 * esize), 2 * esize, u) : Int(Lane(cpu, i.Rn, first + e, esize), esize, u);
            Int128 y = Int(Lane(cpu, i.Rm, first + e, esize), esize, u);
            Put(ref lo, ref hi, e, 2 * esize, LongOp(opcode, x, y, Lane(cpu, i.Rd, e, 2 * esize), esize, ref sat));
        }
        Finish(cpu, i.Rd, 128, lo, hi, sat);
    }

    private static void LongScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i);
        bool sat = false;
        ulong r = LongOp((int)i.Imm & 0xF, SInt(Lane(cpu, i.Rn, 0, esize), esize), SInt(Lane(cpu, i.Rm, 0, esize), esize),
            Lane(cpu, i.Rd, 0, 2 * esize), esize, ref sat);
        Finish(cpu, i.Rd, 2 * esize, r, 0, sat);
    }

    /// <summary>ADDHN, SUBHN, RADDHN, RSUBHN (and "2"): the upper halves of Vn ± Vm at 2*esize, rounded for U = 1.</summary>
    private static void HighNarrow(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i);
        bool round = (i.Imm & 0x20) != 0, sub = (i.Imm & 0xF) == 0b0110;
        ulong result = 0, ignored = 0;
        for (int e = 0; e < 64 / esize; e++)
        {
            UInt128 n = Lane(cpu, i.Rn, e, 2 * esize), m = Lane(cpu, i.Rm, e, 2 * esize);
            UInt128 r = (sub ? n - m : n + m) + (round ? UInt128.One << (esize - 1) : 0);
            Put(ref result, ref ignored, e, esize, (ulong)(r >> esize));
        }
        WriteNarrow(cpu, ref i, result, false);
    }

    /// <summary>PMULL/PMULL2: carry-less products of the lower (upper) half's elements.</summary>
    private static void Pmull(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int half = IsQ(ref i) ? 1 : 0;
        if (((i.Raw >> 22) & 3) == 3)
        {
            UInt128 p = ClMul64(cpu.Vreg[2 * i.Rn + half], cpu.Vreg[2 * i.Rm + half]);
            cpu.SetQ(i.Rd, p);
            return;
        }
        ulong lo = 0, hi = 0;
        for (int e = 0; e < 8; e++)
            Put(ref lo, ref hi, e, 16, PolynomialMultiply(Lane(cpu, i.Rn, 8 * half + e, 8), Lane(cpu, i.Rm, 8 * half + e, 8), 8));
        Finish(cpu, i.Rd, 128, lo, hi, false);
    }

    internal static UInt128 ClMul64(ulong a, ulong b)
    {
        UInt128 r = 0;
        for (int k = 0; k < 64; k++)
            if (((b >> k) & 1) != 0) r ^= (UInt128)a << k;
        return r;
    }
}
