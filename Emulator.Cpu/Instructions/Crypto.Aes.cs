using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Cryptographic AES (0100 1110 size 10100 opcode 10 Rn Rd, size = 00): AESE, AESD, AESMC, AESIMC after the Arm ARM
/// pseudocode and FIPS-197: byte i of the register is state byte (row i mod 4, column i / 4). AESE/AESD add the
/// round key (Vd EOR Vn) then (Inv)ShiftRows and (Inv)SubBytes; AESMC/AESIMC are (Inv)MixColumns of Vn.
/// </summary>
internal static unsafe partial class Crypto
{
    private static EncodingRow[] AesRows =>
    [
        new("01001110_00101000_010010xx_xxxxxxxx", "AESE", &Aese, TimingClass.SimdFp),
        new("01001110_00101000_010110xx_xxxxxxxx", "AESD", &Aesd, TimingClass.SimdFp),
        new("01001110_00101000_011010xx_xxxxxxxx", "AESMC", &Aesmc, TimingClass.SimdFp),
        new("01001110_00101000_011110xx_xxxxxxxx", "AESIMC", &Aesimc, TimingClass.SimdFp),
    ];

    private static readonly byte[] SBox = BuildSBox(), InvSBox = Invert(SBox);

    /// <summary>The AES S-box (FIPS-197 5.1.1): the multiplicative inverse in GF(2^8) followed by the affine transform.</summary>
    private static byte[] BuildSBox()
    {
        var box = new byte[256];
        for (int x = 0; x < 256; x++)
        {
            int inv = 0;
            for (int y = 1; y < 256 && x != 0; y++) if (GfMul((byte)x, (byte)y) == 1) { inv = y; break; }
            int s = inv;
            for (int k = 1; k <= 4; k++) s ^= ((inv << k) | (inv >> (8 - k))) & 0xFF;
            box[x] = (byte)(s ^ 0x63);
        }
        return box;
    }

    private static byte[] Invert(byte[] box)
    {
        var inv = new byte[256];
        for (int x = 0; x < 256; x++) inv[box[x]] = (byte)x;
        return inv;
    }

    /// <summary>Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.</summary>
    internal static byte GfMul(byte a, byte b)
    {
        int r = 0, x = a;
        for (int k = 0; k < 8; k++)
        {
            if (((b >> k) & 1) != 0) r ^= x;
            x <<= 1;
            if ((x & 0x100) != 0) x ^= 0x11B;
        }
        return (byte)r;
    }

    private static Span<byte> Bytes(Cpu cpu, int n, Span<byte> buffer)
    {
        BitConverter.TryWriteBytes(buffer, cpu.Vreg[2 * n]);
        BitConverter.TryWriteBytes(buffer[8..], cpu.Vreg[2 * n + 1]);
        return buffer;
    }

    private static void Store(Cpu cpu, int d, ReadOnlySpan<byte> state)
    {
        cpu.Vreg[2 * d] = BitConverter.ToUInt64(state);
        cpu.Vreg[2 * d + 1] = BitConverter.ToUInt64(state[8..]);
    }

    private static void Aese(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        Span<byte> s = Bytes(cpu, i.Rd, stackalloc byte[16]), k = Bytes(cpu, i.Rn, stackalloc byte[16]), r = stackalloc byte[16];
        for (int b = 0; b < 16; b++) s[b] ^= k[b];
        for (int c = 0; c < 4; c++)
            for (int row = 0; row < 4; row++)
                r[row + 4 * c] = SBox[s[row + 4 * ((c + row) & 3)]]; // ShiftRows then SubBytes
        Store(cpu, i.Rd, r);
    }

    private static void Aesd(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        Span<byte> s = Bytes(cpu, i.Rd, stackalloc byte[16]), k = Bytes(cpu, i.Rn, stackalloc byte[16]), r = stackalloc byte[16];
        for (int b = 0; b < 16; b++) s[b] ^= k[b];
        for (int c = 0; c < 4; c++)
            for (int row = 0; row < 4; row++)
                r[row + 4 * ((c + row) & 3)] = InvSBox[s[row + 4 * c]]; // InvShiftRows then InvSubBytes
        Store(cpu, i.Rd, r);
    }

    private static void Aesmc(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        MixColumns(cpu, ref i, 2, 3, 1, 1);
    }

    private static void Aesimc(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        MixColumns(cpu, ref i, 14, 11, 13, 9);
    }

    /// <summary>(Inv)MixColumns: each column times the circulant matrix (a0 a1 a2 a3) over GF(2^8).</summary>
    private static void MixColumns(Cpu cpu, ref DecodedInst i, byte a0, byte a1, byte a2, byte a3)
    {
        Span<byte> s = Bytes(cpu, i.Rn, stackalloc byte[16]), r = stackalloc byte[16];
        for (int c = 0; c < 4; c++)
            for (int row = 0; row < 4; row++)
                r[row + 4 * c] = (byte)(GfMul(a0, s[4 * c + row]) ^ GfMul(a1, s[4 * c + ((row + 1) & 3)])
                    ^ GfMul(a2, s[4 * c + ((row + 2) & 3)]) ^ GfMul(a3, s[4 * c + ((row + 3) & 3)]));
        Store(cpu, i.Rd, r);
    }
}
