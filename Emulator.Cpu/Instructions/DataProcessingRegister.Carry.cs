using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>ADC, ADCS, SBC, SBCS: AddWithCarry with PSTATE.C as the carry in (SBC adds NOT(Rm)).</summary>
internal static unsafe partial class DataProcessingRegister
{
    private static uint CarryIn(Cpu cpu) => (cpu.Nzcv >> 29) & 1;

    private static void Adc(Cpu cpu, ref DecodedInst i) =>
        cpu.SetX(i.Rd, Arithmetic.AddWithCarry(i.Sf, cpu.Xr(i.Rn), cpu.Xr(i.Rm), CarryIn(cpu), out _));

    private static void Sbc(Cpu cpu, ref DecodedInst i) =>
        cpu.SetX(i.Rd, Arithmetic.AddWithCarry(i.Sf, cpu.Xr(i.Rn), ~cpu.Xr(i.Rm), CarryIn(cpu), out _));

    private static void Adcs(Cpu cpu, ref DecodedInst i)
    {
        cpu.SetX(i.Rd, Arithmetic.AddWithCarry(i.Sf, cpu.Xr(i.Rn), cpu.Xr(i.Rm), CarryIn(cpu), out uint nzcv));
        cpu.Nzcv = nzcv;
    }

    private static void Sbcs(Cpu cpu, ref DecodedInst i)
    {
        cpu.SetX(i.Rd, Arithmetic.AddWithCarry(i.Sf, cpu.Xr(i.Rn), ~cpu.Xr(i.Rm), CarryIn(cpu), out uint nzcv));
        cpu.Nzcv = nzcv;
    }
}
