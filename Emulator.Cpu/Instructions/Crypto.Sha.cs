using System.Numerics;
using Aegis.Emulator.Cpu.Decoding;

namespace Aegis.Emulator.Cpu.Instructions;

/// <summary>
/// Cryptographic three-register SHA (0101 1110 000 Rm 0 opcode 00 Rn Rd) and two-register SHA (0101 1110 00 10100
/// opcode 10 Rn Rd): the SHA-1 and SHA-256 steps of the Arm ARM pseudocode (SHA1C/P/M do four rounds of FIPS 180-4
/// with the choose, parity and majority functions; SHA256H/H2 four rounds on the two halves of the state; the
/// SU instructions the message schedule). Words are the register's 32-bit elements, element 0 lowest.
/// </summary>
internal static unsafe partial class Crypto
{
    public static EncodingRow[] Rows =>
    [
        .. AesRows,
        new("01011110_000xxxxx_000000xx_xxxxxxxx", "SHA1C", &Sha1Hash, TimingClass.SimdFp),
        new("01011110_000xxxxx_000100xx_xxxxxxxx", "SHA1P", &Sha1Hash, TimingClass.SimdFp),
        new("01011110_000xxxxx_001000xx_xxxxxxxx", "SHA1M", &Sha1Hash, TimingClass.SimdFp),
        new("01011110_000xxxxx_001100xx_xxxxxxxx", "SHA1SU0", &Sha1Su0, TimingClass.SimdFp),
        new("01011110_000xxxxx_010000xx_xxxxxxxx", "SHA256H", &Sha256H, TimingClass.SimdFp),
        new("01011110_000xxxxx_010100xx_xxxxxxxx", "SHA256H2", &Sha256H2, TimingClass.SimdFp),
        new("01011110_000xxxxx_011000xx_xxxxxxxx", "SHA256SU1", &Sha256Su1, TimingClass.SimdFp),
        new("01011110_00101000_000010xx_xxxxxxxx", "SHA1H", &Sha1H, TimingClass.SimdFp),
        new("01011110_00101000_000110xx_xxxxxxxx", "SHA1SU1", &Sha1Su1, TimingClass.SimdFp),
        new("01011110_00101000_001010xx_xxxxxxxx", "SHA256SU0", &Sha256Su0, TimingClass.SimdFp),
    ];

    private static void Words(Cpu cpu, int n, Span<uint> w)
    {
        ulong lo = cpu.Vreg[2 * n], hi = cpu.Vreg[2 * n + 1];
        w[0] = (uint)lo; w[1] = (uint)(lo >> 32); w[2] = (uint)hi; w[3] = (uint)(hi >> 32);
    }

    private static void SetWords(Cpu cpu, int d, ReadOnlySpan<uint> w)
    {
        cpu.Vreg[2 * d] = w[0] | (ulong)w[1] << 32;
        cpu.Vreg[2 * d + 1] = w[2] | (ulong)w[3] << 32;
    }

    private static uint Choose(uint x, uint y, uint z) => ((y ^ z) & x) ^ z;
    private static uint Parity(uint x, uint y, uint z) => x ^ y ^ z;
    private static uint Majority(uint x, uint y, uint z) => (x & y) | ((x | y) & z);

    /// <summary>SHA1C/SHA1P/SHA1M: X = Vd (a, b, c, d in elements 0-3), Y = Sn (e), four rounds with W = Vm.</summary>
    private static void Sha1Hash(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        Span<uint> x = stackalloc uint[4], w = stackalloc uint[4];
        Words(cpu, i.Rd, x);
        Words(cpu, i.Rm, w);
        uint y = (uint)cpu.Vreg[2 * i.Rn];
        uint op = (i.Raw >> 12) & 7;
        for (int e = 0; e < 4; e++)
        {
            uint t = op switch { 0 => Choose(x[1], x[2], x[3]), 1 => Parity(x[1], x[2], x[3]), _ => Majority(x[1], x[2], x[3]) };
            y += BitOperations.RotateLeft(x[0], 5) + t + w[e];
            x[1] = BitOperations.RotateLeft(x[1], 30);
            // <Y, X> = ROL(Y : X, 32)
            uint top = x[3];
            x[3] = x[2]; x[2] = x[1]; x[1] = x[0]; x[0] = y;
            y = top;
        }
        SetWords(cpu, i.Rd, x);
    }

    /// <summary>SHA1H: Sd = ROL(Sn, 30).</summary>
    private static void Sha1H(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        cpu.SetScalar(i.Rd, BitOperations.RotateLeft((uint)cpu.Vreg[2 * i.Rn], 30), 32);
    }

    /// <summary>SHA1SU0: Vd = (Vn&lt;63:0&gt; : Vd&lt;127:64&gt;) EOR Vd EOR Vm.</summary>
    private static void Sha1Su0(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        ulong d0 = cpu.Vreg[2 * i.Rd], d1 = cpu.Vreg[2 * i.Rd + 1], n0 = cpu.Vreg[2 * i.Rn];
        ulong m0 = cpu.Vreg[2 * i.Rm], m1 = cpu.Vreg[2 * i.Rm + 1]; // all read first: Vd may be Vn or Vm
        cpu.Vreg[2 * i.Rd] = d1 ^ d0 ^ m0;
        cpu.Vreg[2 * i.Rd + 1] = n0 ^ d1 ^ m1;
    }

