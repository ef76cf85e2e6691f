using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>Branches (Arm ARM C6.2: B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR, BLR, RET).</summary>
internal static unsafe partial class BranchesExceptionsSystem
{
    private static ulong SignExtend(uint value, int bits) => (ulong)((long)((ulong)value << (64 - bits)) >> (64 - bits));

    /// <summary>imm26:'00' (B, BL).</summary>
    internal static bool PrepareImm26(uint raw, ref DecodedInst i)
    {
        i.Imm = SignExtend(raw & 0x03FF_FFFF, 26) << 2;
        return true;
    }

    /// <summary>imm19:'00' at [23:5] (B.cond, CBZ, CBNZ).</summary>
    internal static bool PrepareImm19(uint raw, ref DecodedInst i)
    {
        i.Imm = SignExtend((raw >> 5) & 0x7_FFFF, 19) << 2;
        return true;
    }

    /// <summary>imm14:'00' at [18:5] (TBZ, TBNZ).</summary>
    internal static bool PrepareImm14(uint raw, ref DecodedInst i)
    {
        i.Imm = SignExtend((raw >> 5) & 0x3FFF, 14) << 2;
        return true;
    }

    internal static void B(Cpu cpu, ref DecodedInst i) => cpu.NextPc = cpu.PC + i.Imm;

    internal static void BL(Cpu cpu, ref DecodedInst i)
    {
        cpu.SetX(30, cpu.PC + 4);
        cpu.NextPc = cpu.PC + i.Imm;
    }

    internal static void BCond(Cpu cpu, ref DecodedInst i)
    {
        if (Conditions.Holds(i.Raw & 0xF, cpu.Nzcv)) cpu.NextPc = cpu.PC + i.Imm;
    }

    internal static void Cbz(Cpu cpu, ref DecodedInst i)
    {
        if (cpu.Reg(i.Rt, i.Sf) == 0) cpu.NextPc = cpu.PC + i.Imm;
    }

    internal static void Cbnz(Cpu cpu, ref DecodedInst i)
    {
        if (cpu.Reg(i.Rt, i.Sf) != 0) cpu.NextPc = cpu.PC + i.Imm;
    }

    /// <summary>The tested bit: b5:b40.</summary>
    private static int TestBit(uint raw) => (int)(((raw >> 26) & 0x20) | ((raw >> 19) & 0x1F));

    internal static void Tbz(Cpu cpu, ref DecodedInst i)
    {
        if ((cpu.Xr(i.Rt) & (1UL << TestBit(i.Raw))) == 0) cpu.NextPc = cpu.PC + i.Imm;
    }

    internal static void Tbnz(Cpu cpu, ref DecodedInst i)
    {
        if ((cpu.Xr(i.Rt) & (1UL << TestBit(i.Raw))) != 0) cpu.NextPc = cpu.PC + i.Imm;
    }

    /// <summary>BR and RET: the same branch, RET only hints a return.</summary>
    internal static void Br(Cpu cpu, ref DecodedInst i) => cpu.NextPc = cpu.BranchAddr(cpu.Xr(i.Rn));

    internal static void Blr(Cpu cpu, ref DecodedInst i)
    {
        ulong target = cpu.Xr(i.Rn); // read before X30 is written: BLR X30 branches to the old X30
        cpu.SetX(30, cpu.PC + 4);
        cpu.NextPc = cpu.BranchAddr(target);
    }
}
