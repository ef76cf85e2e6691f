using System.Buffers.Binary;
using System.Numerics;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>RBIT, REV16, REV32, REV, CLZ, CLS.</summary>
internal static unsafe partial class DataProcessingRegister
{
    private static void Rbit(Cpu cpu, ref DecodedInst i)
    {
        if (i.Sf) cpu.SetX(i.Rd, Arithmetic.BitReverse64(cpu.Xr(i.Rn)));
        else cpu.SetW(i.Rd, Arithmetic.BitReverse32(cpu.Wr(i.Rn)));
    }

    /// <summary>REV16: the bytes of each halfword swapped.</summary>
    private static void Rev16(Cpu cpu, ref DecodedInst i)
    {
        ulong x = cpu.Reg(i.Rn, i.Sf);
        cpu.SetX(i.Rd, ((x >> 8) & 0x00FF_00FF_00FF_00FFUL) | ((x & 0x00FF_00FF_00FF_00FFUL) << 8));
    }

    /// <summary>REV32: the bytes of each word reversed (64-bit only).</summary>
    private static void Rev32(Cpu cpu, ref DecodedInst i) =>
        cpu.SetX(i.Rd, BitOperations.RotateRight(BinaryPrimitives.ReverseEndianness(cpu.Xr(i.Rn)), 32));

    /// <summary>REV of a W register.</summary>
    private static void Rev32Bit(Cpu cpu, ref DecodedInst i) => cpu.SetW(i.Rd, BinaryPrimitives.ReverseEndianness(cpu.Wr(i.Rn)));

    /// <summary>REV of an X register.</summary>
    private static void Rev64(Cpu cpu, ref DecodedInst i) => cpu.SetX(i.Rd, BinaryPrimitives.ReverseEndianness(cpu.Xr(i.Rn)));

    private static void Clz(Cpu cpu, ref DecodedInst i) =>
        cpu.SetX(i.Rd, (ulong)(i.Sf ? BitOperations.LeadingZeroCount(cpu.Xr(i.Rn)) : BitOperations.LeadingZeroCount(cpu.Wr(i.Rn))));

    private static void Cls(Cpu cpu, ref DecodedInst i) =>
        cpu.SetX(i.Rd, (ulong)(i.Sf ? Arithmetic.CountLeadingSignBits64(cpu.Xr(i.Rn)) : Arithmetic.CountLeadingSignBits32(cpu.Wr(i.Rn))));
}
