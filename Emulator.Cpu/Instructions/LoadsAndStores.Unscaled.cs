using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Load/store register (unscaled immediate) and (unprivileged) (Arm ARM C4.1.4): size 111 0 00 opc 0 imm9
/// with [11:10] = 00 (LDUR family, PRFUM) or 10 (LDTR family). The imm9 byte offset is not scaled.
/// </summary>
internal static unsafe partial class LoadsAndStores
{
    private static EncodingRow[] UnscaledRows =>
    [
        new("00111000_000xxxxx_xxxx00xx_xxxxxxxx", "STURB", &StoreOffset, TimingClass.Store, PrepareImm9),
        new("00111000_010xxxxx_xxxx00xx_xxxxxxxx", "LDURB", &LoadOffset, TimingClass.Load, PrepareImm9),
        new("00111000_1x0xxxxx_xxxx00xx_xxxxxxxx", "LDURSB", &LoadOffset, TimingClass.Load, PrepareImm9),
        new("01111000_000xxxxx_xxxx00xx_xxxxxxxx", "STURH", &StoreOffset, TimingClass.Store, PrepareImm9),
        new("01111000_010xxxxx_xxxx00xx_xxxxxxxx", "LDURH", &LoadOffset, TimingClass.Load, PrepareImm9),
        new("01111000_1x0xxxxx_xxxx00xx_xxxxxxxx", "LDURSH", &LoadOffset, TimingClass.Load, PrepareImm9),
        new("1x111000_000xxxxx_xxxx00xx_xxxxxxxx", "STUR", &StoreOffset, TimingClass.Store, PrepareImm9),
        new("1x111000_010xxxxx_xxxx00xx_xxxxxxxx", "LDUR", &LoadOffset, TimingClass.Load, PrepareImm9),
        new("10111000_100xxxxx_xxxx00xx_xxxxxxxx", "LDURSW", &LoadOffset, TimingClass.Load, PrepareImm9),
        new("11111000_100xxxxx_xxxx00xx_xxxxxxxx", "PRFUM", &Prefetch, TimingClass.Load),

        new("00111000_000xxxxx_xxxx10xx_xxxxxxxx", "STTRB", &StoreUnprivileged, TimingClass.Store, PrepareImm9),
        new("00111000_010xxxxx_xxxx10xx_xxxxxxxx", "LDTRB", &LoadUnprivileged, TimingClass.Load, PrepareImm9),
        new("00111000_1x0xxxxx_xxxx10xx_xxxxxxxx", "LDTRSB", &LoadUnprivileged, TimingClass.Load, PrepareImm9),
        new("01111000_000xxxxx_xxxx10xx_xxxxxxxx", "STTRH", &StoreUnprivileged, TimingClass.Store, PrepareImm9),
        new("01111000_010xxxxx_xxxx10xx_xxxxxxxx", "LDTRH", &LoadUnprivileged, TimingClass.Load, PrepareImm9),
        new("01111000_1x0xxxxx_xxxx10xx_xxxxxxxx", "LDTRSH", &LoadUnprivileged, TimingClass.Load, PrepareImm9),
        new("1x111000_000xxxxx_xxxx10xx_xxxxxxxx", "STTR", &StoreUnprivileged, TimingClass.Store, PrepareImm9),
        new("1x111000_010xxxxx_xxxx10xx_xxxxxxxx", "LDTR", &LoadUnprivileged, TimingClass.Load, PrepareImm9),
        new("10111000_100xxxxx_xxxx10xx_xxxxxxxx", "LDTRSW", &LoadUnprivileged, TimingClass.Load, PrepareImm9),
    ];

    /// <summary>LDTR family: EL0 permissions when executed at EL1 (the memory layer applies the flag only there).</summary>
    private static void LoadUnprivileged(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        LoadRegister(cpu, i.Raw, i.Rt, address + i.Imm, AccessFlags.Unprivileged);
    }

    private static void StoreUnprivileged(Cpu cpu, ref DecodedInst i)
    {
        if (!BaseAddress(cpu, i.Rn, out ulong address)) return;
        StoreRegister(cpu, i.Raw, i.Rt, address + i.Imm, AccessFlags.Unprivileged);
    }
}
