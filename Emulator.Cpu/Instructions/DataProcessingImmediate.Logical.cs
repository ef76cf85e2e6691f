using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// AND/ORR/EOR/ANDS (immediate). The bitmask is decoded once (DecodeBitMasks) into <see cref="DecodedInst.Imm"/>.
/// Rd is SP for AND/ORR/EOR (so ORR can set SP) and the zero register for ANDS; Rn is the zero register.
/// </summary>
internal static unsafe partial class DataProcessingImmediate
{
    private static bool PrepareLogicalImmediate(uint raw, ref DecodedInst i)
    {
        bool sf = (raw >> 31) != 0;
        uint n = (raw >> 22) & 1, immr = (raw >> 16) & 0x3F, imms = (raw >> 10) & 0x3F;
        if (!sf && n != 0) return false; // unallocated
        if (!Arithmetic.DecodeBitMasks(n, imms, immr, true, sf ? 64 : 32, out ulong wmask, out _)) return false;
        i.Imm = wmask;
        return true;
    }

    // A 32-bit form's mask has a zero upper half and Reg zero-extends, so the result is already zero-extended.
    private static void AndImmediate(Cpu cpu, ref DecodedInst i) => cpu.SetXSp(i.Rd, cpu.Reg(i.Rn, i.Sf) & i.Imm);

    private static void OrrImmediate(Cpu cpu, ref DecodedInst i) => cpu.SetXSp(i.Rd, cpu.Reg(i.Rn, i.Sf) | i.Imm);

    private static void EorImmediate(Cpu cpu, ref DecodedInst i) => cpu.SetXSp(i.Rd, cpu.Reg(i.Rn, i.Sf) ^ i.Imm);

    private static void AndsImmediate(Cpu cpu, ref DecodedInst i)
    {
        bool sf = i.Sf;
        ulong r = cpu.Reg(i.Rn, sf) & i.Imm;
        cpu.SetX(i.Rd, r);
        cpu.Nzcv = Arithmetic.LogicalFlags(sf, r);
    }
}
