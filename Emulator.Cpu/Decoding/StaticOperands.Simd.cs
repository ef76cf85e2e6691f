namespace Aegis.Emulator.Cpu.Decoding;

/// <summary>
/// The SIMD&amp;FP encodings' operands (Arm ARM C4.1.4 with V = 1, and C4.1.6): V registers as <see cref="V0"/> + n,
/// the general registers an encoding moves to or from, NZCV for the FP compares and conditional forms. An operand
/// the instruction keeps partly (a lane insert, an accumulator, the upper half of a narrowing "2" form) is a source
/// too. The slots are few: a structure access of four registers records the first ones only.
/// </summary>
public static partial class StaticOperands
{
    private static byte Vr(uint field) => (byte)(V0 + field);

    /// <summary>C4.1.4, V = 1: literal, pairs, single register and the LD1-LD4/ST1-ST4 structure forms.</summary>
    private static void SimdLoadsAndStores(uint raw, ref DecodedInst i)
    {
        uint op = (raw >> 27) & 7; // bits [29:27]
        uint rt = Rd(raw), rt2 = Ra(raw);
        if (op == 0b001) { SimdStructures(raw, ref i); return; }
        if (op == 0b011) // LDR (literal, SIMD&FP): opc 00 S, 01 D, 10 Q
        {
            i.Flags |= InstFlags.Load | ((raw >> 30) != 0 ? InstFlags.Is64 : 0);
            i.Dst0 = Vr(rt);
            return;
        }
        i.Src0 = XSp(Rn(raw));
        if (op == 0b101) // pairs: opc 00 S, 01 D, 10 Q; idx [24:23] 01 post, 11 pre
        {
            bool load = (raw & (1u << 22)) != 0;
            uint idx = (raw >> 23) & 3;
            i.Flags |= InstFlags.Pair | (load ? InstFlags.Load : InstFlags.Store);
            if ((raw >> 30) != 0) i.Flags |= InstFlags.Is64;
            if (idx == 1 || idx == 3) { i.Flags |= InstFlags.Writeback; i.Dst2 = XSp(Rn(raw)); }
            if (load) { i.Dst0 = Vr(rt); i.Dst1 = Vr(rt2); }
            else { i.Src1 = Vr(rt); i.Src2 = Vr(rt2); }
            return;
        }
        if (op != 0b111) return;
        // Single register: opc<0> = load; size 11 (D) or opc<1> = 1 (Q) are the 64-bit-or-wider forms.
        uint size = raw >> 30, opc = (raw >> 22) & 3;
        bool store = (opc & 1) == 0;
        i.Flags |= store ? InstFlags.Store : InstFlags.Load;
        if (size == 3 || (opc & 2) != 0) i.Flags |= InstFlags.Is64;
        if ((raw & (1u << 24)) == 0)
        {
            if ((raw & (1u << 21)) != 0) { i.Flags |= InstFlags.RegisterOffset; i.Src2 = X(Rm(raw)); }
            else if (((raw >> 10) & 1) != 0) { i.Flags |= InstFlags.Writeback; i.Dst2 = XSp(Rn(raw)); }
        }
        if (store) i.Src1 = Vr(rt);
        else i.Dst0 = Vr(rt);
    }

    /// <summary>
    /// LD1-LD4/ST1-ST4 multiple (bit 24 = 0) and single structure (bit 24 = 1), post-index when bit 23 is set
    /// (Rm = 31: by the transfer size, else by X[m]). A single-structure load into one lane keeps the others.
    /// </summary>
    private static void SimdStructures(uint raw, ref DecodedInst i)
    {
        bool load = (raw & (1u << 22)) != 0, single = (raw & (1u << 24)) != 0, post = (raw & (1u << 23)) != 0;
        i.Flags |= load ? InstFlags.Load : InstFlags.Store;
        i.Src0 = XSp(Rn(raw));
        if (post)
        {
            i.Flags |= InstFlags.Writeback;
            i.Dst2 = XSp(Rn(raw));
            if (Rm(raw) != 31) { i.Flags |= InstFlags.RegisterOffset; i.Src1 = X(Rm(raw)); }
        }
        int regs;
        bool replicate = false;
        if (!single)
        {
            regs = ((raw >> 12) & 0xF) switch
            {
                0b0000 or 0b0010 => 4, 0b0100 or 0b0110 => 3, 0b0111 => 1, 0b1000 or 0b1010 => 2, _ => 1,
            };
            if (((raw >> 10) & 3) == 3) i.Flags |= InstFlags.Is64;
        }
        else
        {
            regs = (int)((((raw >> 13) & 1) << 1 | ((raw >> 21) & 1)) + 1);
            replicate = ((raw >> 13) & 7) >= 6;
        }
        uint t = Rd(raw);
        if (load)
        {
            i.Dst0 = Vr(t);
            if (regs > 1) i.Dst1 = Vr((t + 1) & 31);
            if (single && !replicate) i.Src2 = Vr(t); // the other lanes are kept
        }
        else
        {
            i.Src2 = Vr(t);
            if (regs > 1) i.Src3 = Vr((t + 1) & 31);
        }
    }

