using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// ADD/ADDS/SUB/SUBS (immediate). Rn is SP-or-register in all four; Rd is SP for ADD/SUB and the
/// zero register for the flag-setting forms (so CMP/CMN discard the result).
/// </summary>
internal static unsafe partial class DataProcessingImmediate
{
    /// <summary>imm = ZeroExtend(imm12), shifted left by 12 when sh = 1.</summary>
    private static bool PrepareAddSubImmediate(uint raw, ref DecodedInst i)
    {
        ulong imm12 = (raw >> 10) & 0xFFF;
        i.Imm = (raw & (1u << 22)) != 0 ? imm12 << 12 : imm12;
        return true;
    }

    private static void AddImmediate(Cpu cpu, ref DecodedInst i)
    {
        ulong r = cpu.XSp(i.Rn) + i.Imm;
        cpu.SetXSp(i.Rd, i.Sf ? r : (uint)r);
    }

    private static void SubImmediate(Cpu cpu, ref DecodedInst i)
    {
        ulong r = cpu.XSp(i.Rn) - i.Imm;
        cpu.SetXSp(i.Rd, i.Sf ? r : (uint)r);
    }

    private static void AddsImmediate(Cpu cpu, ref DecodedInst i)
    {
        bool sf = i.Sf;
        ulong r = Arithmetic.AddWithCarry(sf, cpu.XSp(i.Rn), i.Imm, 0, out uint nzcv);
        cpu.SetX(i.Rd, r);
        cpu.Nzcv = nzcv;
    }

    private static void SubsImmediate(Cpu cpu, ref DecodedInst i)
    {
        bool sf = i.Sf;
        ulong r = Arithmetic.AddWithCarry(sf, cpu.XSp(i.Rn), ~i.Imm, 1, out uint nzcv);
        cpu.SetX(i.Rd, r);
        cpu.Nzcv = nzcv;
    }
}
