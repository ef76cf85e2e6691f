using System.Numerics;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Advanced SIMD two-register miscellaneous (0 Q U 01110 size 10000 opcode 10 Rn Rd) and its scalar form
/// (01 U 11110 size 10000 opcode 10 Rn Rd), the integer opcodes; the floating-point ones (01100-11111 except
/// URECPE/URSQRTE) are the FP helper's. Imm = U:opcode.
/// </summary>
internal static unsafe partial class AdvancedSimd
{
    private enum MiscKind { Same, Pairwise, Narrow, Shll, Rev }

    private static readonly (int U, int Opcode, string Name, Sizes Vector, Sizes? Scalar, MiscKind Kind)[] TwoRegisterMiscOps =
    [
        (0, 0b00000, "REV64", Sizes.NoD, null, MiscKind.Rev), (1, 0b00000, "REV32", Sizes.BH, null, MiscKind.Rev),
        (0, 0b00001, "REV16", Sizes.B, null, MiscKind.Rev),
        (0, 0b00010, "SADDLP", Sizes.NoD, null, MiscKind.Pairwise), (1, 0b00010, "UADDLP", Sizes.NoD, null, MiscKind.Pairwise),
        (0, 0b00011, "SUQADD", Sizes.All, Sizes.All, MiscKind.Same), (1, 0b00011, "USQADD", Sizes.All, Sizes.All, MiscKind.Same),
        (0, 0b00100, "CLS (vector)", Sizes.NoD, null, MiscKind.Same), (1, 0b00100, "CLZ (vector)", Sizes.NoD, null, MiscKind.Same),
        (0, 0b00101, "CNT", Sizes.B, null, MiscKind.Same),
        (0, 0b00110, "SADALP", Sizes.NoD, null, MiscKind.Pairwise), (1, 0b00110, "UADALP", Sizes.NoD, null, MiscKind.Pairwise),
        (0, 0b00111, "SQABS", Sizes.All, Sizes.All, MiscKind.Same), (1, 0b00111, "SQNEG", Sizes.All, Sizes.All, MiscKind.Same),
        (0, 0b01000, "CMGT (zero)", Sizes.All, Sizes.D, MiscKind.Same), (1, 0b01000, "CMGE (zero)", Sizes.All, Sizes.D, MiscKind.Same),
        (0, 0b01001, "CMEQ (zero)", Sizes.All, Sizes.D, MiscKind.Same), (1, 0b01001, "CMLE (zero)", Sizes.All, Sizes.D, MiscKind.Same),
        (0, 0b01010, "CMLT (zero)", Sizes.All, Sizes.D, MiscKind.Same),
        (0, 0b01011, "ABS", Sizes.All, Sizes.D, MiscKind.Same), (1, 0b01011, "NEG (vector)", Sizes.All, Sizes.D, MiscKind.Same),
        (0, 0b10010, "XTN", Sizes.NoD, null, MiscKind.Narrow), (1, 0b10010, "SQXTUN", Sizes.NoD, Sizes.NoD, MiscKind.Narrow),
        (0, 0b10100, "SQXTN", Sizes.NoD, Sizes.NoD, MiscKind.Narrow), (1, 0b10100, "UQXTN", Sizes.NoD, Sizes.NoD, MiscKind.Narrow),
        (1, 0b10011, "SHLL", Sizes.NoD, null, MiscKind.Shll),
    ];

    private static List<EncodingRow> TwoRegisterMiscRows()
    {
        var rows = new List<EncodingRow>();
        foreach (var (u, opcode, name, vector, scalar, kind) in TwoRegisterMiscOps)
        {
            string tail = $"xx10000{opcode >> 4}_{Bits(opcode & 15, 4)}10xx_xxxxxxxx";
            delegate*<Cpu, ref DecodedInst, void> handler = kind switch
            {
                MiscKind.Pairwise => &PairwiseLong, MiscKind.Narrow => &NarrowVector, MiscKind.Shll => &Shll, MiscKind.Rev => &Reverse, _ => &MiscVector,
            };
            rows.Add(new($"0x{u}01110_{tail}", name, handler, TimingClass.SimdFp, SizePrepare(vector, u << 5 | opcode, scalar: false)));
            if (scalar is { } s)
                rows.Add(new($"01{u}11110_{tail}", name, kind == MiscKind.Narrow ? &NarrowScalar : &MiscScalar, TimingClass.SimdFp, SizePrepare(s, u << 5 | opcode, scalar: true)));
        }
        // NOT (size 00) and RBIT (size 01) share U = 1, opcode 00101.
        rows.Add(new("0x101110_00100000_010110xx_xxxxxxxx", "NOT", &MiscVector, TimingClass.SimdFp, SizePrepare(Sizes.B, 1 << 5 | 0b00101, scalar: false)));
        rows.Add(new("0x101110_01100000_010110xx_xxxxxxxx", "RBIT (vector)", &MiscVector, TimingClass.SimdFp, SizePrepare(Sizes.All, 1 << 6 | 0b00101, scalar: false)));
        // URECPE (U = 0) and URSQRTE (U = 1): opcode 11100 with size = 10 (32-bit elements only).
        rows.Add(new("0x001110_10100001_110010xx_xxxxxxxx", "URECPE", &MiscVector, TimingClass.SimdFp, SizePrepare(Sizes.All, 0b11100, scalar: false)));
        rows.Add(new("0x101110_10100001_110010xx_xxxxxxxx", "URSQRTE", &MiscVector, TimingClass.SimdFp, SizePrepare(Sizes.All, 1 << 5 | 0b11100, scalar: false)));
        return rows;
    }

