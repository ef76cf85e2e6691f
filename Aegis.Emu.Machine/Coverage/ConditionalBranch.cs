using Aegis.Emulator.Cpu;
using Aegis.Emulator.Cpu.Instructions;

namespace Aegis.Emu.Coverage;

/// <summary>
/// The conditional branches of A64 (Arm ARM C4.1.3 "Branches, Exception Generating and System instructions"): B.cond,
/// CBZ/CBNZ and TBZ/TBNZ. Whether one was taken is decided from the state it tested, which the branch itself does
/// not change, so a branch to the next instruction still has a defined outcome. B.AL and B.NV always branch: they are
/// not conditional.
/// </summary>
public static class ConditionalBranch
{
    public static bool Is(uint raw) =>
        ((raw & 0xFF00_0010) == 0x5400_0000 && (raw & 0xE) != 0xE) // B.cond, cond not AL/NV
        || (raw & 0x7C00_0000) == 0x3400_0000;                       // CBZ/CBNZ (0x34/0x35), TBZ/TBNZ (0x36/0x37)

    /// <summary>The branch target of a conditional branch at <paramref name="pc"/>.</summary>
    public static ulong Target(ulong pc, uint raw)
    {
        long offset = (raw & 0x7E00_0000) == 0x3600_0000
            ? (long)((int)(raw << 13) >> 18) << 2   // TBZ/TBNZ: imm14 at [18:5]
            : (long)((int)(raw << 8) >> 13) << 2;   // B.cond, CBZ/CBNZ: imm19 at [23:5]
        return pc + (ulong)offset;
    }

    /// <summary>Whether the conditional branch <paramref name="raw"/> branches in <paramref name="cpu"/>'s state.</summary>
    public static bool Taken(Cpu cpu, uint raw)
    {
        if ((raw & 0xFF00_0010) == 0x5400_0000) return Conditions.Holds(raw & 0xF, cpu.Nzcv);
        bool nonZero = (raw >> 24 & 1) != 0;                       // CBNZ, TBNZ
        ulong value = cpu.Xr((int)(raw & 31));
        if ((raw & 0x7E00_0000) == 0x3600_0000)
        {
            int bit = (int)((raw >> 31) << 5 | (raw >> 19 & 31));
            return (value >> bit & 1) != 0 == nonZero;
        }
        if ((raw >> 31) == 0) value = (uint)value;                  // CBZ Wt
        return value != 0 == nonZero;
    }
}
