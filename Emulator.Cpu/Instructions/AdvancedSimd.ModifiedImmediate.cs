using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Advanced SIMD modified immediate: 0 Q op 0111100000 a b c cmode o2 1 d e f g h Rd. AdvSIMDExpandImm(op, cmode,
/// abcdefgh) gives a 64-bit pattern; cmode and op choose MOVI, MVNI (inverted), ORR and BIC (with Vd), or FMOV
/// (cmode 1111: single precision for op = 0, double for op = 1, Q = 1). o2 = 1 (half precision) is not Armv8.0.
/// </summary>
internal static unsafe partial class AdvancedSimd
{
    private static EncodingRow[] ModifiedImmediateRows =>
    [
        new("0xx01111_00000xxx_xxxx01xx_xxxxxxxx", "MOVI/MVNI/ORR/BIC/FMOV (vector, immediate)", &ModifiedImmediate, TimingClass.SimdFp, PrepareModifiedImmediate),
    ];

    /// <summary>Imm = the expanded immediate; op = 1 with cmode = 1111 needs Q = 1 (FMOV double).</summary>
    private static bool PrepareModifiedImmediate(uint raw, ref DecodedInst i)
    {
        uint cmode = (raw >> 12) & 0xF, op = (raw >> 29) & 1;
        if (cmode == 0xF && op == 1 && (raw & (1u << 30)) == 0) return false;
        ulong imm8 = (raw >> 11 & 0xE0) | (raw >> 5 & 0x1F);
        i.Imm = ExpandImm(op, cmode, imm8);
        return true;
    }

    /// <summary>AdvSIMDExpandImm (Arm ARM shared pseudocode).</summary>
    internal static ulong ExpandImm(uint op, uint cmode, ulong imm8)
    {
        ulong Rep32(ulong x) => x | x << 32;
        ulong Rep16(ulong x) => x | x << 16 | x << 32 | x << 48;
        switch (cmode >> 1)
        {
            case 0: return Rep32(imm8);
            case 1: return Rep32(imm8 << 8);
            case 2: return Rep32(imm8 << 16);
            case 3: return Rep32(imm8 << 24);
            case 4: return Rep16(imm8);
            case 5: return Rep16(imm8 << 8);
            case 6: return (cmode & 1) == 0 ? Rep32(imm8 << 8 | 0xFF) : Rep32(imm8 << 16 | 0xFFFF);
        }
        if ((cmode & 1) == 0)
        {
            if (op == 0) return SimdLoadsAndStores.Replicate(imm8, 8);
            ulong r = 0;
            for (int b = 0; b < 8; b++) if (((imm8 >> b) & 1) != 0) r |= 0xFFUL << (8 * b);
            return r;
        }
        ulong a = imm8 >> 7 & 1, bb = imm8 >> 6 & 1, cdefgh = imm8 & 0x3F;
        if (op == 0) // single: a:NOT(b):b*5:cdefgh:Zeros(19)
            return Rep32(a << 31 | (bb ^ 1) << 30 | (bb == 1 ? 0x1FUL << 25 : 0) | cdefgh << 19);
        return a << 63 | (bb ^ 1) << 62 | (bb == 1 ? 0xFFUL << 54 : 0) | cdefgh << 48; // double: a:NOT(b):b*8:cdefgh:Zeros(48)
    }

    private static void ModifiedImmediate(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        uint cmode = (i.Raw >> 12) & 0xF, op = (i.Raw >> 29) & 1;
        ulong imm = i.Imm;
        bool logical = (cmode & 1) == 1 && cmode < 12; // 0xx1, 10x1: ORR (op 0) and BIC (op 1)
        ulong lo = imm, hi = imm;
        if (logical)
        {
            lo = op == 0 ? cpu.Vreg[2 * i.Rd] | imm : cpu.Vreg[2 * i.Rd] & ~imm;
            hi = op == 0 ? cpu.Vreg[2 * i.Rd + 1] | imm : cpu.Vreg[2 * i.Rd + 1] & ~imm;
        }
        else if (op == 1 && cmode < 14) { lo = ~imm; hi = ~imm; } // MVNI
        SetVector(cpu, ref i, i.Rd, lo, hi);
    }
}
