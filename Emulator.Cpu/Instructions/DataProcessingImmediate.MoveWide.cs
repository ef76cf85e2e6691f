using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// MOVN, MOVZ, MOVK: a 16-bit immediate at bit position hw*16. MOVN and MOVZ have a constant result,
/// computed at decode time. hw = 1x is unallocated for the 32-bit forms.
/// </summary>
internal static unsafe partial class DataProcessingImmediate
{
    private static bool MoveWideOperands(uint raw, out bool sf, out ulong shifted)
    {
        sf = (raw >> 31) != 0;
        uint hw = (raw >> 21) & 3;
        shifted = (ulong)((raw >> 5) & 0xFFFF) << (int)(hw * 16);
        return sf || hw < 2;
    }

    private static bool PrepareMovn(uint raw, ref DecodedInst i)
    {
        if (!MoveWideOperands(raw, out bool sf, out ulong imm)) return false;
        i.Imm = sf ? ~imm : (uint)~imm;
        return true;
    }

    /// <summary>MOVZ's result, and MOVK's field already in place.</summary>
    private static bool PrepareMovzMovk(uint raw, ref DecodedInst i)
    {
        if (!MoveWideOperands(raw, out _, out ulong imm)) return false;
        i.Imm = imm;
        return true;
    }

    private static void MoveWideConstant(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, i.Imm);

    private static void Movk(Cpu cpu, ref DecodedInst i)
    {
        int pos = (int)((i.Raw >> 21) & 3) * 16;
        ulong r = (cpu.Xr(i.Rd) & ~(0xFFFFUL << pos)) | i.Imm;
        cpu.SetReg(i.Rd, i.Sf, r);
    }
}
