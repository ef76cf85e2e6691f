using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Load register (literal) (Arm ARM C4.1.4): opc 011 0 00 imm19 Rt, address = PC + imm19 * 4.
/// opc 00 LDR Wt, 01 LDR Xt, 10 LDRSW, 11 PRFM (literal).
/// </summary>
internal static unsafe partial class LoadsAndStores
{
    private static EncodingRow[] LiteralRows =>
    [
        new("0x011000_xxxxxxxx_xxxxxxxx_xxxxxxxx", "LDR (literal)", &LoadLiteral, TimingClass.Load, PrepareLiteral),
        new("10011000_xxxxxxxx_xxxxxxxx_xxxxxxxx", "LDRSW (literal)", &LoadLiteral, TimingClass.Load, PrepareLiteral),
        new("11011000_xxxxxxxx_xxxxxxxx_xxxxxxxx", "PRFM (literal)", &Prefetch, TimingClass.Load),
    ];

    private static bool PrepareLiteral(uint raw, ref DecodedInst i)
    {
        i.Imm = SignExtend((raw >> 5) & 0x7FFFF, 19) << 2;
        return true;
    }

    private static void LoadLiteral(Cpu cpu, ref DecodedInst i)
    {
        uint opc = i.Raw >> 30;
        if (!cpu.TryRead(cpu.PC + i.Imm, opc == 0b01 ? 8 : 4, out ulong value)) return;
        cpu.SetX(i.Rt, opc == 0b10 ? SignExtend(value, 32) : value);
    }
}
