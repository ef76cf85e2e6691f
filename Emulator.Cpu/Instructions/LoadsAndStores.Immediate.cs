using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Load/store register (immediate post-indexed, pre-indexed, unsigned offset) (Arm ARM C4.1.4, C6.2):
/// size [31:30], opc [23:22]; post/pre-index take a signed imm9 [20:12], unsigned offset an imm12 [21:10]
/// scaled by the access size.
/// </summary>
internal static unsafe partial class LoadsAndStores
{
    private static EncodingRow[] ImmediateRows =>
    [
        // Post-index: size 111 0 00 opc 0 imm9 01 Rn Rt
        new("00111000_000xxxxx_xxxx01xx_xxxxxxxx", "STRB (immediate)", &StorePostIndex, TimingClass.Store, PrepareImm9),
        new("00111000_010xxxxx_xxxx01xx_xxxxxxxx", "LDRB (immediate)", &LoadPostIndex, TimingClass.Load, PrepareImm9),
        new("00111000_1x0xxxxx_xxxx01xx_xxxxxxxx", "LDRSB (immediate)", &LoadPostIndex, TimingClass.Load, PrepareImm9),
        new("01111000_000xxxxx_xxxx01xx_xxxxxxxx", "STRH (immediate)", &StorePostIndex, TimingClass.Store, PrepareImm9),
        new("01111000_010xxxxx_xxxx01xx_xxxxxxxx", "LDRH (immediate)", &LoadPostIndex, TimingClass.Load, PrepareImm9),
        new("01111000_1x0xxxxx_xxxx01xx_xxxxxxxx", "LDRSH (immediate)", &LoadPostIndex, TimingClass.Load, PrepareImm9),
        new("1x111000_000xxxxx_xxxx01xx_xxxxxxxx", "STR (immediate)", &StorePostIndex, TimingClass.Store, PrepareImm9),
        new("1x111000_010xxxxx_xxxx01xx_xxxxxxxx", "LDR (immediate)", &LoadPostIndex, TimingClass.Load, PrepareImm9),
        new("10111000_100xxxxx_xxxx01xx_xxxxxxxx", "LDRSW (immediate)", &LoadPostIndex, TimingClass.Load, PrepareImm9),

        // Pre-index: size 111 0 00 opc 0 imm9 11 Rn Rt
        new("00111000_000xxxxx_xxxx11xx_xxxxxxxx", "STRB (immediate)", &StorePreIndex, TimingClass.Store, PrepareImm9),
        new("00111000_010xxxxx_xxxx11xx_xxxxxxxx", "LDRB (immediate)", &LoadPreIndex, TimingClass.Load, PrepareImm9),
        new("00111000_1x0xxxxx_xxxx11xx_xxxxxxxx", "LDRSB (immediate)", &LoadPreIndex, TimingClass.Load, PrepareImm9),
        new("01111000_000xxxxx_xxxx11xx_xxxxxxxx", "STRH (immediate)", &StorePreIndex, TimingClass.Store, PrepareImm9),
        new("01111000_010xxxxx_xxxx11xx_xxxxxxxx", "LDRH (immediate)", &LoadPreIndex, TimingClass.Load, PrepareImm9),
        new("01111000_1x0xxxxx_xxxx11xx_xxxxxxxx", "LDRSH (immediate)", &LoadPreIndex, TimingClass.Load, PrepareImm9),
        new("1x111000_000xxxxx_xxxx11xx_xxxxxxxx", "STR (immediate)", &StorePreIndex, TimingClass.Store, PrepareImm9),
        new("1x111000_010xxxxx_xxxx11xx_xxxxxxxx", "LDR (immediate)", &LoadPreIndex, TimingClass.Load, PrepareImm9),
        new("10111000_100xxxxx_xxxx11xx_xxxxxxxx", "LDRSW (immediate)", &LoadPreIndex, TimingClass.Load, PrepareImm9),

        // Unsigned offset: size 111 0 01 opc imm12 Rn Rt
        new("00111001_00xxxxxx_xxxxxxxx_xxxxxxxx", "STRB (immediate)", &StoreOffset, TimingClass.Store, PrepareImm12),
        new("00111001_01xxxxxx_xxxxxxxx_xxxxxxxx", "LDRB (immediate)", &LoadOffset, TimingClass.Load, PrepareImm12),
        new("00111001_1xxxxxxx_xxxxxxxx_xxxxxxxx", "LDRSB (immediate)", &LoadOffset, TimingClass.Load, PrepareImm12),
        new("01111001_00xxxxxx_xxxxxxxx_xxxxxxxx", "STRH (immediate)", &StoreOffset, TimingClass.Store, PrepareImm12),
        new("01111001_01xxxxxx_xxxxxxxx_xxxxxxxx", "LDRH (immediate)", &LoadOffset, TimingClass.Load, PrepareImm12),
        new("01111001_1xxxxxxx_xxxxxxxx_xxxxxxxx", "LDRSH (immediate)", &LoadOffset, TimingClass.Load, PrepareImm12),
        new("1x111001_00xxxxxx_xxxxxxxx_xxxxxxxx", "STR (immediate)", &StoreOffset, TimingClass.Store, PrepareImm12),
        new("1x111001_01xxxxxx_xxxxxxxx_xxxxxxxx", "LDR (immediate)", &LoadOffset, TimingClass.Load, PrepareImm12),
        new("10111001_10xxxxxx_xxxxxxxx_xxxxxxxx", "LDRSW (immediate)", &LoadOffset, TimingClass.Load, PrepareImm12),
        new("11111001_10xxxxxx_xxxxxxxx_xxxxxxxx", "PRFM (immediate)", &Prefetch, TimingClass.Load),
    ];

