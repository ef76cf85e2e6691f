using System.Runtime.CompilerServices;

namespace Aegis.Emulator.Cpu.Decoding;

/// <summary>What kind of instruction a timing model is looking at, decided once at decode time (gem5 StaticInst flags).</summary>
[Flags]
public enum InstFlags : ushort
{
    None = 0,
    Load = 1 << 0,
    Store = 1 << 1,
    /// <summary>A register pair (LDP/STP/LDXP/STXP): two elements of <see cref="Is64"/> size.</summary>
    Pair = 1 << 2,
    /// <summary>A load whose result is narrowed or sign-extended (byte, halfword, LDRS*): one more cycle on the A53.</summary>
    NarrowOrSigned = 1 << 3,
    /// <summary>64-bit operand size (sf, or a 64-bit element for loads and stores).</summary>
    Is64 = 1 << 4,
    /// <summary>Writes its base register back (pre/post-index).</summary>
    Writeback = 1 << 5,
    /// <summary>A branch: the next PC may differ from PC + 4.</summary>
    Branch = 1 << 6,
    /// <summary>Waits for everything older and lets nothing younger issue with it (barriers, MSR, exception generation, ERET).</summary>
    Serialising = 1 << 7,
    /// <summary>A register-offset load/store (its Rm is a source of the address).</summary>
    RegisterOffset = 1 << 8,
    /// <summary>Exclusive or acquire/release access.</summary>
    Ordered = 1 << 9,
}

/// <summary>
/// The source and destination registers of an encoding (gem5's srcRegIdx/destRegIdx), derived from the A64
/// encoding groups of Arm ARM C4.1 so that every row gets them without repeating them per row. Register ids:
/// 0–30 = X0–X30, <see cref="Sp"/> = SP, <see cref="Nzcv"/> = PSTATE.NZCV, <see cref="V0"/> + n = Vn (the SIMD&amp;FP
/// registers, FPSR's flags folded into the register written), <see cref="None"/> = none (XZR too).
/// </summary>
public static partial class StaticOperands
{
    public const byte Sp = 31, Nzcv = 32, V0 = 33, None = 0xFF;
    /// <summary>Ids 0..Count-1: the registers a scoreboard tracks.</summary>
    public const int Count = 65;

    /// <summary>Fills <see cref="DecodedInst.Src"/>, <see cref="DecodedInst.Dst"/> and <see cref="DecodedInst.Flags"/>.</summary>
    public static void Derive(uint raw, ref DecodedInst i)
    {
        i.Src0 = i.Src1 = i.Src2 = i.Src3 = i.Dst0 = i.Dst1 = i.Dst2 = None;
        i.Flags = InstFlags.None;
        if (i.Row == Decoder.UndefinedRow) { i.Flags = InstFlags.Serialising; return; }
        uint op0 = (raw >> 25) & 0xF;
        if ((op0 & 0b1110) == 0b1000) DataProcessingImmediate(raw, ref i);
        else if ((op0 & 0b1110) == 0b1010) BranchesExceptionsSystem(raw, ref i);
        else if ((op0 & 0b0111) == 0b0101) DataProcessingRegister(raw, ref i);
        else if ((op0 & 0b0101) == 0b0100)
        {
            if ((raw & (1u << 26)) != 0) SimdLoadsAndStores(raw, ref i);
            else LoadsAndStores(raw, ref i);
        }
        else if ((op0 & 0b0111) == 0b0111) SimdAndFloatingPoint(raw, ref i);
    }

    private static byte X(uint field) => field == 31 ? None : (byte)field;
    private static byte XSp(uint field) => (byte)field; // 31 is SP, which is id 31

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Rd(uint raw) => raw & 31;
    private static uint Rn(uint raw) => (raw >> 5) & 31;
    private static uint Rm(uint raw) => (raw >> 16) & 31;
    private static uint Ra(uint raw) => (raw >> 10) & 31;
    private static bool Sf(uint raw) => (raw & 0x8000_0000u) != 0;

