using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// LDR/STR (SIMD&amp;FP) of one register: size [31:30] and opc [23:22], where opc&lt;0&gt; = load and
/// scale = opc&lt;1&gt;:size (0 B, 1 H, 2 S, 3 D, 4 Q; opc&lt;1&gt; with size != 00 is unallocated). Forms:
/// unsigned offset (imm12 scaled), unscaled (LDUR/STUR), post/pre-index (imm9), register offset (ExtendReg
/// by option, shifted by scale when S), and literal (LDR only: opc [31:30] 00 S, 01 D, 10 Q).
/// </summary>
internal static unsafe partial class SimdLoadsAndStores
{
    private static EncodingRow[] RegisterRows =>
    [
        new("xx111101_x0xxxxxx_xxxxxxxx_xxxxxxxx", "STR (immediate, SIMD&FP)", &StoreOffset, TimingClass.Store, PrepareImm12),
        new("xx111101_x1xxxxxx_xxxxxxxx_xxxxxxxx", "LDR (immediate, SIMD&FP)", &LoadOffset, TimingClass.Load, PrepareImm12),
        new("xx111100_x00xxxxx_xxxx00xx_xxxxxxxx", "STUR (SIMD&FP)", &StoreOffset, TimingClass.Store, PrepareImm9),
        new("xx111100_x10xxxxx_xxxx00xx_xxxxxxxx", "LDUR (SIMD&FP)", &LoadOffset, TimingClass.Load, PrepareImm9),
        new("xx111100_x00xxxxx_xxxx01xx_xxxxxxxx", "STR (immediate, SIMD&FP)", &StorePostIndex, TimingClass.Store, PrepareImm9),
        new("xx111100_x10xxxxx_xxxx01xx_xxxxxxxx", "LDR (immediate, SIMD&FP)", &LoadPostIndex, TimingClass.Load, PrepareImm9),
        new("xx111100_x00xxxxx_xxxx11xx_xxxxxxxx", "STR (immediate, SIMD&FP)", &StorePreIndex, TimingClass.Store, PrepareImm9),
        new("xx111100_x10xxxxx_xxxx11xx_xxxxxxxx", "LDR (immediate, SIMD&FP)", &LoadPreIndex, TimingClass.Load, PrepareImm9),
        new("xx111100_x01xxxxx_xxxx10xx_xxxxxxxx", "STR (register, SIMD&FP)", &StoreRegisterOffset, TimingClass.Store, PrepareRegisterOffset),
        new("xx111100_x11xxxxx_xxxx10xx_xxxxxxxx", "LDR (register, SIMD&FP)", &LoadRegisterOffset, TimingClass.Load, PrepareRegisterOffset),
        new("xx011100_xxxxxxxx_xxxxxxxx_xxxxxxxx", "LDR (literal, SIMD&FP)", &LoadLiteral, TimingClass.Load, PrepareLiteral),
    ];

    /// <summary>opc&lt;1&gt;:size, or -1 for the unallocated 128-bit encodings with size != 00.</summary>
    private static int Scale(uint raw)
    {
        uint size = raw >> 30;
        if ((raw & (1u << 23)) == 0) return (int)size;
        return size == 0 ? 4 : -1;
    }

    private static bool PrepareImm12(uint raw, ref DecodedInst i)
    {
        int scale = Scale(raw);
        if (scale < 0) return false;
        i.Imm = (ulong)((raw >> 10) & 0xFFF) << scale;
        return true;
    }

    private static bool PrepareImm9(uint raw, ref DecodedInst i)
    {
        if (Scale(raw) < 0) return false;
        i.Imm = SignExtend((raw >> 12) & 0x1FF, 9);
        return true;
    }

    /// <summary>option&lt;1&gt; = 0 is reserved; Imm = the shift (scale when S, else 0).</summary>
    private static bool PrepareRegisterOffset(uint raw, ref DecodedInst i)
    {
        int scale = Scale(raw);
        if (scale < 0 || (raw & (1u << 14)) == 0) return false;
        i.Imm = (raw & (1u << 12)) != 0 ? (ulong)scale : 0;
        return true;
    }

    /// <summary>opc [31:30] = 11 is unallocated; Imm = imm19 * 4.</summary>
    private static bool PrepareLiteral(uint raw, ref DecodedInst i)
    {
        if ((raw >> 30) == 3) return false;
        i.Imm = SignExtend((raw >> 5) & 0x7FFFF, 19) << 2;
        return true;
    }

    private static bool Load(Cpu cpu, ref DecodedInst i, ulong address)
    {
        int scale = Scale(i.Raw);
        if (!Read(cpu, address, scale, out ulong lo, out ulong hi)) return false;
        SetLoaded(cpu, i.Rt, scale, lo, hi);
        return true;
    }

    private static bool Store(Cpu cpu, ref DecodedInst i, ulong address) =>
        Write(cpu, address, Scale(i.Raw), cpu.Vreg[2 * i.Rt], cpu.Vreg[2 * i.Rt + 1]);

    private static void LoadOffset(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        Load(cpu, ref i, address + i.Imm);
    }

    private static void StoreOffset(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        Store(cpu, ref i, address + i.Imm);
    }

    private static void LoadPostIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        if (Load(cpu, ref i, address)) cpu.SetXSp(i.Rn, address + i.Imm);
    }

    private static void StorePostIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        if (Store(cpu, ref i, address)) cpu.SetXSp(i.Rn, address + i.Imm);
    }

    private static void LoadPreIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        address += i.Imm;
        if (Load(cpu, ref i, address)) cpu.SetXSp(i.Rn, address);
    }

    private static void StorePreIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        address += i.Imm;
        if (Store(cpu, ref i, address)) cpu.SetXSp(i.Rn, address);
    }

    /// <summary>ExtendReg(m, option, shift): UXTW/SXTW take W[m], LSL (UXTX)/SXTX X[m].</summary>
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
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        Load(cpu, ref i, address + RegisterOffset(cpu, ref i));
    }

    private static void StoreRegisterOffset(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled() || !BaseAddress(cpu, i.Rn, out ulong address)) return;
        Store(cpu, ref i, address + RegisterOffset(cpu, ref i));
    }

    private static void LoadLiteral(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        int scale = 2 + (int)(i.Raw >> 30);
        if (Read(cpu, cpu.PC + i.Imm, scale, out ulong lo, out ulong hi)) SetLoaded(cpu, i.Rt, scale, lo, hi);
    }
}
