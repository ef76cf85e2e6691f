using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Load/store register (register offset) (Arm ARM C4.1.4): size 111 0 00 opc 1 Rm option S 10 Rn Rt.
/// The offset is ExtendReg(Rm, option, S ? size : 0): option 010 UXTW, 011 LSL (UXTX), 110 SXTW, 111 SXTX;
/// option&lt;1&gt; == 0 is reserved and UNDEFINED (also for PRFM, as QEMU 7.2 disas_ldst_reg_roffset).
/// </summary>
internal static unsafe partial class LoadsAndStores
{
    private static EncodingRow[] RegisterOffsetRows =>
    [
        new("00111000_001xxxxx_xxxx10xx_xxxxxxxx", "STRB (register)", &StoreRegisterOffset, TimingClass.Store, PrepareRegisterOffset),
        new("00111000_011xxxxx_xxxx10xx_xxxxxxxx", "LDRB (register)", &LoadRegisterOffset, TimingClass.Load, PrepareRegisterOffset),
        new("00111000_1x1xxxxx_xxxx10xx_xxxxxxxx", "LDRSB (register)", &LoadRegisterOffset, TimingClass.Load, PrepareRegisterOffset),
        new("01111000_001xxxxx_xxxx10xx_xxxxxxxx", "STRH (register)", &StoreRegisterOffset, TimingClass.Store, PrepareRegisterOffset),
        new("01111000_011xxxxx_xxxx10xx_xxxxxxxx", "LDRH (register)", &LoadRegisterOffset, TimingClass.Load, PrepareRegisterOffset),
        new("01111000_1x1xxxxx_xxxx10xx_xxxxxxxx", "LDRSH (register)", &LoadRegisterOffset, TimingClass.Load, PrepareRegisterOffset),
        new("1x111000_001xxxxx_xxxx10xx_xxxxxxxx", "STR (register)", &StoreRegisterOffset, TimingClass.Store, PrepareRegisterOffset),
        new("1x111000_011xxxxx_xxxx10xx_xxxxxxxx", "LDR (register)", &LoadRegisterOffset, TimingClass.Load, PrepareRegisterOffset),
        new("10111000_101xxxxx_xxxx10xx_xxxxxxxx", "LDRSW (register)", &LoadRegisterOffset, TimingClass.Load, PrepareRegisterOffset),
        new("11111000_101xxxxx_xxxx10xx_xxxxxxxx", "PRFM (register)", &Prefetch, TimingClass.Load, PrepareRegisterOffset),
    ];

    /// <summary>Rejects the reserved extend options (option&lt;1&gt; == 0) and precomputes the shift: size when S, else 0.</summary>
    private static bool PrepareRegisterOffset(uint raw, ref DecodedInst i)
    {
        if ((raw & (1u << 14)) == 0) return false;
        i.Imm = (raw & (1u << 12)) != 0 ? raw >> 30 : 0;
        return true;
    }

    /// <summary>ExtendReg(Rm, option, shift): UXTW and SXTW take W[m]; LSL/UXTX and SXTX take X[m] (31 = XZR).</summary>
    private static ulong RegisterOffset(Cpu cpu, ref DecodedInst i)
    {
        ulong m = cpu.Xr(i.Rm);
        switch ((i.Raw >> 13) & 7)
        {
            case 0b010: m = (uint)m; break;
            case 0b110: m = (ulong)(long)(int)m; break;
        }
        return m << (int)i.Imm;
    }

    private static void LoadRegisterOffset(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        LoadRegister(cpu, i.Raw, i.Rt, address + RegisterOffset(cpu, ref i), AccessFlags.None);
    }

    private static void StoreRegisterOffset(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        StoreRegister(cpu, i.Raw, i.Rt, address + RegisterOffset(cpu, ref i), AccessFlags.None);
    }
}
