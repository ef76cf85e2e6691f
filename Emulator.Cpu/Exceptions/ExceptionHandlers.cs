using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Exceptions;

/// <summary>Handlers shared by every class: the UNDEFINED encoding.</summary>
internal static class ExceptionHandlers
{
    public static void Undefined(Cpu cpu, ref DecodedInst inst) => cpu.Undefined();
}