    /// <summary>C4.1.6: the scalar floating-point and Advanced SIMD data-processing classes.</summary>
    private static void SimdAndFloatingPoint(uint raw, ref DecodedInst i)
    {
        uint d = Rd(raw), n = Rn(raw), m = Rm(raw);
        bool scalarFp = (raw & (1u << 28)) != 0 && (raw & (1u << 30)) == 0;
        if (scalarFp) { ScalarFloatingPoint(raw, ref i); return; }
        // Advanced SIMD and crypto: Vd from Vn (and Vm) by default.
        i.Dst0 = Vr(d);
        i.Src0 = Vr(n);
        bool vector = (raw & (1u << 28)) == 0;
        bool u = (raw & (1u << 29)) != 0, q = (raw & (1u << 30)) != 0;
        uint b24 = (raw >> 24) & 0x1F; // bits [28:24]: 01110 vector, 01111 vector imm/elem, 11110 scalar, 11111 scalar imm/elem
        if ((raw & 0xFF20_0C00) == 0x4E20_0800 && (raw & 0x00FE_0000) == 0x0028_0000) // AES
        {
            if (((raw >> 12) & 0x1F) is 0b00100 or 0b00101) i.Src1 = Vr(d);
            return;
        }
        if ((raw & 0xFF20_8C00) == 0x5E00_0000) { i.Src1 = Vr(m); i.Src2 = Vr(d); return; } // SHA three-register
        if ((raw & 0xFF3E_0C00) == 0x5E28_0800) // SHA two-register: SHA1SU1 and SHA256SU0 accumulate
        {
            if (((raw >> 12) & 0x1F) != 0) i.Src1 = Vr(d);
            return;
        }
        if ((b24 & 0x1E) == 0x0E || b24 == 0x1E) // 0x0E/0x0F ..., scalar 0x1E
        {
            bool bit21 = (raw & (1u << 21)) != 0;
            if ((b24 & 1) == 0 && (raw & 0x00E0_0400) == 0x0000_0400) // copy: op [29], imm4 [14:11]
            {
                uint imm4 = (raw >> 11) & 0xF;
                if (u) { i.Src1 = Vr(d); return; }                       // INS (element)
                if (!vector) return;                                      // DUP (element, scalar)
                switch (imm4)
                {
                    case 0b0001: i.Src0 = X(n); break;                    // DUP (general)
                    case 0b0011: i.Src0 = X(n); i.Src1 = Vr(d); break;    // INS (general)
                    case 0b0101: case 0b0111: i.Dst0 = X(d); break;       // SMOV, UMOV
                }
                return;
            }
            if ((b24 & 1) == 1) // 0x0F: modified immediate, shift by immediate, by element
            {
                if ((raw & 0x0080_0400) == 0x0000_0400)
                {
                    if (((raw >> 19) & 0xF) == 0) // modified immediate: only ORR/BIC (cmode 0xx1, 10x1) keep Vd
                    {
                        uint cmode = (raw >> 12) & 0xF;
                        i.Src0 = None;
                        if ((cmode & 1) == 1 && cmode < 12) i.Src0 = Vr(d);
                        return;
                    }
                    uint opcode5 = (raw >> 11) & 0x1F;
                    bool accumulate = opcode5 is 0b00010 or 0b00110 || (u && opcode5 is 0b01000 or 0b01010)
                        || (q && (opcode5 & 0x1C) == 0b10000);
                    if (accumulate) i.Src1 = Vr(d);
                    return;
                }
                if ((raw & 0x0400) == 0) // by element: Rm is M:Rm for S/D, Rm<3:0> for H
                {
                    uint size = (raw >> 22) & 3;
                    uint mm = size == 1 ? m & 15 : m;
                    i.Src1 = Vr(mm);
                    uint opc = (raw >> 12) & 0xF;
                    // MLA/MLS (U = 1: 0000, 0100), FMLA/FMLS (U = 0: 0001, 0101), [SU]MLAL/[SU]MLSL (x010, x110),
                    // SQDMLAL/SQDMLSL (U = 0: 0011, 0111) add into Vd.
                    bool acc = opc is 0b0010 or 0b0110 || (u ? opc is 0b0000 or 0b0100 : opc is 0b0001 or 0b0101 or 0b0011 or 0b0111);
                    if (acc) i.Src2 = Vr(d);
                    return;
                }
                return;
            }
            if (!bit21)
            {
                // table lookup (TBL/TBX: Vm indices, Vn.. the table), permute, extract: two sources
                i.Src1 = Vr(m);
                if (vector && !u && (raw & 0x0000_8C00) == 0) // table lookup: len [14:13], op [12] = TBX
                {
                    int len = (int)((raw >> 13) & 3);
                    bool tbx = (raw & (1u << 12)) != 0;
                    if (tbx) i.Src2 = Vr(d);
                    else if (len >= 1) i.Src2 = Vr((n + 1) & 31);
                    if (len >= 1 && tbx) i.Src3 = Vr((n + 1) & 31);
                    else if (len >= 2) i.Src3 = Vr((n + 2) & 31);
                }
                return;
            }
            uint bits1110 = (raw >> 10) & 3;
            if ((raw & 0x0400) != 0) // three same
            {
                i.Src1 = Vr(m);
                uint opcode = (raw >> 11) & 0x1F, size = (raw >> 22) & 3;
                bool acc = opcode is 0b10010 or 0b01111 || (u && opcode == 0b00011 && size != 0)
                    || (opcode == 0b11001 && !u); // FMLA/FMLS
                if (acc) i.Src2 = Vr(d);
                return;
            }
            if (bits1110 == 0) // three different
            {
                i.Src1 = Vr(m);
                uint opcode = (raw >> 12) & 0xF;
                bool acc = opcode is 0b0101 or 0b0111 or 0b1000 or 0b1001 or 0b1010 or 0b1011
                    || (q && opcode is 0b0100 or 0b0110);
                if (acc) i.Src2 = Vr(d);
                return;
            }
            if (bits1110 == 2 && ((raw >> 17) & 0xF) == 0b0000) // two-register miscellaneous
            {
                uint opcode = (raw >> 12) & 0x1F;
                bool acc = opcode is 0b00011 or 0b00110 || (q && opcode is 0b10010 or 0b10100 or 0b10110);
                if (acc) i.Src1 = Vr(d);
            }
        }
    }