    /// <summary>The signed 9-bit byte offset [20:12] of the post/pre-index, unscaled and unprivileged forms.</summary>
    private static bool PrepareImm9(uint raw, ref DecodedInst i)
    {
        i.Imm = SignExtend((raw >> 12) & 0x1FF, 9);
        return true;
    }

    /// <summary>The unsigned offset: imm12 [21:10] scaled by the access size (LSL size).</summary>
    private static bool PrepareImm12(uint raw, ref DecodedInst i)
    {
        i.Imm = (ulong)((raw >> 10) & 0xFFF) << (int)(raw >> 30);
        return true;
    }

    // Writeback comes after the access, so a faulting access leaves Rn unchanged. With Rt == Rn
    // (CONSTRAINED UNPREDICTABLE, Arm ARM K1.2.3): a load ends with Rn = the written-back address and
    // a store stores the original Rt, as QEMU 7.2 disas_ldst_reg_imm9 does (transfer, then writeback).

    private static void LoadPostIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        if (!LoadRegister(cpu, i.Raw, i.Rt, address, AccessFlags.None)) return;
        cpu.SetXSp(i.Rn, address + i.Imm);
    }

    private static void StorePostIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        if (!StoreRegister(cpu, i.Raw, i.Rt, address, AccessFlags.None)) return;
        cpu.SetXSp(i.Rn, address + i.Imm);
    }

    private static void LoadPreIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        address += i.Imm;
        if (!LoadRegister(cpu, i.Raw, i.Rt, address, AccessFlags.None)) return;
        cpu.SetXSp(i.Rn, address);
    }

    private static void StorePreIndex(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        address += i.Imm;
        if (!StoreRegister(cpu, i.Raw, i.Rt, address, AccessFlags.None)) return;
        cpu.SetXSp(i.Rn, address);
    }

    /// <summary>Unsigned offset and unscaled (LDUR) forms: base + precomputed offset, no writeback.</summary>
    private static void LoadOffset(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        LoadRegister(cpu, i.Raw, i.Rt, address + i.Imm, AccessFlags.None);
    }

    private static void StoreOffset(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        StoreRegister(cpu, i.Raw, i.Rt, address + i.Imm, AccessFlags.None);
    }
}
