using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>ADR and ADRP: the PC plus a signed 21-bit immediate (ADRP: 4 KB pages of the PC's page).</summary>
internal static unsafe partial class DataProcessingImmediate
{
    /// <summary>imm = SignExtend(immhi:immlo, 64).</summary>
    private static long PcRelImmediate(uint raw) =>
        (long)((ulong)((((raw >> 5) & 0x7FFFF) << 2) | ((raw >> 29) & 3)) << 43) >> 43;

    private static bool PrepareAdr(uint raw, ref DecodedInst i)
    {
        i.Imm = (ulong)PcRelImmediate(raw);
        return true;
    }

    private static bool PrepareAdrp(uint raw, ref DecodedInst i)
    {
        i.Imm = (ulong)(PcRelImmediate(raw) << 12);
        return true;
    }

    private static void Adr(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, cpu.PC + i.Imm);

    private static void Adrp(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, (cpu.PC & ~0xFFFUL) + i.Imm);
}
