using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Tests.Reference;

/// <summary>
/// The top-level A64 encoding groups of the Arm ARM (C4.1, "A64 instruction set encoding", op0 = bits [28:25]),
/// used to tell the integer classes the emulator executes from SIMD&amp;FP and SVE space.
/// </summary>
public static class A64Classes
{
    /// <summary>op0 = x111: Data Processing -- Scalar Floating-Point and Advanced SIMD.</summary>
    public static bool IsSimdFpDataProcessing(uint w) => ((w >> 25) & 7) == 7;

    /// <summary>op0 = x1x0 (Loads and Stores) with V (bit 26) = 1: the SIMD&amp;FP register loads and stores.</summary>
    public static bool IsSimdFpLoadStore(uint w) => (w & 0x0A00_0000) == 0x0800_0000 && (w & 0x0400_0000) != 0;

    /// <summary>op0 = 0010: SVE encodings (unallocated in Armv8.0).</summary>
    public static bool IsSve(uint w) => ((w >> 25) & 0xF) == 0b0010;

    public static bool IsSimdFpOrSve(uint w) => IsSimdFpDataProcessing(w) || IsSimdFpLoadStore(w) || IsSve(w);

    /// <summary>op0 = 100x: Data Processing -- Immediate.</summary>
    public static bool IsDataProcessingImmediate(uint w) => ((w >> 26) & 7) == 0b100;

    /// <summary>op0 = x101: Data Processing -- Register.</summary>
    public static bool IsDataProcessingRegister(uint w) => ((w >> 25) & 7) == 0b101;

    /// <summary>
    /// A row that the emulator decodes but does not execute: the FP/SIMD-trap rows of the `sys` class,
    /// which exist only to raise the CPACR/CPTR trap (EC 0x07) or UNDEFINED. Decided by the row's own name.
    /// </summary>
    public static bool IsNotExecutedRow(EncodingRow row)
    {
        string n = row.Name.ToLowerInvariant();
        return n.Contains("not executed") || n.Contains("trap only") || n.Contains("(trapped)");
    }
}