    private static void MiscVector(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        Misc(cpu, ref i, IsQ(ref i) ? 128 : 64);
    }

    private static void MiscScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        Misc(cpu, ref i, Esize(ref i));
    }

    private static void Misc(Cpu cpu, ref DecodedInst i, int datasize)
    {
        int op = (int)i.Imm;
        int esize = op == 0b1000101 ? 8 : Esize(ref i); // RBIT: bytes (size = 01 names the operation)
        ulong lo = 0, hi = 0;
        bool sat = false;
        for (int e = 0; e < datasize / esize; e++)
            Put(ref lo, ref hi, e, esize, MiscOp(op, Lane(cpu, i.Rn, e, esize), Lane(cpu, i.Rd, e, esize), esize, ref sat));
        Finish(cpu, i.Rd, datasize, lo, hi, sat);
    }

    private static ulong MiscOp(int op, ulong a, ulong d, int esize, ref bool sat)
    {
        long s = SInt(a, esize);
        ulong ones = Mask(esize);
        switch (op)
        {
            case 0b00011: return SignedSat((Int128)SInt(d, esize) + a, esize, ref sat);          // SUQADD: Vn unsigned into signed Vd
            case 0b100011: return UnsignedSat((Int128)d + s, esize, ref sat);                    // USQADD: Vn signed into unsigned Vd
            case 0b00100: return (ulong)(BitOperations.LeadingZeroCount((ulong)(s ^ (s >> 63))) - 1 - (64 - esize)); // CLS
            case 0b100100: return (ulong)(BitOperations.LeadingZeroCount(a) - (64 - esize));    // CLZ
            case 0b00101: return (ulong)BitOperations.PopCount(a);                               // CNT
            case 0b100101: return ~a;                                                            // NOT
            case 0b1000101: return ReverseBits(a, esize);                                        // RBIT
            case 0b00111: return SignedSat(Int128.Abs(s), esize, ref sat);                       // SQABS
            case 0b100111: return SignedSat(-(Int128)s, esize, ref sat);                         // SQNEG
            case 0b01000: return s > 0 ? ones : 0;
            case 0b101000: return s >= 0 ? ones : 0;
            case 0b01001: return s == 0 ? ones : 0;
            case 0b101001: return s <= 0 ? ones : 0;
            case 0b01010: return s < 0 ? ones : 0;
            case 0b01011: return (ulong)(s < 0 ? -s : s);                                        // ABS (wraps at the minimum)
            case 0b101011: return (ulong)-s;                                                     // NEG
            case 0b11100: return (a >> 31) == 0 ? ones : RecipEstimate((a >> 23) & 0x1FF) << 23; // URECPE
            case 0b111100: return (a >> 30) == 0 ? ones : RecipSqrtEstimate((a >> 23) & 0x1FF) << 23; // URSQRTE
        }
        throw new InvalidOperationException($"two-register misc opcode {op:X}");
    }

    private static ulong ReverseBits(ulong a, int esize)
    {
        ulong r = 0;
        for (int b = 0; b < esize; b++) r |= ((a >> b) & 1) << (esize - 1 - b);
        return r;
    }

    /// <summary>RecipEstimate (Armv8.0 UnsignedRecipEstimate): a in [256, 512) is 0.5 &lt;= x &lt; 1 in units of 1/512; 9 result bits.</summary>
    internal static ulong RecipEstimate(ulong a)
    {
        a = a * 2 + 1;
        ulong b = (1UL << 19) / a;
        return ((b + 1) / 2) & 0x1FF;
    }

    /// <summary>RecipSqrtEstimate (Armv8.0): a in [128, 512).</summary>
    internal static ulong RecipSqrtEstimate(ulong a)
    {
        if (a < 256) a = a * 2 + 1;
        else { a = (a >> 1) << 1; a = (a + 1) * 2; }
        ulong b = 512;
        while (a * (b + 1) * (b + 1) < (1UL << 28)) b++;
        return ((b + 1) / 2) & 0x1FF;
    }

    /// <summary>REV16/REV32/REV64: reverse the elements within each 16/32/64-bit container.</summary>
    private static void Reverse(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i), datasize = IsQ(ref i) ? 128 : 64;
        int container = (i.Imm & 0x1F) == 1 ? 16 : (i.Imm & 0x20) != 0 ? 32 : 64;
        int per = container / esize;
        ulong lo = 0, hi = 0;
        for (int e = 0; e < datasize / esize; e++)
        {
            int src = e - e % per + (per - 1 - e % per);
            Put(ref lo, ref hi, e, esize, Lane(cpu, i.Rn, src, esize));
        }
        Finish(cpu, i.Rd, datasize, lo, hi, false);
    }

    /// <summary>SADDLP/UADDLP, SADALP/UADALP: adjacent pairs added into double-width elements (accumulated for ADALP).</summary>
    private static void PairwiseLong(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i), datasize = IsQ(ref i) ? 128 : 64, elements = datasize / (2 * esize);
        bool u = (i.Imm & 0x20) != 0, accumulate = (i.Imm & 0x1F) == 0b00110;
        ulong lo = 0, hi = 0;
        for (int e = 0; e < elements; e++)
        {
            Int128 sum = Int(Lane(cpu, i.Rn, 2 * e, esize), esize, u) + Int(Lane(cpu, i.Rn, 2 * e + 1, esize), esize, u);
            ulong r = (ulong)sum;
            if (accumulate) r += Lane(cpu, i.Rd, e, 2 * esize);
            Put(ref lo, ref hi, e, 2 * esize, r);
        }
        Finish(cpu, i.Rd, datasize, lo, hi, false);
    }

    /// <summary>XTN, SQXTN, UQXTN, SQXTUN: each 2*esize element of Vn narrowed into the lower half (Q = 0) or upper half (the "2" forms).</summary>
    private static void NarrowVector(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i);
        bool sat = false;
        ulong result = 0, ignored = 0;
        for (int e = 0; e < 64 / esize; e++)
            Put(ref result, ref ignored, e, esize, NarrowOp((int)i.Imm, Lane(cpu, i.Rn, e, 2 * esize), esize, ref sat));
        WriteNarrow(cpu, ref i, result, sat);
    }

    private static void NarrowScalar(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i);
        bool sat = false;
        ulong r = NarrowOp((int)i.Imm, Lane(cpu, i.Rn, 0, 2 * esize), esize, ref sat);
        Finish(cpu, i.Rd, esize, r, 0, sat);
    }

    private static ulong NarrowOp(int op, ulong a, int esize, ref bool sat) => op switch
    {
        0b10010 => a & Mask(esize),                                         // XTN
        0b110010 => UnsignedSat(SInt(a, 2 * esize), esize, ref sat),         // SQXTUN
        0b10100 => SignedSat(SInt(a, 2 * esize), esize, ref sat),            // SQXTN
        _ => UnsignedSat(a, esize, ref sat),                                 // UQXTN
    };

    /// <summary>A narrowed 64-bit result: Vd = result (upper half cleared), or the "2" form: Vd's upper half = result, lower kept.</summary>
    private static void WriteNarrow(Cpu cpu, ref DecodedInst i, ulong result, bool sat)
    {
        if (IsQ(ref i)) cpu.Vreg[2 * i.Rd + 1] = result;
        else { cpu.Vreg[2 * i.Rd] = result; cpu.Vreg[2 * i.Rd + 1] = 0; }
        if (sat) SetQc(cpu);
    }

    /// <summary>SHLL/SHLL2: the lower (upper) half's elements widened and shifted left by esize.</summary>
    private static void Shll(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int esize = Esize(ref i), first = IsQ(ref i) ? 64 / esize : 0;
        ulong lo = 0, hi = 0;
        for (int e = 0; e < 64 / esize; e++)
            Put(ref lo, ref hi, e, 2 * esize, Lane(cpu, i.Rn, first + e, esize) << esize);
        Finish(cpu, i.Rd, 128, lo, hi, false);
    }
}