    /// <summary>SHA1SU1: T = Vd EOR (Vn &gt;&gt; 32); each word rotated left by 1, the top one also EOR ROL(T&lt;31:0&gt;, 2).</summary>
    private static void Sha1Su1(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        Span<uint> x = stackalloc uint[4], y = stackalloc uint[4], r = stackalloc uint[4];
        Words(cpu, i.Rd, x);
        Words(cpu, i.Rn, y);
        uint t0 = x[0] ^ y[1], t1 = x[1] ^ y[2], t2 = x[2] ^ y[3], t3 = x[3];
        r[0] = BitOperations.RotateLeft(t0, 1);
        r[1] = BitOperations.RotateLeft(t1, 1);
        r[2] = BitOperations.RotateLeft(t2, 1);
        r[3] = BitOperations.RotateLeft(t3, 1) ^ BitOperations.RotateLeft(t0, 2);
        SetWords(cpu, i.Rd, r);
    }

    private static void Sha256H(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        Sha256Hash(cpu, ref i, i.Rd, i.Rn, part1: true);
    }

    private static void Sha256H2(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        Sha256Hash(cpu, ref i, i.Rn, i.Rd, part1: false);
    }

    /// <summary>SHA256hash(X, Y, W, part1): four rounds; X holds a-d, Y e-h; returns X (SHA256H) or Y (SHA256H2) into Vd.</summary>
    private static void Sha256Hash(Cpu cpu, ref DecodedInst i, int xReg, int yReg, bool part1)
    {
        Span<uint> x = stackalloc uint[4], y = stackalloc uint[4], w = stackalloc uint[4];
        Words(cpu, xReg, x);
        Words(cpu, yReg, y);
        Words(cpu, i.Rm, w);
        for (int e = 0; e < 4; e++)
        {
            uint chs = Choose(y[0], y[1], y[2]);
            uint maj = Majority(x[0], x[1], x[2]);
            uint t = y[3] + Sigma1(y[0]) + chs + w[e];
            x[3] = t + x[3];
            y[3] = t + Sigma0(x[0]) + maj;
            // <Y, X> = ROL(Y : X, 32)
            uint xTop = x[3], yTop = y[3];
            x[3] = x[2]; x[2] = x[1]; x[1] = x[0]; x[0] = yTop;
            y[3] = y[2]; y[2] = y[1]; y[1] = y[0]; y[0] = xTop;
        }
        SetWords(cpu, i.Rd, part1 ? x : y);
    }

    private static uint Sigma0(uint x) => BitOperations.RotateRight(x, 2) ^ BitOperations.RotateRight(x, 13) ^ BitOperations.RotateRight(x, 22);
    private static uint Sigma1(uint x) => BitOperations.RotateRight(x, 6) ^ BitOperations.RotateRight(x, 11) ^ BitOperations.RotateRight(x, 25);

    /// <summary>SHA256SU0: T = Vn&lt;31:0&gt; : Vd&lt;127:32&gt;; each word sigma0(T[e]) + Vd[e].</summary>
    private static void Sha256Su0(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        Span<uint> d = stackalloc uint[4], n = stackalloc uint[4], r = stackalloc uint[4];
        Words(cpu, i.Rd, d);
        Words(cpu, i.Rn, n);
        for (int e = 0; e < 4; e++)
        {
            uint t = e < 3 ? d[e + 1] : n[0];
            r[e] = (BitOperations.RotateRight(t, 7) ^ BitOperations.RotateRight(t, 18) ^ (t >> 3)) + d[e];
        }
        SetWords(cpu, i.Rd, r);
    }

    /// <summary>SHA256SU1: T0 = Vm&lt;31:0&gt; : Vn&lt;127:32&gt;; words 0-1 from Vm's upper words, 2-3 from the new words 0-1.</summary>
    private static void Sha256Su1(Cpu cpu, ref DecodedInst i)
    {
        if (!cpu.CheckFpEnabled()) return;
        Span<uint> d = stackalloc uint[4], n = stackalloc uint[4], m = stackalloc uint[4], r = stackalloc uint[4];
        Words(cpu, i.Rd, d);
        Words(cpu, i.Rn, n);
        Words(cpu, i.Rm, m);
        Span<uint> t0 = [n[1], n[2], n[3], m[0]];
        for (int e = 0; e < 4; e++)
        {
            uint elt = e < 2 ? m[e + 2] : r[e - 2];
            elt = BitOperations.RotateRight(elt, 17) ^ BitOperations.RotateRight(elt, 19) ^ (elt >> 10);
            r[e] = elt + d[e] + t0[e];
        }
        SetWords(cpu, i.Rd, r);
    }
}
