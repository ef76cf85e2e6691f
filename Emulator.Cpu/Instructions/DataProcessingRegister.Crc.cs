using System.Numerics;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// CRC32{B,H,W,X} (polynomial 0x04C11DB7) and CRC32C{B,H,W,X} (0x1EDC6F41): the pseudocode's
/// BitReverse / Poly32Mod2 / BitReverse is the reflected CRC update without pre- or post-inversion,
/// computed here a byte at a time, least significant byte first. CRC32C uses the host's
/// BitOperations.Crc32C, which is the same reflected update.
/// </summary>
internal static unsafe partial class DataProcessingRegister
{
    /// <summary>Reflected table of 0x04C11DB7 (reversed: 0xEDB88320).</summary>
    private static readonly uint[] Crc32Table = BuildCrc32Table();

    private static uint[] BuildCrc32Table()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB8_8320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    internal static uint Crc32Update(uint acc, ulong value, int bytes)
    {
        var table = Crc32Table;
        for (int k = 0; k < bytes; k++, value >>= 8)
            acc = table[(byte)(acc ^ value)] ^ (acc >> 8);
        return acc;
    }

    private static void Crc32B(Cpu cpu, ref DecodedInst i) => cpu.SetW(i.Rd, Crc32Update(cpu.Wr(i.Rn), cpu.Xr(i.Rm), 1));

    private static void Crc32H(Cpu cpu, ref DecodedInst i) => cpu.SetW(i.Rd, Crc32Update(cpu.Wr(i.Rn), cpu.Xr(i.Rm), 2));

    private static void Crc32W(Cpu cpu, ref DecodedInst i) => cpu.SetW(i.Rd, Crc32Update(cpu.Wr(i.Rn), cpu.Xr(i.Rm), 4));

    private static void Crc32X(Cpu cpu, ref DecodedInst i) => cpu.SetW(i.Rd, Crc32Update(cpu.Wr(i.Rn), cpu.Xr(i.Rm), 8));

    private static void Crc32CB(Cpu cpu, ref DecodedInst i) => cpu.SetW(i.Rd, BitOperations.Crc32C(cpu.Wr(i.Rn), (byte)cpu.Xr(i.Rm)));

    private static void Crc32CH(Cpu cpu, ref DecodedInst i) => cpu.SetW(i.Rd, BitOperations.Crc32C(cpu.Wr(i.Rn), (ushort)cpu.Xr(i.Rm)));

    private static void Crc32CW(Cpu cpu, ref DecodedInst i) => cpu.SetW(i.Rd, BitOperations.Crc32C(cpu.Wr(i.Rn), (uint)cpu.Xr(i.Rm)));

    private static void Crc32CX(Cpu cpu, ref DecodedInst i) => cpu.SetW(i.Rd, BitOperations.Crc32C(cpu.Wr(i.Rn), cpu.Xr(i.Rm)));
}