    /// <summary>C4.1.2: PC-rel, add/sub, logical, move wide, bitfield, extract.</summary>
    private static void DataProcessingImmediate(uint raw, ref DecodedInst i)
    {
        if (Sf(raw)) i.Flags |= InstFlags.Is64;
        bool s = (raw & (1u << 29)) != 0;
        switch ((raw >> 23) & 7)
        {
            case 0b000: case 0b001: // ADR, ADRP
                i.Dst0 = X(Rd(raw));
                break;
            case 0b010: // add/sub immediate: Rn is SP-capable, Rd too unless flags are set
                i.Src0 = XSp(Rn(raw));
                i.Dst0 = s ? X(Rd(raw)) : XSp(Rd(raw));
                if (s) i.Dst1 = Nzcv;
                break;
            case 0b100: // logical immediate: ANDS (opc 11) sets flags and cannot write SP
                bool ands = ((raw >> 29) & 3) == 3;
                i.Src0 = X(Rn(raw));
                i.Dst0 = ands ? X(Rd(raw)) : XSp(Rd(raw));
                if (ands) i.Dst1 = Nzcv;
                break;
            case 0b101: // move wide: MOVK keeps the other halfwords of Rd
                i.Dst0 = X(Rd(raw));
                if (((raw >> 29) & 3) == 3) i.Src0 = X(Rd(raw));
                break;
            case 0b110: // bitfield: BFM inserts into Rd
                i.Src0 = X(Rn(raw));
                i.Dst0 = X(Rd(raw));
                if (((raw >> 29) & 3) == 1) i.Src1 = X(Rd(raw));
                break;
            case 0b111: // extract
                i.Src0 = X(Rn(raw));
                i.Src1 = X(Rm(raw));
                i.Dst0 = X(Rd(raw));
                break;
        }
    }

    /// <summary>C4.1.5: logical and add/sub (shifted, extended), with carry, conditional, 1-, 2- and 3-source.</summary>
    private static void DataProcessingRegister(uint raw, ref DecodedInst i)
    {
        if (Sf(raw)) i.Flags |= InstFlags.Is64;
        bool s = (raw & (1u << 29)) != 0;
        i.Dst0 = X(Rd(raw));
        i.Src0 = X(Rn(raw));
        if ((raw & (1u << 28)) == 0)
        {
            bool addSub = (raw & (1u << 24)) != 0;
            bool extended = addSub && (raw & (1u << 21)) != 0;
            bool setsFlags = addSub ? s : ((raw >> 29) & 3) == 3;
            i.Src1 = X(Rm(raw));
            if (extended)
            {
                i.Src0 = XSp(Rn(raw));
                if (!s) i.Dst0 = XSp(Rd(raw));
            }
            if (setsFlags) i.Dst1 = Nzcv;
            return;
        }
        if ((raw & (1u << 24)) != 0) // 3-source
        {
            i.Src1 = X(Rm(raw));
            i.Src2 = X(Ra(raw));
            return;
        }
        switch ((raw >> 21) & 7)
        {
            case 0b000: // ADC/SBC(S)
                i.Src1 = X(Rm(raw));
                i.Src2 = Nzcv;
                if (s) i.Dst1 = Nzcv;
                break;
            case 0b010: // CCMN/CCMP: register form reads Rm; writes only the flags
                if ((raw & (1u << 11)) == 0) i.Src1 = X(Rm(raw));
                i.Src2 = Nzcv;
                i.Dst0 = Nzcv;
                break;
            case 0b100: // CSEL family
                i.Src1 = X(Rm(raw));
                i.Src2 = Nzcv;
                break;
            case 0b110: // 2-source (bit 30 = 0) and 1-source (bit 30 = 1)
                if ((raw & (1u << 30)) == 0) i.Src1 = X(Rm(raw));
                break;
        }
    }

