namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>ConditionHolds (Arm ARM shared/functions/system/ConditionHolds).</summary>
public static class Conditions
{
    public static bool Holds(uint cond, uint nzcv)
    {
        bool n = (nzcv & 0x8000_0000u) != 0, z = (nzcv & 0x4000_0000u) != 0;
        bool c = (nzcv & 0x2000_0000u) != 0, v = (nzcv & 0x1000_0000u) != 0;
        bool result = (cond >> 1) switch
        {
            0 => z,               // EQ / NE
            1 => c,               // CS / CC
            2 => n,               // MI / PL
            3 => v,               // VS / VC
            4 => c && !z,         // HI / LS
            5 => n == v,          // GE / LT
            6 => n == v && !z,    // GT / LE
            _ => true,            // AL (and NV, which also means always in A64)
        };
        return (cond & 1) != 0 && cond != 0xF ? !result : result;
    }
}
