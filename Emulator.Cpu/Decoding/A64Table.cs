using Aegis.Emulator.Cpu.Instructions;

namespace Aegis.Emulator.Cpu.Decoding;

/// <summary>
/// The A64 encoding table: every implemented encoding is one row, contributed by the file of its
/// instruction class (Arm ARM C4.1, "A64 instruction set encoding").
/// </summary>
public static class A64Table
{
    public static readonly EncodingRow[] Rows =
    [
        .. DataProcessingImmediate.Rows,
        .. DataProcessingRegister.Rows,
        .. LoadsAndStores.Rows,
        .. BranchesExceptionsSystem.Rows,
        .. SimdLoadsAndStores.Rows,
        .. AdvancedSimd.Rows,
        .. Crypto.Rows,
        .. Instructions.FloatingPoint.Rows,
        .. AdvancedSimdFp.Rows,
    ];
}