    /// <summary>C4.1.4, the general-purpose register forms (V = 0).</summary>
    private static void LoadsAndStores(uint raw, ref DecodedInst i)
    {
        uint op = (raw >> 27) & 7; // bits [29:27]
        uint rt = Rd(raw), rt2 = Ra(raw);
        if (op == 0b001) // exclusive, acquire/release: base SP-capable, Rs status for exclusive stores
        {
            bool load = (raw & (1u << 22)) != 0, pair = (raw & (1u << 21)) != 0, exclusive = (raw & (1u << 23)) == 0;
            i.Flags |= InstFlags.Ordered | (load ? InstFlags.Load : InstFlags.Store);
            if ((raw >> 30) == 3 || (pair && (raw >> 30) == 2)) i.Flags |= InstFlags.Is64;
            if ((raw >> 30) < 2) i.Flags |= InstFlags.NarrowOrSigned;
            if (pair) i.Flags |= InstFlags.Pair;
            i.Src0 = XSp(Rn(raw));
            if (load) { i.Dst0 = X(rt); if (pair) i.Dst1 = X(rt2); }
            else
            {
                i.Src1 = X(rt);
                if (pair) i.Src2 = X(rt2);
                if (exclusive) i.Dst0 = X(Rm(raw));
            }
            return;
        }
        if (op == 0b011) // load register (literal); PRFM has opc 11
        {
            if ((raw >> 30) == 3) { i.Flags |= InstFlags.Load; return; }
            i.Flags |= InstFlags.Load | ((raw >> 30) != 0 ? InstFlags.Is64 : 0) | ((raw >> 30) == 2 ? InstFlags.NarrowOrSigned : 0);
            i.Dst0 = X(rt);
            return;
        }
        i.Src0 = XSp(Rn(raw));
        if (op == 0b101) // pairs: idx [24:23] 01 post, 11 pre
        {
            bool load = (raw & (1u << 22)) != 0;
            uint idx = (raw >> 23) & 3;
            i.Flags |= InstFlags.Pair | (load ? InstFlags.Load : InstFlags.Store);
            if ((raw >> 30) == 2) i.Flags |= InstFlags.Is64;
            if ((raw >> 30) == 1) i.Flags |= InstFlags.NarrowOrSigned; // LDPSW
            if (idx == 1 || idx == 3) { i.Flags |= InstFlags.Writeback; i.Dst2 = XSp(Rn(raw)); }
            if (load) { i.Dst0 = X(rt); i.Dst1 = X(rt2); }
            else { i.Src1 = X(rt); i.Src2 = X(rt2); }
            return;
        }
        if (op != 0b111) return;
        // Single register: size [31:30], opc [23:22]; bit 24 = unsigned offset, else [21] register offset or [11:10] mode.
        uint size = raw >> 30, opc = (raw >> 22) & 3;
        bool store = opc == 0;
        bool prefetch = size == 3 && opc == 2;
        i.Flags |= store ? InstFlags.Store : InstFlags.Load;
        if (size == 3) i.Flags |= InstFlags.Is64;
        if (!store && (size < 2 || opc >= 2)) i.Flags |= InstFlags.NarrowOrSigned;
        if ((raw & (1u << 24)) == 0)
        {
            if ((raw & (1u << 21)) != 0) { i.Flags |= InstFlags.RegisterOffset; i.Src2 = X(Rm(raw)); }
            else if (((raw >> 10) & 1) != 0) { i.Flags |= InstFlags.Writeback; i.Dst2 = XSp(Rn(raw)); }
        }
        if (prefetch) return;
        if (store) i.Src1 = X(rt);
        else i.Dst0 = X(rt);
    }

    /// <summary>C4.1.3: branches, exception generation, hints, barriers, PSTATE and system instructions.</summary>
    private static void BranchesExceptionsSystem(uint raw, ref DecodedInst i)
    {
        if ((raw & 0x7C00_0000) == 0x1400_0000) // B, BL
        {
            i.Flags |= InstFlags.Branch;
            if ((raw >> 31) != 0) i.Dst0 = 30;
            return;
        }
        if ((raw & 0x7E00_0000) == 0x3400_0000 || (raw & 0x7E00_0000) == 0x3600_0000) // CBZ/CBNZ, TBZ/TBNZ
        {
            i.Flags |= InstFlags.Branch;
            i.Src0 = X(Rd(raw));
            return;
        }
        if ((raw & 0xFF00_0010) == 0x5400_0000) // B.cond
        {
            i.Flags |= InstFlags.Branch;
            i.Src0 = Nzcv;
            return;
        }
        if ((raw & 0xFE00_0000) == 0xD600_0000) // unconditional branch (register), ERET
        {
            uint opc = (raw >> 21) & 0xF;
            i.Flags |= InstFlags.Branch;
            if (opc == 0b0100) { i.Flags |= InstFlags.Serialising; return; } // ERET
            i.Src0 = X(Rn(raw));
            if (opc == 0b0001) i.Dst0 = 30; // BLR
            return;
        }
        if ((raw & 0xFF00_0000) == 0xD400_0000) { i.Flags |= InstFlags.Serialising; return; } // SVC, HVC, SMC, BRK, HLT
        if ((raw & 0xFFC0_0000) == 0xD500_0000) // system: hints, barriers, MSR/MRS, SYS
        {
            bool hint = (raw & 0xFFFF_F01F) == 0xD503_201F;
            if (hint) return;
            i.Flags |= InstFlags.Serialising;
            bool read = (raw & (1u << 21)) != 0, systemInsn = ((raw >> 19) & 3) != 0;
            if (!systemInsn) return; // barriers, MSR (immediate)
            if (read) i.Dst0 = X(Rd(raw));
            else i.Src0 = X(Rd(raw));
            // MRS/MSR NZCV move the flags
            if ((raw & 0x001F_FFE0) == 0x001B_4200) { if (read) i.Src1 = Nzcv; else i.Dst1 = Nzcv; }
        }
    }
}
