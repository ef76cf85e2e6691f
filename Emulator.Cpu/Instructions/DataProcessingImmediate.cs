using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>The rows of this instruction class (Arm ARM C4.1).</summary>
internal static unsafe partial class DataProcessingImmediate
{
    public static EncodingRow[] Rows =>
    [
    ];
}