    /// <summary>C4.1.6 scalar floating point: conversions to and from general registers, compares set NZCV.</summary>
    private static void ScalarFloatingPoint(uint raw, ref DecodedInst i)
    {
        uint d = Rd(raw), n = Rn(raw), m = Rm(raw);
        if ((raw & (1u << 24)) != 0) // 3-source
        {
            i.Dst0 = Vr(d); i.Src0 = Vr(n); i.Src1 = Vr(m); i.Src2 = Vr(Ra(raw));
            return;
        }
        if (Sf(raw)) i.Flags |= InstFlags.Is64;
        uint opcode = (raw >> 16) & 7;
        if ((raw & (1u << 21)) == 0) // fixed-point: 000/001 FCVTZS/U to general, 010/011 S/UCVTF from general
        {
            if (opcode < 2) { i.Dst0 = X(d); i.Src0 = Vr(n); }
            else { i.Dst0 = Vr(d); i.Src0 = X(n); }
            return;
        }
        switch ((raw >> 10) & 3)
        {
            case 0b01: // conditional compare
                i.Src0 = Vr(n); i.Src1 = Vr(m); i.Src2 = Nzcv; i.Dst0 = Nzcv;
                return;
            case 0b10: // 2-source
                i.Dst0 = Vr(d); i.Src0 = Vr(n); i.Src1 = Vr(m);
                return;
            case 0b11: // conditional select
                i.Dst0 = Vr(d); i.Src0 = Vr(n); i.Src1 = Vr(m); i.Src2 = Nzcv;
                return;
        }
        if ((raw & 0xFC00) == 0) // integer conversions: rmode [20:19], opcode [18:16]
        {
            uint rmode = (raw >> 19) & 3;
            switch (opcode)
            {
                case 0b010: case 0b011: i.Dst0 = Vr(d); i.Src0 = X(n); break;               // SCVTF, UCVTF
                case 0b110: i.Dst0 = X(d); i.Src0 = Vr(n); break;                           // FMOV to general
                case 0b111:                                                                 // FMOV from general
                    i.Dst0 = Vr(d); i.Src0 = X(n);
                    if (rmode == 1) i.Src1 = Vr(d); // FMOV Vd.D[1], Xn keeps the low half
                    break;
                default: i.Dst0 = X(d); i.Src0 = Vr(n); break;                              // FCVT[NPMZA][SU]
            }
            return;
        }
        if ((raw & 0x3C00) == 0x2000) // compare: opc<0> [3] compares with zero
        {
            i.Src0 = Vr(n);
            if ((raw & 8) == 0) i.Src1 = Vr(m);
            i.Dst0 = Nzcv;
            return;
        }
        if ((raw & 0x1C00) == 0x1000) { i.Dst0 = Vr(d); return; } // immediate
        i.Dst0 = Vr(d); i.Src0 = Vr(n); // 1-source
    }
}
